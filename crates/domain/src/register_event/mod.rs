//! The history of the registers' entries (disputes, screenings, inspection campaigns,
//! establishments, plans, incidents, leading groups, hotspots), one enum per register,
//! each change with its typed fields. A register's history is stored as rows of
//! `(register, kind, payload JSON)`; [`RegisterHistory`] is the one place that turns an
//! event into that pair and back.
//!
//! The stored JSON is what it always was (the same kinds and field names, codes for coded
//! values), so older rows decode. A kind this build does not know, or a payload that does
//! not fit its kind, decodes as the register's `Other` variant, kept as stored: a page
//! shows it without details and nothing stored is lost or refused.

mod entries;

pub use entries::*;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// An event as stored: its kind and its payload (a JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stored {
    pub kind: String,
    pub payload: Value,
}

impl Stored {
    /// The stored form of a typed event, serialized adjacently tagged
    /// (`{"kind": …, "payload": {…}}`).
    fn of<T: Serialize>(event: &T) -> Stored {
        // Typed events are plain structs with string keys: serializing them cannot fail.
        let v = serde_json::to_value(event).unwrap_or_default();
        Stored {
            kind: v["kind"].as_str().unwrap_or_default().to_string(),
            payload: match v.get("payload") {
                Some(p) => p.clone(),
                None => Value::Object(Map::new()),
            },
        }
    }

    /// The typed event this stored pair is, if it is one.
    fn read<T: DeserializeOwned>(kind: &str, payload: &Value) -> Option<T> {
        let mut tagged = Map::new();
        tagged.insert("kind".into(), Value::String(kind.to_string()));
        tagged.insert("payload".into(), payload.clone());
        serde_json::from_value(Value::Object(tagged)).ok()
    }
}

/// One register's history: which register it is, and its events' stored form.
pub trait RegisterHistory: Sized {
    /// The register's name in the stored rows.
    const REGISTER: &'static str;

    /// The stored kind and payload.
    fn stored(&self) -> Stored;

    /// Reads a stored event; an unknown kind or a payload that does not fit its kind is
    /// kept as the register's `Other` variant.
    fn decode(kind: &str, payload: &Value) -> Self;

    /// The stored kind: `created`, `closed`, … (or the unknown kind as stored).
    fn kind(&self) -> String {
        self.stored().kind
    }

    /// The stored payload.
    fn payload(&self) -> Value {
        self.stored().payload
    }
}

/// Implements [`RegisterHistory`] for an adjacently tagged enum with an
/// `Other(Stored)` variant that serde skips.
macro_rules! register_history {
    ($name:ident, $register:literal) => {
        impl RegisterHistory for $name {
            const REGISTER: &'static str = $register;

            fn stored(&self) -> Stored {
                match self {
                    $name::Other(s) => s.clone(),
                    typed => Stored::of(typed),
                }
            }

            fn decode(kind: &str, payload: &Value) -> Self {
                Stored::read(kind, payload).unwrap_or_else(|| {
                    $name::Other(Stored {
                        kind: kind.to_string(),
                        payload: payload.clone(),
                    })
                })
            }
        }
    };
}

register_history!(DisputeEvent, "dispute");
register_history!(ScreeningEvent, "screening");
register_history!(PlanEvent, "plan");
register_history!(IncidentEvent, "incident");
register_history!(GroupEvent, "leading_group");
register_history!(EstablishmentEvent, "establishment");
register_history!(CampaignEvent, "inspection_campaign");
register_history!(HotspotEvent, "hotspot");

#[cfg(test)]
mod tests;
