//! The notices a petitioner must be sent (transfer, acceptance or non-acceptance,
//! extension, the decision, review and re-review opinions), filled from the case and the
//! event that called for them, from templates an admin can edit.

use crate::app::AppState;
use crate::i18n::{Lang, Tr};
use serde::Serialize;
use std::collections::HashMap;
use store::{CaseEvent, CaseRecord, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// The event that called for it.
    pub seq: i64,
    pub kind: &'static str,
    pub date: String,
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The notice an event calls for, if any.
pub fn kind_of(e: &CaseEvent) -> Option<&'static str> {
    let p = &e.payload;
    // A draft awaiting sign-off is not issued: no notice until a leader approves it.
    if p["draft"] == true {
        return None;
    }
    match e.kind.as_str() {
        "approve" => match p["issues"]["action"].as_str() {
            Some("reply") => Some("decision"),
            Some("review_decision") => Some("review_opinion"),
            Some("rereview_decision") => Some("rereview_opinion"),
            _ => None,
        },
        "route" if p["mode"] == "legal_channel" => Some("legal_channel"),
        "route" => Some("transfer"),
        "accept" => Some("acceptance"),
        "decline" => Some("non_acceptance"),
        "extend" => Some("extension"),
        "reply" => Some("decision"),
        "review_decision" => Some("review_opinion"),
        "rereview_decision" => Some("rereview_opinion"),
        "link_concluded" => Some("concluded"),
        _ => None,
    }
}

/// Fills `{name}` placeholders; unknown ones stay as written. Values are plain text, and
/// the page escapes everything when it renders.
pub fn fill(template: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if values.contains_key(&after[..end]) => {
                out.push_str(&values[&after[..end]]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn s(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every notice the case's events call for, oldest first.
pub async fn notices_for(
    state: &AppState,
    t: &Tr,
    c: &CaseRecord,
    events: &[CaseEvent],
) -> Result<Vec<Notice>, StoreError> {
    let lang = if t.lang == Lang::En { "en" } else { "zh" };
    let petitioner = if c.petitioners.is_empty() {
        t.t("notice-petitioner")
    } else {
        c.petitioners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut out = vec![];
    for e in events {
        let Some(kind) = kind_of(e) else { continue };
        let p = &e.payload;
        // What a signed-off reply or opinion says is in the approval's `issues`.
        let said = if e.kind == "approve" { &p["issues"] } else { p };
        let mut v: HashMap<&str, String> = HashMap::new();
        v.insert("office", c.summary.unit_name.clone());
        v.insert("case_no", c.summary.case_no.clone());
        v.insert("petitioner", petitioner.clone());
        v.insert("received_on", c.summary.received_on.clone());
        v.insert("content", c.content.clone());
        v.insert("demands", c.demands.clone());
        v.insert("date", s(&p["on"]));
        v.insert("due", s(&p["due"]));
        for k in ["reason", "refer_to", "channel", "days", "text", "basis"] {
            v.insert(k, s(&said[k]));
        }
        v.insert("concluded_case", s(&p["case_no"]));
        let unit_code = s(&p["unit"]);
        let unit = match state.store.unit_by_code(&unit_code).await {
            Ok(u) => u.name,
            Err(_) => unit_code,
        };
        v.insert("unit", unit);
        let outcome = s(&said["outcome"]);
        let prefix = if kind == "decision" {
            "outcome"
        } else {
            "review-outcome"
        };
        v.insert("outcome", t.code(prefix, &outcome));
        let tpl = state.store.notice_template(kind, lang).await?;
        out.push(Notice {
            seq: e.seq,
            kind,
            date: s(&p["on"]),
            title: fill(&tpl.title, &v),
            paragraphs: fill(&tpl.body, &v)
                .split("\n\n")
                .map(|para| para.trim().to_string())
                .filter(|para| !para.is_empty())
                .collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let mut v = HashMap::new();
        v.insert("case_no", "330106-2026-000001".to_string());
        v.insert("petitioner", "张三{date}".to_string());
        assert_eq!(
            fill("{petitioner}：编号{case_no}，{unknown}，{", &v),
            "张三{date}：编号330106-2026-000001，{unknown}，{"
        );
    }
}
