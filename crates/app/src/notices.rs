//! The notices a petitioner must be sent (transfer, acceptance or non-acceptance,
//! extension, the decision, review and re-review opinions), filled from the case and the
//! event that called for them, from templates an admin can edit.
//!
//! A notice is issued by the unit that took the step, as it was at that moment: the
//! event carries that unit (and, for a transfer or an assignment, the unit that received
//! the case), so a later transfer or rename never changes a notice already issued.

use crate::{App, AppError, AppResult};
use domain::lifecycle::{self, Command, RouteMode};
use serde::Serialize;
use std::collections::HashMap;
use store::{CaseEvent, CaseRecord, NoticeTemplate, StoreError};

/// The words a notice takes from its reader's language: the adapter that renders it
/// (the web's translations) provides them.
pub trait NoticeWords: Sync {
    /// The templates' language: `zh` or `en`.
    fn template_lang(&self) -> domain::annual::DocumentLang;
    /// How a petition without a named petitioner names its petitioner.
    fn petitioner(&self) -> String;
    /// A reply's outcome (`outcome-…`) and a review's (`review-outcome-…`) in words.
    fn outcome(&self, code: &str) -> String;
    fn review_outcome(&self, code: &str) -> String;
    /// A `YYYY-MM-DD` day as a document writes it (2026年11月30日).
    fn document_date(&self, ymd: &str) -> String;
}

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// The event that called for it.
    pub seq: i64,
    pub kind: &'static str,
    /// The day of the step, `YYYY-MM-DD`.
    pub date: String,
    /// The same day as the document writes it (2026年11月30日).
    pub date_text: String,
    /// The unit that issues the notice: the one that took the step, as it was then. It
    /// heads and signs the notice, and is "本机关" in its text.
    pub issuer: String,
    /// For a transfer or an assignment: the unit that received the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receiving_unit: Option<String>,
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The notice a step calls for, if any. A draft awaiting sign-off calls for none; a
/// leader's approval calls for the notice of the reply or opinion it issued.
pub fn kind_of(step: &lifecycle::Event) -> Option<&'static str> {
    match step.effect()? {
        Command::Route {
            mode: RouteMode::LegalChannel,
            ..
        } => Some("legal_channel"),
        Command::Route {
            mode: RouteMode::SelfHandle,
            ..
        } => None,
        Command::Route { .. } => Some("transfer"),
        Command::Accept => Some("acceptance"),
        Command::Decline { .. } => Some("non_acceptance"),
        Command::Extend { .. } => Some("extension"),
        Command::Reply { .. } => Some("decision"),
        Command::ReviewDecision { .. } => Some("review_opinion"),
        Command::RereviewDecision { .. } => Some("rereview_opinion"),
        Command::LinkConcluded { .. } => Some("concluded"),
        _ => None,
    }
}

/// Placeholders that hold what staff wrote: a lead-in the template already has is not
/// repeated when the text starts with it.
const FREE_TEXT: &[&str] = &["text", "reason", "basis"];

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '\n' | '.' | '!' | '?')
}

fn is_clause_mark(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '、')
}

fn starts_with_words(value: &str, words: &str) -> bool {
    let words = words.trim();
    words.chars().count() >= 2
        && value
            .trim_start()
            .to_lowercase()
            .starts_with(&words.to_lowercase())
}

