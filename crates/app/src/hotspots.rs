//! Hotspots (矛盾隐患预警): clusters of petitions on one matter rising over a sliding
//! window against the window before. Clustered by respondent, by place and kind of
//! matter (county-level region and top-level category), and by shared text through the
//! search index's similarity ranking. Matters only: never by petitioner.

use crate::{App, AppError, AppResult, Caller};
use domain::annual::{
    is_rising, normalize_respondent, series, windows, Windows, DEFAULT_MIN_CASES,
    DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS,
};
use search::{SearchIndex, SimilarRequest};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use store::{CaseFilter, MatterRow, Unit};

/// How a cluster was formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    /// The same respondent (folded spelling).
    Respondent,
    /// The same county-level region and top-level category.
    Place,
    /// Texts the similarity ranking finds on one matter.
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterCase {
    pub id: i64,
    pub case_no: String,
    pub received_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hotspot {
    /// Stable while the matter lasts: `respondent:{folded}`, `place:{region}:{category}`,
    /// `text:{first case id}`.
    pub key: String,
    pub kind: ClusterKind,
    /// The respondent as most often written (respondent clusters, else the most named).
    pub respondent: Option<String>,
    /// A region code (county level, or as registered when shorter).
    pub region: Option<String>,
    /// A category code.
    pub category: Option<String>,
    pub category_name: String,
    pub category_name_en: String,
    /// Cases in the current window and in the window before.
    pub now: usize,
    pub before: usize,
    /// Cases per tenth of both windows, oldest first.
    pub series: Vec<usize>,
    /// The current window's cases, oldest first.
    pub cases: Vec<ClusterCase>,
    pub owner: Option<OwnerRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hotspots {
    pub unit: String,
    pub window: u32,
    pub min: u32,
    pub now_from: String,
    pub now_to: String,
    pub before_from: String,
    pub before_to: String,
    /// Most cases now first.
    pub items: Vec<Hotspot>,
    /// The search index was not ready: text clusters are missing.
    pub text_skipped: bool,
}

/// The most current-window cases whose text is compared.
const TEXT_CASES: usize = 300;
/// The least similarity score that joins two cases into a text cluster. On the related-
/// case evaluation set (crates/search/tests/data/related_cases.json) over 100,000 demo
/// cases, under the ranking of character pairs and single characters with feedback from
/// the best candidate, 0.4 joins about one pair in four told of the same matter and one
/// in a hundred of a hard negative (same place or company, another matter); 0.3 would
/// join three in five but one hard negative in eight. Clusters grow through any pair, so
/// the bar stays above the bulk of the negatives.
const TEXT_MIN_SCORE: f32 = 0.4;

fn region_of(code: &str) -> String {
    code.chars().take(6).collect()
}

fn top_category(code: &str) -> String {
    code.split('.').next().unwrap_or(code).to_string()
}

struct Group<'a> {
    kind: ClusterKind,
    key: String,
    rows: Vec<&'a MatterRow>,
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut i = i;
    while parent[i] != r {
        let next = parent[i];
        parent[i] = r;
        i = next;
    }
    r
}

impl App {
    /// The rising clusters of the unit `code` (the caller's own by default) over the last
    /// `window` days against the `window` days before. `index`, when given, adds text
    /// clusters found by the search index's similarity ranking.
    pub async fn hotspots(
        &self,
        who: &Caller,
        code: Option<&str>,
        window: Option<u32>,
        min: Option<u32>,
        index: Option<Arc<SearchIndex>>,
    ) -> AppResult<Hotspots> {
        if !domain::stats::may_read_statistics(who.role) {
            return Err(AppError::Forbidden);
        }
        let days = window.unwrap_or(DEFAULT_WINDOW_DAYS);
        if !(1..=MAX_WINDOW_DAYS).contains(&days) {
            return Err(AppError::field("window", "out_of_range"));
        }
        let min = min.unwrap_or(DEFAULT_MIN_CASES);
        if !(1..=1000).contains(&min) {
            return Err(AppError::field("min", "out_of_range"));
        }
        let unit = self.report_unit(who, code).await?;
        let w = windows(self.config.today(), days);
        let f = CaseFilter {
            unit_path: Some(unit.path.clone()),
            received_from: Some(w.before.0.to_string()),
            received_to: Some(w.now.1.to_string()),
            ..CaseFilter::default()
        };
        let rows = self.store.matter_rows(&who.scope(), &f).await?;
        let now_first = w.now.0.to_string();
        let in_now = |r: &MatterRow| r.received_on >= now_first;

        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for r in &rows {
            let resp = normalize_respondent(&r.respondent);
            if !resp.is_empty() {
                let key = format!("respondent:{resp}");
                groups
                    .entry(key.clone())
                    .or_insert_with(|| Group {
                        kind: ClusterKind::Respondent,
                        key,
                        rows: vec![],
                    })
                    .rows
                    .push(r);
            }
            if !r.region.is_empty() {
                let key = format!(
                    "place:{}:{}",
                    region_of(&r.region),
                    top_category(&r.category)
                );
                groups
                    .entry(key.clone())
                    .or_insert_with(|| Group {
                        kind: ClusterKind::Place,
                        key,
                        rows: vec![],
                    })
                    .rows
                    .push(r);
            }
        }
        let mut rising: Vec<Group> = groups
            .into_values()
            .filter(|g| {
                let now = g.rows.iter().filter(|r| in_now(r)).count();
                is_rising(now, g.rows.len() - now, min)
            })
            .collect();

        // Text clusters among the current cases no other hotspot holds.
        let mut text_skipped = false;
        if let Some(index) = index {
            let held: HashSet<i64> = rising
                .iter()
                .flat_map(|g| g.rows.iter().map(|r| r.id))
                .collect();
            let loose: Vec<&MatterRow> = rows
                .iter()
                .filter(|r| in_now(r) && !held.contains(&r.id))
                .take(TEXT_CASES)
                .collect();
            match self.text_groups(index, &unit, &rows, &loose).await {
                Some(found) => rising.extend(found.into_iter().filter(|g| {
                    let now = g.rows.iter().filter(|r| in_now(r)).count();
                    is_rising(now, g.rows.len() - now, min)
                })),
                None => text_skipped = true,
            }
        }

        let owners: HashMap<String, OwnerRef> = self
            .store
            .hotspot_owners(unit.id)
            .await?
            .into_iter()
            .map(|o| {
                (
                    o.key,
                    OwnerRef {
                        id: o.owner_id,
                        name: o.owner_name,
                    },
                )
            })
            .collect();
        let cats = self.categories().await?;
        let mut items: Vec<Hotspot> = rising
            .into_iter()
            .map(|g| self.describe(g, &w, &owners, &cats, &now_first))
            .collect();
        items.sort_by(|a, b| {
            b.now
                .cmp(&a.now)
                .then((b.now - b.before.min(b.now)).cmp(&(a.now - a.before.min(a.now))))
                .then(a.key.cmp(&b.key))
        });
        Ok(Hotspots {
            unit: unit.code,
            window: days,
            min,
            now_from: w.now.0.to_string(),
            now_to: w.now.1.to_string(),
            before_from: w.before.0.to_string(),
            before_to: w.before.1.to_string(),
            items,
            text_skipped,
        })
    }

    fn describe(
        &self,
        g: Group,
        w: &Windows,
        owners: &HashMap<String, OwnerRef>,
        cats: &[store::Category],
        now_first: &str,
    ) -> Hotspot {
        let now_rows: Vec<&&MatterRow> = g
            .rows
            .iter()
            .filter(|r| r.received_on.as_str() >= now_first)
            .collect();
        let days: Vec<chrono::NaiveDate> = g
            .rows
            .iter()
            .filter_map(|r| chrono::NaiveDate::parse_from_str(&r.received_on, "%Y-%m-%d").ok())
            .collect();
        // The most frequent value of a field among the cluster's cases.
        let most = |field: &dyn Fn(&MatterRow) -> String| -> Option<String> {
            let mut n: BTreeMap<String, usize> = BTreeMap::new();
            for r in &g.rows {
                let v = field(r);
                if !v.trim().is_empty() {
                    *n.entry(v.trim().to_string()).or_default() += 1;
                }
            }
            n.into_iter().max_by_key(|(_, c)| *c).map(|(v, _)| v)
        };
        let (region, category) = match g.kind {
            ClusterKind::Place => {
                let mut parts = g.key.splitn(3, ':').skip(1);
                (
                    parts.next().map(str::to_string),
                    parts.next().map(str::to_string),
                )
            }
            _ => (
                most(&|r| region_of(&r.region)),
                most(&|r| top_category(&r.category)),
            ),
        };
        let (category_name, category_name_en) = category
            .as_deref()
            .and_then(|c| cats.iter().find(|x| x.code == c))
            .map(|c| (c.name.clone(), c.name_en.clone()))
            .unwrap_or_default();
        let mut cases: Vec<ClusterCase> = now_rows
            .iter()
            .map(|r| ClusterCase {
                id: r.id,
                case_no: r.case_no.clone(),
                received_on: r.received_on.clone(),
            })
            .collect();
        cases.sort_by(|a, b| a.received_on.cmp(&b.received_on).then(a.id.cmp(&b.id)));
        Hotspot {
            respondent: most(&|r| r.respondent.clone()),
            owner: owners.get(&g.key).cloned(),
            now: now_rows.len(),
            before: g.rows.len() - now_rows.len(),
            series: series(w, &days),
            key: g.key,
            kind: g.kind,
            region,
            category,
            category_name,
            category_name_en,
            cases,
        }
    }

    /// Groups `loose` cases (and cases of both windows they resemble) whose texts the
    /// search index ranks as one matter. `None` when the index is not ready.
    async fn text_groups<'a>(
        &self,
        index: Arc<SearchIndex>,
        unit: &Unit,
        rows: &'a [MatterRow],
        loose: &[&'a MatterRow],
    ) -> Option<Vec<Group<'a>>> {
        if loose.is_empty() {
            return Some(vec![]);
        }
        let asks: Vec<SimilarRequest> = loose
            .iter()
            .map(|r| SimilarRequest {
                content: r.content.clone(),
                region: Some(r.region.clone()),
                respondent: None,
                scope: Some(unit.path.clone()),
                exclude_id: Some(r.id),
                // Both windows are recent; the text alone joins a group.
                received_on: None,
                unit: None,
                limit: 10,
            })
            .collect();
        let found = tokio::task::spawn_blocking(move || {
            asks.iter()
                .map(|a| index.similar(a))
                .collect::<Result<Vec<_>, _>>()
        })
        .await
        .ok()?
        .ok()?;
        let at: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let mut parent: Vec<usize> = (0..rows.len()).collect();
        let mut joined: HashSet<usize> = HashSet::new();
        for (r, hits) in loose.iter().zip(found) {
            let Some(&a) = at.get(&r.id) else { continue };
            for h in hits.iter().filter(|h| h.score >= TEXT_MIN_SCORE) {
                if let Some(&b) = at.get(&h.id) {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb {
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                    joined.insert(a);
                    joined.insert(b);
                }
            }
        }
        let mut by_root: BTreeMap<usize, Vec<&'a MatterRow>> = BTreeMap::new();
        for i in joined {
            let root = find(&mut parent, i);
            by_root.entry(root).or_default().push(&rows[i]);
        }
        Some(
            by_root
                .into_values()
                .filter(|g| g.len() > 1)
                .map(|mut g| {
                    g.sort_by_key(|r| r.id);
                    Group {
                        kind: ClusterKind::Text,
                        key: format!("text:{}", g[0].id),
                        rows: g,
                    }
                })
                .collect(),
        )
    }

    /// Assigns the unit `code`'s hotspot `key` to `owner`, a leader in the caller's
    /// scope, or (`None`) removes its owner: recorded with an event in the hotspot's
    /// history in the same transaction.
    pub async fn assign_hotspot(
        &self,
        who: &Caller,
        code: Option<&str>,
        key: &str,
        label: &str,
        owner: Option<i64>,
        cases: &[i64],
    ) -> AppResult<()> {
        if !domain::annual::may_assign_hotspot(who.role) {
            return Err(AppError::Forbidden);
        }
        let key = key.trim();
        if key.is_empty() || key.chars().count() > 200 {
            return Err(AppError::field("key", "invalid"));
        }
        let unit = self.report_unit(who, code).await?;
        let cases: Vec<i64> = cases.iter().copied().take(200).collect();
        let Some(owner) = owner else {
            return Ok(self
                .store
                .clear_hotspot_owner(&unit, key, &cases, &who.actor())
                .await?);
        };
        let user = self
            .store
            .user(owner)
            .await
            .map_err(|_| AppError::field("owner", "invalid_reference"))?;
        if !domain::annual::may_own_hotspot(user.role)
            || !user.active
            || !who.scope().contains(&user.unit_path)
        {
            return Err(AppError::field("owner", "not_a_leader"));
        }
        let label: String = label.chars().take(200).collect();
        self.store
            .set_hotspot_owner(&unit, key, &label, user.id, &cases, &who.actor())
            .await?;
        Ok(())
    }

    /// The leaders in the caller's scope who may own a hotspot.
    pub async fn hotspot_leaders(&self, who: &Caller) -> AppResult<Vec<store::User>> {
        let users = self.store.users_under(&who.unit_path).await?;
        Ok(users
            .into_iter()
            .filter(|u| u.active && domain::annual::may_own_hotspot(u.role))
            .collect())
    }
}
