//! Leaders' reception (领导接访): the rules a published reception slot must meet.

use crate::case::string_enum;
use chrono::{NaiveDate, NaiveTime};

string_enum!(
    /// Where an appointment request stands: `requested`, then `confirmed`, `offered`
    /// (another slot) or `declined`; an offer the petitioner accepts becomes `confirmed`.
    AppointmentStatus {
        Requested => "requested",
        Confirmed => "confirmed",
        Offered => "offered",
        Declined => "declined",
    }
);

/// The most people one reception slot can take.
pub const MAX_SLOT_CAPACITY: i64 = 500;

/// A reception slot as typed.
pub struct SlotInput<'a> {
    pub leader_name: &'a str,
    pub place: &'a str,
    /// `YYYY-MM-DD`.
    pub day: &'a str,
    /// `HH:MM`.
    pub start_time: &'a str,
    pub end_time: &'a str,
    pub capacity: i64,
}

fn time_ok(s: &str) -> bool {
    NaiveTime::parse_from_str(s, "%H:%M").is_ok()
}

/// Checks a slot: a leader and a place, a day from `today` on, a start before the end,
/// and a capacity of 1 to [`MAX_SLOT_CAPACITY`]. The error is a stable code.
pub fn check_slot(s: &SlotInput<'_>, today: NaiveDate) -> Result<(), &'static str> {
    if s.leader_name.is_empty() || s.place.is_empty() {
        return Err("required");
    }
    if !NaiveDate::parse_from_str(s.day, "%Y-%m-%d").is_ok_and(|d| d >= today) {
        return Err("invalid_date");
    }
    if !time_ok(s.start_time) || !time_ok(s.end_time) || s.end_time <= s.start_time {
        return Err("invalid_time");
    }
    if !(1..=MAX_SLOT_CAPACITY).contains(&s.capacity) {
        return Err("invalid_capacity");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot<'a>(day: &'a str, start: &'a str, end: &'a str, capacity: i64) -> SlotInput<'a> {
        SlotInput {
            leader_name: "王局长",
            place: "接待大厅",
            day,
            start_time: start,
            end_time: end,
            capacity,
        }
    }

    #[test]
    fn a_slot_needs_a_future_day_an_order_of_times_and_a_capacity() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        assert_eq!(
            check_slot(&slot("2026-03-02", "09:00", "11:00", 10), today),
            Ok(())
        );
        assert_eq!(
            check_slot(&slot("2026-03-01", "09:00", "11:00", 10), today),
            Err("invalid_date")
        );
        assert_eq!(
            check_slot(&slot("2026-03-03", "11:00", "09:00", 10), today),
            Err("invalid_time")
        );
        assert_eq!(
            check_slot(&slot("2026-03-03", "9h", "11:00", 10), today),
            Err("invalid_time")
        );
        assert_eq!(
            check_slot(&slot("2026-03-03", "09:00", "11:00", 0), today),
            Err("invalid_capacity")
        );
        assert_eq!(
            check_slot(&slot("2026-03-03", "09:00", "11:00", 501), today),
            Err("invalid_capacity")
        );
        let mut nameless = slot("2026-03-03", "09:00", "11:00", 10);
        nameless.leader_name = "";
        assert_eq!(check_slot(&nameless, today), Err("required"));
    }
}
