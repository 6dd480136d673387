//! Leaders' reception and appointments (约访), shared by the pages and the public API:
//! the published slots, a request with its reference and code, and what the petitioner
//! may see of it (never the contact details, which only staff read).

use crate::auth::{same_secret, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Tr;
use crate::state::AppState;
use app::model::{Appointment, NewAppointment, ReceptionSlot};
use chrono::{Datelike, NaiveDate};
use domain::{CaseNo, FieldErrors, PhoneNumber, QueryCode};
use serde::{Deserialize, Serialize};

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
    pub status: String,
    pub slot: PublicSlot,
    pub offered_slot: Option<PublicSlot>,
    /// The office's message.
    pub answer: String,
}

pub fn public_appointment(a: &Appointment, en: bool) -> PublicAppointment {
    PublicAppointment {
        ref_no: a.ref_no.clone(),
        status: a.status.clone(),
        slot: public_slot(&a.slot, en),
        offered_slot: a.offered_slot.as_ref().map(|s| public_slot(s, en)),
        answer: a.answer.clone(),
    }
}

/// An appointment request as typed, from the form or the API.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AppointmentRequest {
    #[serde(default)]
    pub slot_id: Option<i64>,
    /// What the petitioner wants to raise.
    #[serde(default)]
    pub matter: String,
    /// An earlier case this is about, if any.
    #[serde(default)]
    pub case_no: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub website: String,
}

pub const MAX_MATTER_CHARS: usize = 2000;

/// An appointment reference as [`is_appointment_ref`] accepts it (before trimming), for
/// API documents.
pub const REF_NO_PATTERN: &str = "^[Yy][Ff][0-9]{5,}$";

/// Whether a number is an appointment reference (`YF2026000012`) rather than a case number.
pub fn is_appointment_ref(s: &str) -> bool {
    let s = s.trim().to_ascii_uppercase();
    s.len() > 6 && s.starts_with("YF") && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Checks and records a request; the reference and the code to track it with.
pub async fn request(
    state: &AppState,
    input: &AppointmentRequest,
) -> ApiResult<(Appointment, QueryCode)> {
    if !input.website.trim().is_empty() {
        return Err(ApiError::BadRequest("rejected"));
    }
    let mut errors = FieldErrors::new();
    let today = state.config.today();
    let slot = match input.slot_id {
        None => {
            errors.insert("slot_id".into(), "required".into());
            None
        }
        Some(id) => match state.slot(id).await {
            Ok(s)
                if !s.cancelled && !s.is_full() && s.day.as_str() >= today.to_string().as_str() =>
            {
                Some(s)
            }
            Ok(_) | Err(app::AppError::NotFound) => {
                errors.insert("slot_id".into(), "slot_unavailable".into());
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    let matter = input.matter.trim().replace("\r\n", "\n");
    if matter.is_empty() {
        errors.insert("matter".into(), "required".into());
    } else if matter.chars().count() > MAX_MATTER_CHARS {
        errors.insert("matter".into(), "too_long".into());
    }
    let case_no = input.case_no.trim();
    let case_no = if case_no.is_empty() {
        String::new()
    } else {
        match CaseNo::parse(case_no) {
            Some(c) => c.as_str().to_string(),
            None => {
                errors.insert("case_no".into(), "invalid_case_no".into());
                String::new()
            }
        }
    };
    let name = input.name.trim().to_string();
    if name.chars().count() > domain::registration::MAX_NAME_CHARS {
        errors.insert("name".into(), "too_long".into());
    }
    let phone = match input.phone.trim() {
        "" => String::new(),
        p => match PhoneNumber::parse(p) {
            Some(p) => p.as_str().to_string(),
            None => {
                errors.insert("phone".into(), "invalid_phone".into());
                String::new()
            }
        },
    };
    let Some(slot) = slot.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let code = QueryCode::generate(&mut rand::thread_rng());
    let appointment = state
        .request_appointment(
            &NewAppointment {
                slot_id: slot.id,
                matter,
                case_no,
                contact_name: name,
                contact_phone: phone,
                code_hash: sha256_hex(code.as_str()),
            },
            today.year(),
        )
        .await?;
    Ok((appointment, code))
}

/// The appointment with this reference, if the code is its code.
pub async fn find(state: &AppState, ref_no: &str, code: &str) -> ApiResult<Option<Appointment>> {
    let Some(code) = QueryCode::parse(code) else {
        return Ok(None);
    };
    if !is_appointment_ref(ref_no) {
        return Ok(None);
    }
    let found = state
        .appointment_by_ref(&ref_no.trim().to_ascii_uppercase())
        .await?;
    Ok(found.filter(|a| same_secret(&a.code_hash, &sha256_hex(code.as_str()))))
}
