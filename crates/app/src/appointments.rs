//! A petitioner's appointment with a leader (约访): the request, checked against the
//! published slot, and finding it again with its reference and code.

use crate::password::{same_secret, sha256_hex};
use crate::{App, AppError, AppResult};
use chrono::Datelike;
use domain::{CaseNo, FieldErrors, PhoneNumber, QueryCode};
use serde::Deserialize;
use store::{Appointment, NewAppointment};

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

/// The optional fields of a request, checked: the earlier case's number, the name and
/// the phone.
fn contact(input: &AppointmentRequest, errors: &mut FieldErrors) -> (String, String, String) {
    let case_no = match input.case_no.trim() {
        "" => String::new(),
        c => match CaseNo::parse(c) {
            Some(c) => c.as_str().to_string(),
            None => {
                errors.insert("case_no".into(), "invalid_case_no".into());
                String::new()
            }
        },
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
    (case_no, name, phone)
}

impl App {
    /// Checks and records a request for a published slot that is still open; the
    /// appointment and the code to track it with.
    pub async fn ask_appointment(
        &self,
        input: &AppointmentRequest,
    ) -> AppResult<(Appointment, QueryCode)> {
        if !input.website.trim().is_empty() {
            return Err(AppError::BadRequest("rejected"));
        }
        let mut errors = FieldErrors::new();
        let today = self.config.today();
        let slot = match input.slot_id {
            None => {
                errors.insert("slot_id".into(), "required".into());
                None
            }
            Some(id) => match self.store.slot(id).await {
                Ok(s) if !s.cancelled && !s.is_full() && s.day >= today.to_string() => Some(s),
                Ok(_) | Err(store::StoreError::NotFound) => {
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
        let (case_no, contact_name, contact_phone) = contact(input, &mut errors);
        let Some(slot) = slot.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let code = QueryCode::generate(&mut rand::thread_rng());
        let appointment = self
            .store
            .request_appointment(
                &NewAppointment {
                    slot_id: slot.id,
                    matter,
                    case_no,
                    contact_name,
                    contact_phone,
                    code_hash: sha256_hex(code.as_str()),
                },
                today.year(),
            )
            .await?;
        Ok((appointment, code))
    }

    /// The appointment with this reference, if the code is its code; `None` for a wrong
    /// reference and a wrong code alike.
    pub async fn find_appointment(
        &self,
        ref_no: &str,
        code: &str,
    ) -> AppResult<Option<Appointment>> {
        let Some(code) = QueryCode::parse(code) else {
            return Ok(None);
        };
        if !is_appointment_ref(ref_no) {
            return Ok(None);
        }
        let found = self
            .store
            .appointment_by_ref(&ref_no.trim().to_ascii_uppercase())
            .await?;
        Ok(found.filter(|a| same_secret(&a.code_hash, &sha256_hex(code.as_str()))))
    }
}
