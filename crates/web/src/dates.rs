//! Dates as documents write them: 2026年11月30日, or 30 November 2026 in English.

use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026年11月30日` in Chinese, `30 November 2026` in English.
pub fn document_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS[d.month0() as usize % 12],
            d.year()
        ),
    }
}

/// A stored `YYYY-MM-DD` as a document date; anything else is left as it is.
pub fn document_date_str(lang: Lang, s: &str) -> String {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => document_date(lang, d),
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_write_dates_in_words() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(document_date(Lang::Zh, d), "2026年11月30日");
        assert_eq!(document_date(Lang::En, d), "30 November 2026");
        assert_eq!(document_date_str(Lang::Zh, "2026-03-05"), "2026年3月5日");
        assert_eq!(document_date_str(Lang::Zh, ""), "");
    }
}
