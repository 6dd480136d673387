//! Leaders' reception and appointments (约访), shared by the pages and the public API:
//! the published slots, a request with its reference and code, and what the petitioner
//! may see of it (never the contact details, which only staff read).

use crate::i18n::Tr;
use app::model::{Appointment, ReceptionSlot};
use chrono::{Datelike, NaiveDate};
use domain::reception::AppointmentStatus;
use serde::Serialize;

/// A slot as a page lists it.
pub struct SlotRow {
    pub id: i64,
    pub day: String,
    pub weekday: String,
    pub time: String,
    pub leader: String,
    pub unit: String,
    pub place: String,
    pub full: bool,
    pub left: String,
}

pub fn unit_name(en: bool, s: &ReceptionSlot) -> String {
    if en && !s.unit_name_en.is_empty() {
        s.unit_name_en.clone()
    } else {
        s.unit_name.clone()
    }
}

pub fn leader(s: &ReceptionSlot) -> String {
    if s.leader_title.is_empty() {
        s.leader_name.clone()
    } else {
        format!("{} {}", s.leader_title, s.leader_name)
    }
}

/// The day of the week, in the reader's language.
pub fn weekday(t: &Tr, day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| {
            t.code(
                "portal-weekday",
                &d.weekday().number_from_monday().to_string(),
            )
        })
        .unwrap_or_default()
}

pub fn slot_row(t: &Tr, s: &ReceptionSlot) -> SlotRow {
    SlotRow {
        id: s.id,
        day: s.day.clone(),
        weekday: weekday(t, &s.day),
        time: format!("{}–{}", s.start_time, s.end_time),
        leader: leader(s),
        unit: unit_name(t.is_en(), s),
        place: s.place.clone(),
        full: s.is_full(),
        left: (s.capacity - s.booked).max(0).to_string(),
    }
}

pub fn slot_rows(t: &Tr, slots: &[ReceptionSlot]) -> Vec<SlotRow> {
    slots.iter().map(|s| slot_row(t, s)).collect()
}

/// A slot as the public API shows it.
#[derive(Debug, Serialize)]
pub struct PublicSlot {
    pub id: i64,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub leader_name: String,
    pub leader_title: String,
    pub unit: String,
    pub place: String,
    pub places_left: i64,
}

pub fn public_slot(s: &ReceptionSlot, en: bool) -> PublicSlot {
    PublicSlot {
        id: s.id,
        day: s.day.clone(),
        start_time: s.start_time.clone(),
        end_time: s.end_time.clone(),
        leader_name: s.leader_name.clone(),
        leader_title: s.leader_title.clone(),
        unit: unit_name(en, s),
        place: s.place.clone(),
        places_left: (s.capacity - s.booked).max(0),
    }
}

/// An appointment as its holder sees it: the answer, never anyone's contact details.
#[derive(Debug, Serialize)]
pub struct PublicAppointment {
    pub ref_no: String,
    /// `requested`, `confirmed`, `offered` (another slot; accept it or ask again) or
    /// `declined`.
    pub status: AppointmentStatus,
    pub slot: PublicSlot,
    pub offered_slot: Option<PublicSlot>,
    /// The office's message.
    pub answer: String,
}

pub fn public_appointment(a: &Appointment, en: bool) -> PublicAppointment {
    PublicAppointment {
        ref_no: a.ref_no.clone(),
        status: a.status,
        slot: public_slot(&a.slot, en),
        offered_slot: a.offered_slot.as_ref().map(|s| public_slot(s, en)),
        answer: a.answer.clone(),
    }
}

pub use app::appointments::{
    is_appointment_ref, AppointmentRequest, MAX_MATTER_CHARS, REF_NO_PATTERN,
};
