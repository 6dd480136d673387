//! A case as the index sees it.

/// Everything of one case that search reads. Built by the indexer from the case row and
/// its events; `names` are the petitioners' names, searched only for roles that may read
/// personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseDoc {
    pub id: i64,
    pub case_no: String,
    /// The unit's path in the unit tree (`/1/5/23/`).
    pub unit_path: String,
    pub state: String,
    pub channel: String,
    pub case_type: String,
    /// The category code (`labor.wages`); its parents match too.
    pub category: String,
    /// The region code; a shorter code (a city, a province) matches it too.
    pub region: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    /// Unix seconds.
    pub registered_at: i64,
    pub respondent: String,
    pub content: String,
    pub demands: String,
    /// Replies, notes and other texts written on the case.
    pub notes: Vec<String>,
    pub names: Vec<String>,
}

impl CaseDoc {
    /// The text shown in snippets: never the petitioners' names.
    pub(crate) fn body(&self) -> String {
        let mut parts = vec![self.content.as_str()];
        if !self.demands.is_empty() {
            parts.push(self.demands.as_str());
        }
        if !self.respondent.is_empty() {
            parts.push(self.respondent.as_str());
        }
        parts.extend(self.notes.iter().map(String::as_str));
        parts.join("\n")
    }
}

/// `/1/5/23/` → `/`, `/1/`, `/1/5/`, `/1/5/23/`: a scope matches every case below it.
pub(crate) fn path_prefixes(path: &str) -> Vec<String> {
    let mut out = vec!["/".to_string()];
    let mut acc = String::from("/");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        acc.push_str(seg);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

/// `labor.wages` → `labor`, `labor.wages`.
pub(crate) fn category_prefixes(code: &str) -> Vec<String> {
    let mut out = vec![];
    let mut acc = String::new();
    for seg in code.split('.') {
        if !acc.is_empty() {
            acc.push('.');
        }
        acc.push_str(seg);
        out.push(acc.clone());
    }
    out
}

/// `330106` → `3`, `33`, …, `330106`, as the queue's region filter matches prefixes.
pub(crate) fn region_prefixes(code: &str) -> Vec<String> {
    code.char_indices()
        .map(|(i, c)| code[..i + c.len_utf8()].to_string())
        .collect()
}

/// `2026-03-05` → 20260305.
pub(crate) fn day_number(date: &str) -> Option<i64> {
    let digits: String = date.trim().chars().filter(|c| *c != '-').collect();
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// 20260305 → the number of days since 1970-01-01, for telling how far apart two dates
/// are. `None` for a date that is not one.
pub(crate) fn days(day_number: i64) -> Option<i64> {
    let (y, m, d) = (
        day_number / 10_000,
        day_number / 100 % 100,
        day_number % 100,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1900 {
        return None;
    }
    // Days from civil (proleptic Gregorian), years starting in March.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(path_prefixes("/1/5/"), vec!["/", "/1/", "/1/5/"]);
        assert_eq!(
            category_prefixes("labor.wages"),
            vec!["labor", "labor.wages"]
        );
        assert_eq!(region_prefixes("3301"), vec!["3", "33", "330", "3301"]);
        assert_eq!(day_number("2026-03-05"), Some(20260305));
        assert_eq!(day_number("2026-3-5"), None);
        assert_eq!(days(19700101), Some(0));
        assert_eq!(days(20000301).zip(days(20000228)), Some((11_017, 11_015)));
        assert_eq!(
            days(20260601).zip(days(20250601)).map(|(a, b)| a - b),
            Some(365)
        );
        assert_eq!(days(0), None);
    }
}
