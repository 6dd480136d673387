//! Statistics: volumes that equal the queue's counts (summed from the volume tally where
//! it can answer), and per-unit rates summed from the running tallies (`domain::stats`).

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::stats::{region_level_below, spans, Rate, ONLY_MARK};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use store::{CaseFilter, Unit};

/// What a volume is counted by. Each is the name of the queue filter its keys fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeBy {
    Category,
    Channel,
    Type,
    Region,
    Unit,
    State,
    Month,
}

impl VolumeBy {
    pub const ALL: [VolumeBy; 7] = [
        VolumeBy::Category,
        VolumeBy::Channel,
        VolumeBy::Type,
        VolumeBy::Region,
        VolumeBy::Unit,
        VolumeBy::State,
        VolumeBy::Month,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VolumeBy::Category => "category",
            VolumeBy::Channel => "channel",
            VolumeBy::Type => "type",
            VolumeBy::Region => "region",
            VolumeBy::Unit => "unit",
            VolumeBy::State => "state",
            VolumeBy::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<VolumeBy> {
        VolumeBy::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One bar of a volume: the cases whose field has this key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VolumeRow {
    /// The value the queue filter of the same name takes to list exactly these cases.
    pub key: String,
    /// The unit's or category's name (empty where the adapter names the key itself).
    pub name: String,
    pub name_en: String,
    /// The node itself rather than its subtree (`key` ends in `!`).
    pub own: bool,
    /// The row is a node with nodes below it: counting by the same field with the key as
    /// the filter drills one level down.
    pub drillable: bool,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub rows: Vec<VolumeRow>,
    pub total: i64,
}

/// A rate's numerator and denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Figure {
    pub num: i64,
    pub den: i64,
}

/// One unit's rates: the steps taken while it (or a unit below it) held the case.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRates {
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// The parent unit's own steps, not its children's.
    pub own: bool,
    /// Every rate, in [`Rate::ALL`] order.
    pub rates: Vec<(Rate, Figure)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rates {
    pub unit: String,
    pub rows: Vec<UnitRates>,
    /// The whole subtree.
    pub total: Vec<(Rate, Figure)>,
}

fn strip_only(s: &str) -> Option<&str> {
    s.strip_suffix(ONLY_MARK)
}

/// The key a category folds to below `within` (empty: the top of the tree).
fn category_key(code: &str, within: &str, within_is_leaf: bool) -> (String, bool) {
    if within.is_empty() {
        return (code.split('.').next().unwrap_or(code).to_string(), false);
    }
    if code == within {
        return if within_is_leaf {
            (code.to_string(), false)
        } else {
            (format!("{code}{ONLY_MARK}"), true)
        };
    }
    let rest = code
        .strip_prefix(within)
        .and_then(|r| r.strip_prefix('.'))
        .unwrap_or("");
    let seg = rest.split('.').next().unwrap_or("");
    (format!("{within}.{seg}"), false)
}

/// The key a region code folds to below the prefix `within`.
fn region_key(code: &str, within: &str) -> (String, bool) {
    let level = region_level_below(within);
    if code.len() < level {
        (format!("{code}{ONLY_MARK}"), true)
    } else {
        (code[..level].to_string(), false)
    }
}

impl App {
    /// The cases the filters match in the caller's scope, counted by `by` one level
    /// below the filter (units, categories and regions drill down their trees). Each
    /// row's key lists exactly its cases through the queue filter of the same name.
    pub async fn volume(&self, who: &Caller, f: &CaseFilter, by: VolumeBy) -> AppResult<Volume> {
        if !domain::stats::may_read_statistics(who.role) {
            return Err(AppError::Forbidden);
        }
        let scope = who.scope();
        let column = match by {
            VolumeBy::Category => store::VolumeBy::Category,
            VolumeBy::Channel => store::VolumeBy::Channel,
            VolumeBy::Type => store::VolumeBy::CaseType,
            VolumeBy::Region => store::VolumeBy::Region,
            VolumeBy::Unit => store::VolumeBy::UnitPath,
            VolumeBy::State => store::VolumeBy::State,
            VolumeBy::Month => store::VolumeBy::Month,
        };
        let counted = self.store.volume(&scope, f, column).await?;
        let mut rows: BTreeMap<String, VolumeRow> = BTreeMap::new();
        let mut add = |key: String, own: bool, drillable: bool, name: (&str, &str), n: i64| {
            rows.entry(key.clone())
                .or_insert_with(|| VolumeRow {
                    key,
                    name: name.0.to_string(),
                    name_en: name.1.to_string(),
                    own,
                    drillable: drillable && !own,
                    count: 0,
                })
                .count += n;
        };
        match by {
            VolumeBy::Category => {
                let cats = self.categories().await?;
                let within = f.category.clone().unwrap_or_default();
                let names: HashMap<&str, (&str, &str)> = cats
                    .iter()
                    .map(|c| (c.code.as_str(), (c.name.as_str(), c.name_en.as_str())))
                    .collect();
                let exact = strip_only(&within);
                let leaf = !cats.iter().any(|c| c.parent.as_deref() == Some(&within));
                for r in &counted {
                    let (key, own) = match exact {
                        Some(_) => (within.clone(), true),
                        None => category_key(&r.key, &within, leaf),
                    };
                    let code = key.trim_end_matches(ONLY_MARK);
                    let name = names.get(code).copied().unwrap_or((code, code));
                    let below = cats.iter().any(|c| c.parent.as_deref() == Some(code));
                    add(key.clone(), own, below, name, r.count);
                }
            }
            VolumeBy::Region => {
                let within = f.region.clone().unwrap_or_default();
                for r in &counted {
                    let (key, own) = match strip_only(&within) {
                        Some(_) => (within.clone(), true),
                        None => region_key(&r.key, &within),
                    };
                    let below = key.len() < 12;
                    add(key, own, below, ("", ""), r.count);
                }
            }
            VolumeBy::Unit => {
                let base = match &f.unit_path {
                    Some(p) if scope.contains(p) => p.clone(),
                    _ => scope.path().to_string(),
                };
                let units = self.store.units_under(&base).await?;
                let by_path: HashMap<&str, &Unit> =
                    units.iter().map(|u| (u.path.as_str(), u)).collect();
                for r in &counted {
                    let (path, own) = if r.key == base || f.unit_only {
                        (base.clone(), true)
                    } else {
                        let rest = r.key.get(base.len()..).unwrap_or("");
                        let seg = rest.split('/').next().unwrap_or("");
                        (format!("{base}{seg}/"), false)
                    };
                    let Some(u) = by_path.get(path.as_str()) else {
                        continue;
                    };
                    let key = if own {
                        format!("{}{ONLY_MARK}", u.code)
                    } else {
                        u.code.clone()
                    };
                    let below = units.iter().any(|c| c.parent_id == Some(u.id));
                    add(key, own, below, (&u.name, &u.name_en), r.count);
                }
            }
            _ => {
                for r in &counted {
                    add(r.key.clone(), false, false, ("", ""), r.count);
                }
            }
        }
        let mut rows: Vec<VolumeRow> = rows.into_values().collect();
        // The node's own row first; then the largest first, months in time order.
        if by == VolumeBy::Month {
            rows.sort_by_key(|r| !r.own);
        } else {
            rows.sort_by(|a, b| b.own.cmp(&a.own).then(b.count.cmp(&a.count)));
        }
        let total = rows.iter().map(|r| r.count).sum();
        Ok(Volume { rows, total })
    }

    /// The rates of the unit `code` (the caller's own by default) and of each unit right
    /// below it, over the days `from..=to` (open ends: since ever, for ever). Summed from
    /// the running tallies: nothing is replayed.
    pub async fn rates(
        &self,
        who: &Caller,
        code: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> AppResult<Rates> {
        if !domain::stats::may_read_statistics(who.role) {
            return Err(AppError::Forbidden);
        }
        let scope = who.scope();
        let base = match code {
            None => self.store.unit(who.unit_id).await?,
            Some(c) => {
                let u = self.store.unit_by_code(&c.to_ascii_uppercase()).await?;
                if !scope.contains(&u.path) {
                    return Err(AppError::NotFound);
                }
                u
            }
        };
        let figures = self.store.unit_rates(&base.path, &spans(from, to)).await?;
        let units = self.store.units_under(&base.path).await?;
        let mut children: Vec<&Unit> = units
            .iter()
            .filter(|u| u.parent_id == Some(base.id))
            .collect();
        children.sort_by(|a, b| a.code.cmp(&b.code));
        let mut sums: HashMap<String, BTreeMap<&'static str, Figure>> = HashMap::new();
        let mut total: BTreeMap<&'static str, Figure> = BTreeMap::new();
        for f in &figures {
            let rest = f.unit_path.get(base.path.len()..).unwrap_or("");
            let seg = rest.split('/').next().unwrap_or("");
            let row = if seg.is_empty() {
                base.path.clone()
            } else {
                format!("{}{seg}/", base.path)
            };
            for sum in [
                sums.entry(row)
                    .or_default()
                    .entry(f.rate.as_str())
                    .or_default(),
                total.entry(f.rate.as_str()).or_default(),
            ] {
                sum.num += f.num;
                sum.den += f.den;
            }
        }
        let all = |m: Option<&BTreeMap<&'static str, Figure>>| -> Vec<(Rate, Figure)> {
            Rate::ALL
                .iter()
                .map(|r| {
                    (
                        *r,
                        m.and_then(|m| m.get(r.as_str()))
                            .copied()
                            .unwrap_or_default(),
                    )
                })
                .collect()
        };
        let mut rows = vec![UnitRates {
            code: base.code.clone(),
            name: base.name.clone(),
            name_en: base.name_en.clone(),
            own: true,
            rates: all(sums.get(&base.path)),
        }];
        for c in children {
            let figures = sums.get(&c.path);
            if c.retired && figures.is_none() {
                continue;
            }
            rows.push(UnitRates {
                code: c.code.clone(),
                name: c.name.clone(),
                name_en: c.name_en.clone(),
                own: false,
                rates: all(figures),
            });
        }
        Ok(Rates {
            unit: base.code.clone(),
            rows,
            total: all(Some(&total)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_fold_one_level_below_the_filter() {
        assert_eq!(
            category_key("labor.wages", "", false),
            ("labor".into(), false)
        );
        assert_eq!(
            category_key("labor.wages", "labor", false),
            ("labor.wages".into(), false)
        );
        assert_eq!(
            category_key("labor", "labor", false),
            ("labor!".into(), true)
        );
        assert_eq!(
            category_key("labor", "labor", true),
            ("labor".into(), false)
        );
    }

    #[test]
    fn regions_fold_one_level_below_the_filter() {
        assert_eq!(region_key("330106", ""), ("33".into(), false));
        assert_eq!(region_key("330106", "33"), ("3301".into(), false));
        assert_eq!(region_key("330106", "3301"), ("330106".into(), false));
        assert_eq!(region_key("330106", "330106"), ("330106!".into(), true));
        assert_eq!(
            region_key("330106001", "330106"),
            ("330106001".into(), false)
        );
    }
}
