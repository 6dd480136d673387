//! The queue: filtered, scoped, keyset-paged case lists. A page costs the same at any
//! depth because it seeks past the cursor instead of counting rows.

use crate::cases::{summary_from_row, SUMMARY_COLUMNS};
use crate::{bounds_of, CaseSummary, Result, Scope, Store};

/// Filters for the queue. Every field is optional.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// A unit's path: its subtree, intersected with the caller's scope.
    pub unit_path: Option<String>,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub case_type: Option<String>,
    /// A category code; its subcategories match too.
    pub category: Option<String>,
    /// A region-code prefix: `3301` matches every region in that city.
    pub region: Option<String>,
    /// Received on or after this day (`YYYY-MM-DD`).
    pub received_from: Option<String>,
    /// Received on or before this day.
    pub received_to: Option<String>,
    pub case_no: Option<String>,
    pub order: Order,
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

enum Arg {
    I(i64),
    S(String),
}

struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    fn and(&mut self, clause: &str) {
        self.text.push_str(" AND ");
        self.text.push_str(clause);
    }
}

impl Store {
    /// One page of the queue, oldest registration first.
    pub async fn list_cases(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Page> {
        let limit = limit.clamp(1, 500);
        // The narrower of the caller's scope and the requested unit; none if disjoint.
        let path = match &f.unit_path {
            Some(p) if scope.contains(p) => p.clone(),
            Some(p) if p.len() < scope.path().len() && scope.path().starts_with(p.as_str()) => {
                scope.path().to_string()
            }
            Some(_) => {
                return Ok(Page {
                    items: vec![],
                    next: None,
                })
            }
            None => scope.path().to_string(),
        };
        let (lo, hi) = bounds_of(&path);
        let mut q = Sql {
            text: format!("SELECT {SUMMARY_COLUMNS} FROM cases c JOIN units n ON n.id = c.unit_id WHERE 1 = 1"),
            args: vec![],
        };
        if path != "/" {
            let (a, b) = (q.arg(Arg::S(lo)), q.arg(Arg::S(hi)));
            q.and(&format!("c.unit_path >= {a} AND c.unit_path < {b}"));
        }
        for (col, val) in [
            ("c.state", &f.state),
            ("c.channel", &f.channel),
            ("c.case_type", &f.case_type),
            ("c.case_no", &f.case_no),
        ] {
            if let Some(v) = val.as_ref().filter(|v| !v.is_empty()) {
                let p = q.arg(Arg::S(v.clone()));
                q.and(&format!("{col} = {p}"));
            }
        }
        if let Some(cat) = f.category.as_ref().filter(|v| !v.is_empty()) {
            if self.has_subcategories(cat).await? {
                // One range covers the category and its subcategories (`labor`,
                // `labor.wages`): codes use only [a-z0-9_.], and `/` sorts after `.`.
                let a = q.arg(Arg::S(cat.clone()));
                let b = q.arg(Arg::S(format!("{cat}/")));
                q.and(&format!("c.category >= {a} AND c.category < {b}"));
            } else {
                // A leaf: equality keeps the index's order, so no sort is needed.
                let a = q.arg(Arg::S(cat.clone()));
                q.and(&format!("c.category = {a}"));
            }
        }
        if let Some(region) = f.region.as_ref().filter(|v| !v.is_empty()) {
            let a = q.arg(Arg::S(region.clone()));
            let b = q.arg(Arg::S(format!("{region}:")));
            q.and(&format!("c.region >= {a} AND c.region < {b}"));
        }
        if let Some(d) = f.received_from.as_ref().filter(|v| !v.is_empty()) {
            let a = q.arg(Arg::S(d.clone()));
            q.and(&format!("c.received_on >= {a}"));
        }
        if let Some(d) = f.received_to.as_ref().filter(|v| !v.is_empty()) {
            let a = q.arg(Arg::S(d.clone()));
            q.and(&format!("c.received_on <= {a}"));
        }
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

        let mut query = sqlx::query(&q.text);
        for a in q.args {
            query = match a {
                Arg::I(i) => query.bind(i),
                Arg::S(s) => query.bind(s),
            };
        }
        let rows = query.fetch_all(&self.read).await?;
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