/// Appends `value` to `out`, dropping the template's lead-in when the value repeats it.
/// `lead_start` is where the literal text before the placeholder begins in `out`, and
/// `after_placeholder` says whether it follows another placeholder (not a sentence).
fn push_free_text(out: &mut String, lead_start: usize, after_placeholder: bool, value: &str) {
    let tail = &out[lead_start..];
    let sentence = tail
        .char_indices()
        .filter(|(_, c)| is_sentence_end(*c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    let (start, whole) = match sentence {
        Some(i) => (lead_start + i, true),
        None => (lead_start, !after_placeholder),
    };
    let lead = out[start..].to_string();
    let lead_body = lead.trim_start();
    let lead_at = start + (lead.len() - lead_body.len());
    // The whole lead-in ("经调查核实，处理意见如下：") when the text opens with its first words.
    let first = lead_body.split(is_clause_mark).next().unwrap_or("");
    if whole && !lead_body.is_empty() && starts_with_words(value, first) {
        out.truncate(lead_at);
        out.push_str(value.trim_start());
        return;
    }
    // Otherwise its last clause ("理由如下：") when the text opens with that.
    let trimmed = lead_body.trim_end_matches(|c: char| c == '：' || c == ':' || c.is_whitespace());
    let last_at = trimmed
        .char_indices()
        .filter(|(_, c)| is_clause_mark(*c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    let last = &trimmed[last_at..];
    if last_at > 0 && starts_with_words(value, last) {
        let cut = lead_at + last_at + (last.len() - last.trim_start().len());
        out.truncate(cut);
        out.push_str(value.trim_start());
        return;
    }
    out.push_str(value);
}

/// Fills `{name}` placeholders; unknown ones stay as written. Values are plain text, and
/// the page escapes everything when it renders.
pub fn fill(template: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    // Where the literal text since the last placeholder begins in `out`.
    let mut literal_from = 0;
    let mut after_placeholder = false;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if values.contains_key(&after[..end]) => {
                let key = &after[..end];
                let value = &values[key];
                if FREE_TEXT.contains(&key) {
                    push_free_text(&mut out, literal_from, after_placeholder, value);
                } else {
                    out.push_str(value);
                }
                literal_from = out.len();
                after_placeholder = true;
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

/// A template filled and split into paragraphs.
pub fn render(tpl: &NoticeTemplate, v: &HashMap<&str, String>) -> (String, Vec<String>) {
    (
        fill(&tpl.title, v),
        fill(&tpl.body, v)
            .split("\n\n")
            .map(|para| para.trim().to_string())
            .filter(|para| !para.is_empty())
            .collect(),
    )
}

/// The placeholders every notice of the case shares.
pub fn case_values(t: &dyn NoticeWords, c: &CaseRecord) -> HashMap<&'static str, String> {
    let petitioner = if c.petitioners.is_empty() {
        t.petitioner()
    } else {
        c.petitioners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut v: HashMap<&str, String> = HashMap::new();
    v.insert("office", c.summary.unit_name.clone());
    v.insert("case_no", c.summary.case_no.clone());
    v.insert("petitioner", petitioner);
    v.insert("received_on", t.document_date(&c.summary.received_on));
    v.insert("content", c.content.clone());
    v.insert("demands", c.demands.clone());
    v
}

/// A unit's name by code, for rows written before events carried their units.
async fn name_by_code(app: &App, code: Option<&str>, en: bool) -> Option<String> {
    let u = app.store.unit_by_code(code?).await.ok()?;
    Some(if en && !u.name_en.is_empty() {
        u.name_en
    } else {
        u.name
    })
}

/// The placeholders a step fills.
fn step_values(
    t: &dyn NoticeWords,
    step: &lifecycle::Event,
    v: &mut HashMap<&'static str, String>,
) {
    v.insert("date", t.document_date(&step.on.to_string()));
    v.insert(
        "due",
        step.due
            .map(|d| t.document_date(&d.to_string()))
            .unwrap_or_default(),
    );
    for k in [
        "reason",
        "refer_to",
        "channel",
        "days",
        "text",
        "basis",
        "concluded_case",
    ] {
        v.insert(k, String::new());
    }
    // A signed-off reply or opinion says what the approval issued.
    let Some(said) = step.effect() else { return };
    match said {
        Command::Route { channel, .. } => {
            v.insert("channel", channel.clone().unwrap_or_default());
        }
        Command::Decline { reason, refer_to } => {
            v.insert("reason", reason.clone());
            v.insert("refer_to", refer_to.clone());
        }
        Command::Extend { days, reason } => {
            v.insert("days", days.to_string());
            v.insert("reason", reason.clone());
        }
        Command::Reply {
            outcome,
            text,
            basis,
        } => {
            v.insert("outcome", t.outcome(outcome.as_str()));
            v.insert("text", text.clone());
            v.insert("basis", basis.clone());
        }
        Command::ReviewDecision { outcome, text } | Command::RereviewDecision { outcome, text } => {
            v.insert("outcome", t.review_outcome(outcome.as_str()));
            v.insert("text", text.clone());
        }
        Command::LinkConcluded { case_no } => {
            v.insert("concluded_case", case_no.clone());
        }
        _ => {}
    }
}

/// A unit's path by its code, remembered; `None` for a code that names no unit.
async fn path_of(
    app: &App,
    paths: &mut HashMap<String, String>,
    code: &str,
) -> Result<Option<String>, AppError> {
    if let Some(p) = paths.get(code) {
        return Ok(Some(p.clone()));
    }
    match app.store.unit_by_code(code).await {
        Ok(u) => {
            paths.insert(code.to_string(), u.path.clone());
            Ok(Some(u.path))
        }
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl App {
    /// Every notice the case's events call for, oldest first, in the words of `t`.
    pub async fn notices_for(
        &self,
        t: &dyn NoticeWords,
        c: &CaseRecord,
        events: &[CaseEvent],
    ) -> AppResult<Vec<Notice>> {
        let state = self;
        let en = t.template_lang() == domain::annual::DocumentLang::En;
        let base = case_values(t, c);
        let mut out = vec![];
        let mut paths: HashMap<String, String> = HashMap::new();
        let case_unit_path = state.store.unit(c.summary.unit_id).await?.path;
        // The unit holding the case, followed through the events, for old rows that do not
        // carry their units.
        let mut holder: Option<String> = None;
        for e in events {
            let ev = e.event();
            let held_by = holder.clone();
            if let Some(code) = ev.moved_to() {
                holder = Some(code.to_string());
            }
            let Some(step) = ev.step() else { continue };
            let Some(kind) = kind_of(step) else { continue };
            let issuer = match &step.by_unit {
                Some(u) => u.name_in(en).to_string(),
                None => name_by_code(state, held_by.as_deref(), en)
                    .await
                    .unwrap_or_else(|| c.summary.unit_name.clone()),
            };
            let receiving_unit = match (&step.command, &step.to_unit) {
                (Command::Route { .. }, Some(u)) => Some(u.name_in(en).to_string()),
                (
                    Command::Route {
                        unit: Some(code), ..
                    },
                    None,
                ) => Some(
                    name_by_code(state, Some(code), en)
                        .await
                        .unwrap_or_else(|| code.clone()),
                ),
                _ => None,
            };
            let mut v = base.clone();
            step_values(t, step, &mut v);
            v.insert("office", issuer.clone());
            v.insert("unit", receiving_unit.clone().unwrap_or_default());
            // The template of the nearest unit up the tree from the unit that issued it.
            let issuer_code = step
                .by_unit
                .as_ref()
                .map(|u| u.code.clone())
                .or_else(|| held_by.clone());
            let issuer_path = match issuer_code {
                Some(code) => path_of(state, &mut paths, &code).await?,
                None => None,
            }
            .unwrap_or_else(|| case_unit_path.clone());
            let tpl = state
                .store
                .notice_template(&issuer_path, kind, t.template_lang())
                .await?;
            let (title, paragraphs) = render(&tpl, &v);
            out.push(Notice {
                seq: e.seq,
                kind,
                date: step.on.to_string(),
                date_text: t.document_date(&step.on.to_string()),
                issuer,
                receiving_unit,
                title,
                paragraphs,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&'static str, &str)]) -> HashMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let v = values(&[
            ("case_no", "330106-2026-000001"),
            ("petitioner", "张三{date}"),
        ]);
        assert_eq!(
            fill("{petitioner}：编号{case_no}，{unknown}，{", &v),
            "张三{date}：编号330106-2026-000001，{unknown}，{"
        );
    }

    #[test]
    fn a_reply_that_opens_with_the_lead_in_does_not_repeat_it() {
        let tpl = "收悉。\n\n经调查核实，处理意见如下：{text}\n\n处理结论：支持。依据：{basis}";
        let own = values(&[
            ("text", "经调查核实，您反映的欠薪属实，已责令支付。"),
            ("basis", "依据《劳动合同法》第三十条"),
        ]);
        assert_eq!(
            fill(tpl, &own),
            "收悉。\n\n经调查核实，您反映的欠薪属实，已责令支付。\n\n处理结论：支持。依据《劳动合同法》第三十条"
        );
        let last = values(&[
            ("text", "处理意见如下：支付工资。"),
            ("basis", "《劳动法》"),
        ]);
        assert_eq!(
            fill(tpl, &last),
            "收悉。\n\n经调查核实，处理意见如下：支付工资。\n\n处理结论：支持。依据：《劳动法》"
        );
        let plain = values(&[("text", "经核实，支持您的诉求。"), ("basis", "《劳动法》")]);
        assert_eq!(
            fill(tpl, &plain),
            "收悉。\n\n经调查核实，处理意见如下：经核实，支持您的诉求。\n\n处理结论：支持。依据：《劳动法》"
        );
        let en = values(&[("text", "Having investigated, we found the wages unpaid.")]);
        assert_eq!(
            fill(
                "We received it.\n\nHaving investigated, we decide as follows: {text}",
                &en
            ),
            "We received it.\n\nHaving investigated, we found the wages unpaid."
        );
    }

    #[test]
    fn a_lead_in_after_another_placeholder_is_kept_whole() {
        let tpl = "您的事项（编号{case_no}），本机关决定不予受理，理由如下：{reason}";
        let v = values(&[
            ("case_no", "A-1"),
            ("reason", "理由如下：不属于本机关职权。"),
        ]);
        assert_eq!(
            fill(tpl, &v),
            "您的事项（编号A-1），本机关决定不予受理，理由如下：不属于本机关职权。"
        );
        let v = values(&[("case_no", "A-1"), ("reason", "本机关无权处理。")]);
        assert_eq!(
            fill(tpl, &v),
            "您的事项（编号A-1），本机关决定不予受理，理由如下：本机关无权处理。"
        );
    }
}
