//! The queue: filtered, scoped, keyset-paged case lists. A page costs the same at any
//! depth because it seeks past the cursor instead of counting rows.

use crate::cases::{summary_from_row, SUMMARY_COLUMNS};
use crate::{bounds_of, CaseSummary, Result, Scope, Store};
use sqlx::Row;

/// Filters for the queue. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// A unit's path: its subtree, intersected with the caller's scope.
    pub unit_path: Option<String>,
    /// Only the cases the unit at `unit_path` holds itself, none of its subtree's.
    pub unit_only: bool,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub case_type: Option<String>,
    /// A category code; its subcategories match too, unless it ends in `!` (`labor!`:
    /// that category itself only).
    pub category: Option<String>,
    /// A region-code prefix: `3301` matches every region in that city; `330106!` that
    /// region code exactly.
    pub region: Option<String>,
    /// The month received (`YYYY-MM`).
    pub month: Option<String>,
    /// Received on or after this day (`YYYY-MM-DD`).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    pub case_no: Option<String>,
    /// Lifecycle stages (any of them); empty for every stage.
    pub stages: Vec<String>,
    /// Due (the stage's deadline) before this day: overdue on it.
    pub due_before: Option<String>,
    /// Due on or after this day.
    pub due_from: Option<String>,
    /// Due on or before this day.
    pub due_until: Option<String>,
    /// Only cases under listed supervision (挂牌督办).
    pub listed: bool,
    /// Only the cases behind a per-unit rate's figure.
    pub rate: Option<RateFilter>,
    pub order: Order,
}

/// The cases behind a rate's figure: those whose counted steps (`rate_marks`) fall in the
/// range, for the unit that held the case when the step was taken.
#[derive(Debug, Clone)]
pub struct RateFilter {
    pub rate: domain::stats::Rate,
    pub part: domain::stats::RatePart,
    /// The unit whose figure it is (its subtree); `None`: the caller's whole scope.
    pub unit_path: Option<String>,
    /// The unit at `unit_path` itself, none of its subtree (the "own" row).
    pub unit_only: bool,
    /// Steps taken on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Steps taken on or before this day.
    pub to: Option<String>,
}

/// The order of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Soonest deadline first; cases whose stage has no deadline come last.
    #[default]
    Due,
    /// Oldest registration first.
    Registered,
}

/// Where a page starts: just after the last case of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// After the case with this due-sort date and id.
    Due(String, i64),
    /// After the case registered at this time with this id.
    Registered(i64, i64),
}

impl Cursor {
    pub fn encode(&self) -> String {
        match self {
            Cursor::Due(d, id) => format!("d{d}.{id}"),
            Cursor::Registered(at, id) => format!("r{at}.{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (a, b) = s.get(1..)?.split_once('.')?;
        let id = b.parse().ok()?;
        match s.as_bytes().first()? {
            b'd' if a.len() == 10 && a.bytes().all(|c| c.is_ascii_digit() || c == b'-') => {
                Some(Cursor::Due(a.into(), id))
            }
            b'r' => Some(Cursor::Registered(a.parse().ok()?, id)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<CaseSummary>,
    pub next: Option<Cursor>,
}

/// The sort key of a case whose stage has no deadline.
pub const NO_DUE: &str = "9999-12-31";

pub(crate) enum Arg {
    I(i64),
    S(String),
}

pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) args: Vec<Arg>,
}

pub(crate) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        query = match a {
            Arg::I(i) => query.bind(i),
            Arg::S(s) => query.bind(s),
        };
    }
    query
}

impl Sql {
    pub(crate) fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    pub(crate) fn and(&mut self, clause: &str) {
        self.text.push_str(" AND ");
        self.text.push_str(clause);
    }
}

/// The queue's result count, bounded so that it costs the same on a million cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CaseCount {
    /// The number of matching cases, or `COUNT_CAP` when there are more.
    pub total: i64,
    /// Whether `total` is the exact number (false: "more than `COUNT_CAP`").
    pub exact: bool,
}

