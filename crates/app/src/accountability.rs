//! Accountability records (问责, Arts. 42–46): supervisors and leaders of a unit above an
//! official's unit record a failure in duty on a case; auditors read them. About
//! officials only, never petitioners.

use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::supervision::{
    may_read_accountability, may_supervise, AccountabilityDecision, AccountabilityKind,
};
use domain::{FieldErrors, Role};
use store::{AccountabilityRecord, AuditNote, NewAccountability, StoreError};

/// What a record says, as strings from a form or JSON.
#[derive(Debug, Clone, Default)]
pub struct AccountabilityInput {
    /// The case number.
    pub case_no: String,
    /// The official's username, when they have an account.
    pub official_user: String,
    /// The official's name, when they have none (then `official_unit` is required).
    pub official_name: String,
    /// The official's unit code, when they have no account.
    pub official_unit: String,
    pub kind: String,
    pub facts: String,
    pub decision: String,
    pub decided_by: String,
    /// `YYYY-MM-DD`; today by default.
    pub decided_on: String,
}

fn line(errors: &mut FieldErrors, name: &str, v: &str, required: bool) -> String {
    let r = if required {
        domain::Line::required(v, 100)
    } else {
        domain::Line::parse(v, 100)
    };
    r.map(domain::Line::into_string).unwrap_or_else(|e| {
        errors.insert(name.into(), e.code().into());
        String::new()
    })
}

impl App {
    /// Records an official's failure in duty, with its audit row in one transaction.
    pub async fn record_accountability(
        &self,
        who: &Caller,
        input: &AccountabilityInput,
    ) -> AppResult<AccountabilityRecord> {
        if !matches!(who.role, Role::Supervisor | Role::Leader) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let kind = AccountabilityKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.insert("kind".into(), "invalid_kind".into());
        }
        let decision = AccountabilityDecision::parse(input.decision.trim());
        if decision.is_none() {
            errors.insert("decision".into(), "invalid_decision".into());
        }
        let facts = match domain::Text::required(&input.facts, 5000) {
            Ok(t) => t.into_string(),
            Err(e) => {
                errors.insert("facts".into(), e.code().into());
                String::new()
            }
        };
        let decided_by = line(&mut errors, "decided_by", &input.decided_by, true);
        let today = self.config.today();
        let decided_on = match input.decided_on.trim() {
            "" => Some(today),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|d| *d <= today),
        };
        if decided_on.is_none() {
            errors.insert("decided_on".into(), "invalid_date".into());
        }
        let username = input.official_user.trim();
        let (official_user_id, official_name, official_unit) = if !username.is_empty() {
            match self.store.user_by_name(username).await {
                Ok(u) => (
                    Some(u.id),
                    u.display_name,
                    Some(self.store.unit(u.unit_id).await?),
                ),
                Err(StoreError::NotFound) => {
                    errors.insert("official_user".into(), "unknown_user".into());
                    (None, String::new(), None)
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            let name = line(&mut errors, "official_name", &input.official_name, true);
            let code = input.official_unit.trim().to_ascii_uppercase();
            match self.store.unit_by_code(&code).await {
                Ok(u) => (None, name, Some(u)),
                Err(StoreError::NotFound) => {
                    errors.insert("official_unit".into(), "unknown_unit".into());
                    (None, name, None)
                }
                Err(e) => return Err(e.into()),
            }
        };
        let scope = who.scope();
        let case_id = match self
            .store
            .case_id_by_no(&scope, &input.case_no.trim().to_ascii_uppercase())
            .await
        {
            Ok(id) => id,
            Err(StoreError::NotFound) => {
                errors.insert("case_no".into(), "unknown_case".into());
                0
            }
            Err(e) => return Err(e.into()),
        };
        let (Some(kind), Some(decision), Some(decided_on), Some(official_unit)) =
            (kind, decision, decided_on, official_unit)
        else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if !may_supervise(who.role, &who.unit_path, &official_unit.path) {
            return Err(AppError::Forbidden);
        }
        let actor = who.actor();
        let detail = serde_json::json!({
            "kind": kind.as_str(),
            "article": kind.article(),
            "official": official_name,
            "unit": official_unit.code,
            "decision": decision.as_str(),
        })
        .to_string();
        let note = AuditNote {
            actor: &actor,
            action: "accountability_recorded",
            target: input.case_no.trim().to_ascii_uppercase(),
            detail,
        };
        let record = NewAccountability {
            case_id,
            official_user_id,
            official_name,
            official_unit,
            kind,
            facts,
            decision,
            decided_by,
            decided_on,
        };
        Ok(self.store.create_accountability(&record, &note).await?)
    }

    /// Records about officials of units in the caller's subtree, newest first.
    pub async fn accountability_records(
        &self,
        who: &Caller,
    ) -> AppResult<Vec<AccountabilityRecord>> {
        if !may_read_accountability(who.role) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.accountability_records(&who.scope(), 200).await?)
    }

    /// One record about an official of a unit in the caller's subtree.
    pub async fn accountability_record(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<AccountabilityRecord> {
        if !may_read_accountability(who.role) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.accountability_record(&who.scope(), id).await?)
    }
}
