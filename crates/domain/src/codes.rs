//! Validated identifiers: case numbers, query codes, region and unit codes.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The alphabet of query codes: no 0/O/1/I, so a code read over the phone is unambiguous.
pub const QUERY_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const QUERY_CODE_LEN: usize = 8;
/// A query code as issued, for API documents (ECMA-262). [`QueryCode::parse`] is more
/// forgiving: lower case, spaces and dashes are accepted too.
pub const QUERY_CODE_PATTERN: &str = "^[2-9A-HJ-NP-Z]{8}$";
/// A unit code as [`UnitCode::parse`] accepts it (before trimming), for API documents.
pub const UNIT_CODE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9-]{1,31}$";
/// A case number as [`CaseNo::parse`] accepts it (before trimming), for API documents.
pub const CASE_NO_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9-]{1,31}-[0-9]{4}-[0-9]+$";
/// A region code as [`RegionCode::parse`] accepts it (before trimming), for API documents:
/// 6, 9 or 12 digits, the first two a province (11–82).
pub const REGION_CODE_PATTERN: &str = "^(1[1-9]|[2-7][0-9]|8[0-2])[0-9]{4}([0-9]{3}){0,2}$";
/// A region-code prefix, as the queue's filter and the routing rules take it: up to 12
/// digits (empty for everywhere).
pub const REGION_PREFIX_PATTERN: &str = "^[0-9]{0,12}$";

/// The secret a petitioner uses, with the case number, to track a case (查询码).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueryCode(String);

impl QueryCode {
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let code = (0..QUERY_CODE_LEN)
            .map(|_| QUERY_CODE_ALPHABET[rng.gen_range(0..QUERY_CODE_ALPHABET.len())] as char)
            .collect();
        QueryCode(code)
    }

    /// Parses a code as typed by a person: case-insensitive, spaces and dashes ignored.
    pub fn parse(s: &str) -> Option<Self> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok =
            code.len() == QUERY_CODE_LEN && code.bytes().all(|b| QUERY_CODE_ALPHABET.contains(&b));
        ok.then_some(QueryCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A unit's code: letters, digits and dashes, 2–32 characters (e.g. `330102`, `330102-RS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let ok = (2..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !s.starts_with('-');
        ok.then(|| UnitCode(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A case number: `{unit code}-{year}-{sequence}`, the sequence zero-padded to 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseNo(String);

impl CaseNo {
    pub fn new(unit: &UnitCode, year: i32, seq: i64) -> Self {
        CaseNo(format!("{}-{}-{:06}", unit.as_str(), year, seq))
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.rsplitn(3, '-');
        let seq = parts.next()?;
        let year = parts.next()?;
        let unit = parts.next()?;
        let ok = !seq.is_empty()
            && seq.bytes().all(|b| b.is_ascii_digit())
            && year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && UnitCode::parse(unit).is_some();
        ok.then_some(CaseNo(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An administrative-division code (GB/T 2260 style): 6 digits for a county or above,
/// 9 for a township, 12 for a village. The first two digits name a province (11–82).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let len_ok = matches!(s.len(), 6 | 9 | 12);
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        if !(len_ok && digits) {
            return None;
        }
        let province: u32 = s[..2].parse().ok()?;
        (11..=82)
            .contains(&province)
            .then(|| RegionCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `s` is a region-code prefix: up to 12 digits, empty meaning everywhere.
pub fn is_region_prefix(s: &str) -> bool {
    s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn query_codes_avoid_ambiguous_characters() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let c = QueryCode::generate(&mut rng);
            assert_eq!(c.as_str().len(), 8);
            assert!(!c.as_str().contains(['0', 'O', '1', 'I']), "{c}");
            assert_eq!(QueryCode::parse(c.as_str()), Some(c.clone()));
        }
    }

    #[test]
    fn query_code_parse_is_forgiving_about_case_and_spaces() {
        assert_eq!(
            QueryCode::parse("abcd efgh").map(|c| c.to_string()),
            Some("ABCDEFGH".into())
        );
        assert_eq!(QueryCode::parse("ABCDEFG0"), None);
        assert_eq!(QueryCode::parse("ABC"), None);
    }

    #[test]
    fn case_numbers_round_trip() {
        let unit = UnitCode::parse("330102").expect("unit");
        let no = CaseNo::new(&unit, 2026, 42);
        assert_eq!(no.as_str(), "330102-2026-000042");
        assert_eq!(CaseNo::parse("330102-2026-000042"), Some(no));
        assert_eq!(CaseNo::parse("330102-26-1"), None);
        assert_eq!(CaseNo::parse("nonsense"), None);
    }

    #[test]
    fn region_codes() {
        assert!(RegionCode::parse("330102").is_some());
        assert!(RegionCode::parse("330102001").is_some());
        assert!(RegionCode::parse("330102001001").is_some());
        assert!(RegionCode::parse("990102").is_none());
        assert!(RegionCode::parse("33010").is_none());
        assert!(RegionCode::parse("3301O2").is_none());
    }

    proptest! {
        #[test]
        fn case_no_parse_accepts_what_new_builds(seq in 0i64..10_000_000, year in 1990i32..2100) {
            let unit = UnitCode::parse("330102-RS").expect("unit");
            let no = CaseNo::new(&unit, year, seq);
            prop_assert_eq!(CaseNo::parse(no.as_str()), Some(no));
        }

        #[test]
        fn query_code_parse_never_panics(s in ".{0,20}") {
            let _ = QueryCode::parse(&s);
        }
    }
}