/// Counting stops here: past it the queue says "more than 10,000".
pub const COUNT_CAP: i64 = 10_000;

/// How a case-number box is matched: a whole number by equality; digits alone (or a
/// text ending in the 6-digit sequence) by the sequence column `case_seq`, which has
/// its own index; anything else as a prefix.
fn case_no_clause(q: &mut Sql, input: &str) {
    let input = input.trim().to_ascii_uppercase();
    if domain::CaseNo::parse(&input).is_some() {
        let p = q.arg(Arg::S(input));
        q.and(&format!("c.case_no = {p}"));
        return;
    }
    let tail = input.rsplit('-').next().unwrap_or("");
    let digits_only = !input.is_empty() && input.bytes().all(|b| b.is_ascii_digit());
    let seq_tail = tail.len() == 6 && tail.bytes().all(|b| b.is_ascii_digit());
    if (digits_only && input.len() <= 7) || seq_tail {
        let seq: i64 = tail.parse().unwrap_or(-1);
        let p = q.arg(Arg::I(seq));
        q.and(&format!("c.case_seq = {p}"));
        if !digits_only {
            // `2026-000053`: the sequence narrows by index, the rest must end the number.
            let p = q.arg(Arg::S(format!("%{}", like_escape(&input))));
            q.and(&format!("c.case_no LIKE {p} ESCAPE '\\'"));
        }
    } else {
        let p = q.arg(Arg::S(format!("{}%", like_escape(&input))));
        q.and(&format!("c.case_no LIKE {p} ESCAPE '\\'"));
    }
}

/// The cases with a counted step of the rate in the range, for the unit (or subtree)
/// whose figure it is.
fn rate_clause(q: &mut Sql, r: &RateFilter, scope: &Scope) {
    use domain::stats::RatePart;
    let rate = q.arg(Arg::S(r.rate.as_str().into()));
    let mut sub = format!(
        "SELECT m.case_id FROM rate_marks m JOIN units mu ON mu.id = m.unit_id WHERE m.rate = {rate}"
    );
    let path = r
        .unit_path
        .clone()
        .unwrap_or_else(|| scope.path().to_string());
    if r.unit_only {
        let a = q.arg(Arg::S(path));
        sub.push_str(&format!(" AND mu.path = {a}"));
    } else if path != "/" {
        let (lo, hi) = bounds_of(&path);
        let (a, b) = (q.arg(Arg::S(lo)), q.arg(Arg::S(hi)));
        sub.push_str(&format!(" AND mu.path >= {a} AND mu.path < {b}"));
    }
    if let Some(d) = r.from.as_ref().filter(|v| !v.is_empty()) {
        let a = q.arg(Arg::S(d.clone()));
        sub.push_str(&format!(" AND m.on_day >= {a}"));
    }
    if let Some(d) = r.to.as_ref().filter(|v| !v.is_empty()) {
        let a = q.arg(Arg::S(d.clone()));
        sub.push_str(&format!(" AND m.on_day <= {a}"));
    }
    sub.push_str(match r.part {
        RatePart::Counted => " AND m.den > 0",
        RatePart::Met => " AND m.num > 0",
        RatePart::Missed => " AND m.den > 0 AND m.num = 0",
    });
    q.and(&format!("c.id IN ({sub})"));
}

