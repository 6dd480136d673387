//! The duty roster (值班): one 24-hour shift a day per unit, from its start time to the
//! same time the next day, with the leader on duty (带班领导) and the staff on duty and
//! their phones; and the handover (交接班) between shifts.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// One person on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OnDuty {
    pub name: String,
    pub phone: String,
}

/// A shift as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftPlan {
    pub day: NaiveDate,
    /// When it starts, local time (08:30 by default); it ends at the same time next day.
    pub starts_at: NaiveTime,
    pub leader: OnDuty,
    pub staff: Vec<OnDuty>,
    /// The leading group (领导小组) the shift is filed under, if any.
    #[serde(default)]
    pub group_id: Option<i64>,
}

/// The default start of a shift.
pub fn default_start() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN)
}

/// Most people on duty in one shift besides the leader.
pub const MAX_STAFF: usize = 12;

/// A phone number as duty rosters write them: digits, with `-`, `+`, spaces or
/// parentheses, 3 to 20 characters (an extension such as 8001 is fine).
pub fn valid_phone(p: &str) -> bool {
    let p = p.trim();
    (3..=20).contains(&p.chars().count())
        && p.chars().any(|c| c.is_ascii_digit())
        && p.chars().all(|c| c.is_ascii_digit() || "-+() ".contains(c))
}

fn valid_name(n: &str) -> bool {
    let n = n.trim();
    !n.is_empty() && n.chars().count() <= 40 && !n.chars().any(char::is_control)
}

/// Checks a shift: a named leader with a phone, at least one staff member, each with a
/// name and a phone. Returns the field and the code of the first fault.
pub fn check_shift(s: &ShiftPlan) -> Result<(), (String, &'static str)> {
    if !valid_name(&s.leader.name) {
        return Err(("leader_name".into(), "required"));
    }
    if !valid_phone(&s.leader.phone) {
        return Err(("leader_phone".into(), "invalid_duty_phone"));
    }
    if s.staff.is_empty() {
        return Err(("staff".into(), "duty_staff_required"));
    }
    if s.staff.len() > MAX_STAFF {
        return Err(("staff".into(), "too_many"));
    }
    for (i, p) in s.staff.iter().enumerate() {
        if !valid_name(&p.name) {
            return Err((format!("staff[{i}].name"), "required"));
        }
        if !valid_phone(&p.phone) {
            return Err((format!("staff[{i}].phone"), "invalid_duty_phone"));
        }
    }
    Ok(())
}

/// The day of the shift that covers the local time `now`, given when shifts start: before
/// the start time, yesterday's shift is still on.
pub fn shift_day(now: NaiveDateTime, starts_at: NaiveTime) -> NaiveDate {
    if now.time() >= starts_at {
        now.date()
    } else {
        now.date().pred_opt().unwrap_or(now.date())
    }
}

/// Reads staff written one a line as `name phone` (the last word is the phone).
pub fn parse_staff(text: &str) -> Vec<OnDuty> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once(char::is_whitespace) {
            Some((name, phone)) if phone.chars().any(|c| c.is_ascii_digit()) => OnDuty {
                name: name.trim().to_string(),
                phone: phone.trim().to_string(),
            },
            _ => OnDuty {
                name: l.to_string(),
                phone: String::new(),
            },
        })
        .collect()
}

/// Staff written back one a line, the way [`parse_staff`] reads them.
pub fn staff_text(staff: &[OnDuty]) -> String {
    staff
        .iter()
        .map(|p| format!("{} {}", p.name, p.phone))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which place in a shift a swap changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Leader,
    Staff(usize),
}

impl Slot {
    /// `leader`, or `staff:N` (0-based).
    pub fn parse(s: &str) -> Option<Slot> {
        match s.trim() {
            "leader" => Some(Slot::Leader),
            other => other
                .strip_prefix("staff:")
                .and_then(|n| n.parse().ok())
                .map(Slot::Staff),
        }
    }

    pub fn code(self) -> String {
        match self {
            Slot::Leader => "leader".into(),
            Slot::Staff(i) => format!("staff:{i}"),
        }
    }
}

/// A slot is written as its code (`leader`, `staff:N`), in JSON as in the database.
impl Serialize for Slot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slot::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown slot '{s}'")))
    }
}

/// Swaps the person in `slot` for `to`, returning the shift as it becomes and who was
/// replaced. The new person needs a name and a phone, and the slot must exist.
pub fn swap(
    shift: &ShiftPlan,
    slot: Slot,
    to: &OnDuty,
) -> Result<(ShiftPlan, OnDuty), (String, &'static str)> {
    if !valid_name(&to.name) {
        return Err(("name".into(), "required"));
    }
    if !valid_phone(&to.phone) {
        return Err(("phone".into(), "invalid_duty_phone"));
    }
    let mut next = shift.clone();
    let place = match slot {
        Slot::Leader => &mut next.leader,
        Slot::Staff(i) => next
            .staff
            .get_mut(i)
            .ok_or(("slot".to_string(), "unknown_duty_slot"))?,
    };
    if place.name.trim() == to.name.trim() {
        return Err(("name".into(), "same_person"));
    }
    let from = std::mem::replace(
        place,
        OnDuty {
            name: to.name.trim().into(),
            phone: to.phone.trim().into(),
        },
    );
    Ok((next, from))
}

/// What the outgoing team hands over: pending items, one a line, at least one (write
/// "nothing pending" when so), at most 4000 characters.
pub fn check_handover(pending: &str) -> Result<(), &'static str> {
    let p = pending.trim();
    if p.is_empty() {
        return Err("required");
    }
    if p.chars().count() > 4000 {
        return Err("report_too_long");
    }
    Ok(())
}