/// Escapes `%`, `_` and the escape character itself, so that they match literally.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Store {
    /// The filters' WHERE clause within the caller's scope; `None` when the requested
    /// unit lies outside it, so nothing can match.
    pub(crate) async fn queue_where(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        select: &str,
    ) -> Result<Option<Sql>> {
        let Some(unit) = scoped_unit(scope, f) else {
            return Ok(None);
        };
        let mut q = Sql {
            text: format!("{select} WHERE 1 = 1"),
            args: vec![],
        };
        unit_clause(&mut q, "c.unit_path", &unit);
        for (col, val) in [
            ("c.state", &f.state),
            ("c.channel", &f.channel),
            ("c.case_type", &f.case_type),
        ] {
            if let Some(v) = val.as_ref().filter(|v| !v.is_empty()) {
                let p = q.arg(Arg::S(v.clone()));
                q.and(&format!("{col} = {p}"));
            }
        }
        if let Some(no) = f.case_no.as_ref().filter(|v| !v.trim().is_empty()) {
            case_no_clause(&mut q, no);
        }
        if let Some(cat) = f.category.as_ref().filter(|v| !v.is_empty()) {
            let subtree =
                !cat.ends_with(domain::stats::ONLY_MARK) && self.has_subcategories(cat).await?;
            category_clause(&mut q, "c.category", cat, subtree);
        }
        if let Some(region) = f.region.as_ref().filter(|v| !v.is_empty()) {
            region_clause(&mut q, "c.region", region);
        }
        if let Some(d) = f.received_from.as_ref().filter(|v| !v.is_empty()) {
            let a = q.arg(Arg::S(d.clone()));
            q.and(&format!("c.received_on >= {a}"));
        }
        if let Some(d) = f.received_to.as_ref().filter(|v| !v.is_empty()) {
            let a = q.arg(Arg::S(d.clone()));
            q.and(&format!("c.received_on <= {a}"));
        }
        if !f.stages.is_empty() {
            let ps: Vec<String> = f.stages.iter().map(|s| q.arg(Arg::S(s.clone()))).collect();
            q.and(&format!("c.stage IN ({})", ps.join(", ")));
        }
        for (op, val) in [
            ("<", &f.due_before),
            (">=", &f.due_from),
            ("<=", &f.due_until),
        ] {
            if let Some(d) = val.as_ref().filter(|v| !v.is_empty()) {
                let a = q.arg(Arg::S(d.clone()));
                q.and(&format!("c.due_sort {op} {a}"));
            }
        }
        if f.listed {
            q.and("c.listed = 1");
        }
        if let Some(r) = &f.rate {
            rate_clause(&mut q, r, scope);
        }
        if let Some(m) = f.month.as_ref().filter(|v| !v.is_empty()) {
            // `YYYY-MM-` up to `YYYY-MM.`: every day of the month, by the index's order.
            let (a, b) = (
                q.arg(Arg::S(format!("{m}-"))),
                q.arg(Arg::S(format!("{m}."))),
            );
            q.and(&format!("c.received_on > {a} AND c.received_on < {b}"));
        }
        Ok(Some(q))
    }

    /// How many cases the filters match in the caller's scope, counted up to
    /// [`COUNT_CAP`]: the same WHERE and the same indexes as the page itself.
    pub async fn count_cases(&self, scope: &Scope, f: &CaseFilter) -> Result<CaseCount> {
        let Some(mut q) = self
            .queue_where(scope, f, "SELECT 1 AS one FROM cases c")
            .await?
        else {
            return Ok(CaseCount {
                total: 0,
                exact: true,
            });
        };
        let l = q.arg(Arg::I(COUNT_CAP + 1));
        let text = format!("SELECT COUNT(*) AS n FROM ({} LIMIT {l}) m", q.text);
        let rows = bind_all(sqlx::query(&text), q.args)
            .fetch_one(&self.read)
            .await?;
        let n: i64 = rows.try_get("n")?;
        Ok(CaseCount {
            total: n.min(COUNT_CAP),
            exact: n <= COUNT_CAP,
        })
    }

    /// One page of the queue, in the filter's order.
    pub async fn list_cases(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Page> {
        let limit = limit.clamp(1, 500);
        let select =
            format!("SELECT {SUMMARY_COLUMNS} FROM cases c JOIN units n ON n.id = c.unit_id");
        let Some(mut q) = self.queue_where(scope, f, &select).await? else {
            return Ok(Page {
                items: vec![],
                next: None,
            });
        };
        match after {
            Some(Cursor::Registered(at, id)) => {
                let (a, b) = (q.arg(Arg::I(at)), q.arg(Arg::I(id)));
                q.and(&format!("(c.registered_at, c.id) > ({a}, {b})"));
            }
            Some(Cursor::Due(d, id)) => {
                let (a, b) = (q.arg(Arg::S(d)), q.arg(Arg::I(id)));
                q.and(&format!("(c.due_sort, c.id) > ({a}, {b})"));
            }
            None => {}
        }
        let l = q.arg(Arg::I(limit + 1));
        let order = match f.order {
            Order::Due => "c.due_sort, c.id",
            Order::Registered => "c.registered_at, c.id",
        };
        q.text.push_str(&format!(" ORDER BY {order} LIMIT {l}"));

        let rows = bind_all(sqlx::query(&q.text), q.args)
            .fetch_all(&self.read)
            .await?;
        let mut items = rows
            .iter()
            .map(summary_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|c| match f.order {
                Order::Due => Cursor::Due(c.due_on.clone().unwrap_or_else(|| NO_DUE.into()), c.id),
                Order::Registered => Cursor::Registered(c.registered_at, c.id),
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

/// The unit part of a queue filter: the narrower of the caller's scope and the unit asked
/// for, and whether only that unit's own cases count.
pub(crate) struct ScopedUnit {
    pub(crate) path: String,
    pub(crate) only: bool,
}

/// The unit a filter covers within the caller's scope; `None` when nothing of it is
/// visible (a unit outside the scope, or the own cases of a unit above it).
pub(crate) fn scoped_unit(scope: &Scope, f: &CaseFilter) -> Option<ScopedUnit> {
    let path = match &f.unit_path {
        Some(p) if scope.contains(p) => p.clone(),
        Some(p) if p.len() < scope.path().len() && scope.path().starts_with(p.as_str()) => {
            scope.path().to_string()
        }
        Some(_) => return None,
        None => scope.path().to_string(),
    };
    if f.unit_only && f.unit_path.as_deref() != Some(path.as_str()) {
        // The unit asked for lies above the caller's scope: none of its own cases are
        // visible.
        return None;
    }
    Some(ScopedUnit {
        only: f.unit_only,
        path,
    })
}

/// Restricts `col` (a unit path) to the unit, or to its subtree.
pub(crate) fn unit_clause(q: &mut Sql, col: &str, unit: &ScopedUnit) {
    if unit.only {
        let a = q.arg(Arg::S(unit.path.clone()));
        q.and(&format!("{col} = {a}"));
    } else if unit.path != "/" {
        let (lo, hi) = bounds_of(&unit.path);
        let (a, b) = (q.arg(Arg::S(lo)), q.arg(Arg::S(hi)));
        q.and(&format!("{col} >= {a} AND {col} < {b}"));
    }
}

/// Restricts `col` to a category filter: `code!` that category only; a category with
/// subcategories, its whole subtree; a leaf, itself.
pub(crate) fn category_clause(q: &mut Sql, col: &str, cat: &str, has_subcategories: bool) {
    if let Some(exact) = cat.strip_suffix(domain::stats::ONLY_MARK) {
        let a = q.arg(Arg::S(exact.to_string()));
        q.and(&format!("{col} = {a}"));
    } else if has_subcategories {
        // One range covers the category and its subcategories (`labor`, `labor.wages`):
        // codes use only [a-z0-9_.], and `/` sorts after `.`.
        let a = q.arg(Arg::S(cat.to_string()));
        let b = q.arg(Arg::S(format!("{cat}/")));
        q.and(&format!("{col} >= {a} AND {col} < {b}"));
    } else {
        // A leaf: equality keeps the index's order, so no sort is needed.
        let a = q.arg(Arg::S(cat.to_string()));
        q.and(&format!("{col} = {a}"));
    }
}

/// Restricts `col` to a region filter: a code prefix, or `code!` that code exactly.
pub(crate) fn region_clause(q: &mut Sql, col: &str, region: &str) {
    if let Some(exact) = region.strip_suffix(domain::stats::ONLY_MARK) {
        let a = q.arg(Arg::S(exact.to_string()));
        q.and(&format!("{col} = {a}"));
    } else {
        let a = q.arg(Arg::S(region.to_string()));
        let b = q.arg(Arg::S(format!("{region}:")));
        q.and(&format!("{col} >= {a} AND {col} < {b}"));
    }
}
