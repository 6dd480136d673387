//! The case page's timeline: each event in plain words — what was written, the unit a
//! case went to, the reasons, dates and outcomes — with people's display names and units.

use crate::dates::document_date;
use crate::i18n::Tr;
use crate::state::AppState;
use app::model::CaseEvent;
use domain::event::Event;
use domain::lifecycle::{Command, RouteMode};
use std::collections::HashMap;

pub struct TimelineRow {
    pub at: String,
    /// The stored kind, for tests and styling.
    pub kind: String,
    pub title: String,
    /// Who did it: a person's name and unit, or 网上信访 / 信访人 / 系统.
    pub actor: String,
    /// What it recorded, one line each.
    pub lines: Vec<String>,
}

/// Timeline rows for a case's events, oldest first.
pub async fn rows(state: &AppState, t: &Tr, events: &[CaseEvent]) -> Vec<TimelineRow> {
    let mut people: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let actor = match e.actor_id {
            Some(id) => match people.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name = match state.user(id).await {
                        Ok(u) => t.targs(
                            "timeline-person",
                            &[("name", &u.display_name), ("unit", &u.unit_name)],
                        ),
                        Err(_) => e.actor_name.clone(),
                    };
                    people.insert(id, name.clone());
                    name
                }
            },
            // Steps taken outside a staff account: the portal, the petitioner, a job.
            None => t.code("actor", &e.actor_name.replace(' ', "_")),
        };
        let ev = e.event();
        out.push(TimelineRow {
            at: crate::views::local_time(state, e.at),
            // A draft is styled as one: `reply_draft`, …
            kind: match ev.step() {
                Some(step) if step.draft => format!("{}_draft", e.kind),
                _ => e.kind.clone(),
            },
            title: title(t, &ev),
            actor,
            lines: lines(state, t, &ev).await,
        });
    }
    out
}

/// The event's name; a route says which way it went, a draft that it is a draft.
fn title(t: &Tr, ev: &Event) -> String {
    match ev.step() {
        // A drafted reply or opinion is shown as a draft awaiting sign-off, not as issued.
        Some(step) if step.draft => t.code("event", &format!("{}_draft", ev.kind())),
        Some(step) => match &step.command {
            Command::Route {
                mode: RouteMode::LegalChannel,
                ..
            } => t.t("event-directed"),
            Command::Route { mode, .. } => t.targs(
                "timeline-route-title",
                &[
                    ("event", &t.code("event", ev.kind())),
                    ("mode", &t.code("mode", mode.as_str())),
                ],
            ),
            _ => t.code("event", ev.kind()),
        },
        None => t.code("event", ev.kind()),
    }
}

fn line(t: &Tr, key: &str, pairs: &[(&str, &str)]) -> String {
    t.targs(key, pairs)
}

fn date(t: &Tr, d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| document_date(t.lang, d)).unwrap_or_default()
}

fn date_str(t: &Tr, s: &str) -> String {
    crate::dates::document_date_str(t.lang, s)
}

async fn unit_label(state: &AppState, t: &Tr, code: &str) -> String {
    match state.unit_by_code(code).await {
        Ok(u) if t.is_en() && !u.name_en.is_empty() => u.name_en,
        Ok(u) => u.name,
        Err(_) => code.to_string(),
    }
}

async fn lines(state: &AppState, t: &Tr, ev: &Event) -> Vec<String> {
    let mut out = vec![];
    match ev {
        Event::Registered(r) => {
            out.push(line(
                t,
                "timeline-channel",
                &[("channel", &t.code("channel", r.channel.as_str()))],
            ));
            if let Some(code) = &r.unit {
                let unit = unit_label(state, t, code).await;
                out.push(line(t, "timeline-registered-in", &[("unit", &unit)]));
            }
        }
        Event::Corrected(fields) => {
            for (field, change) in fields {
                let label = t.field_label(field);
                if matches!(field.as_str(), "content" | "demands") {
                    out.push(line(t, "timeline-corrected-text", &[("field", &label)]));
                } else {
                    out.push(line(
                        t,
                        "timeline-corrected",
                        &[
                            ("field", &label),
                            ("from", &change.from),
                            ("to", &change.to),
                        ],
                    ));
                }
            }
        }
        Event::AttachmentAdded { filename, .. } => {
            out.push(line(t, "timeline-attachment", &[("file", filename)]))
        }
        Event::OwnerAssigned { owner_name, .. } => {
            out.push(line(t, "timeline-owner", &[("name", owner_name)]))
        }
        Event::AttendanceNotified { users, .. } => out.push(line(
            t,
            "timeline-attendance-notified",
            &[("count", &users.len().to_string())],
        )),
        Event::AttendanceRecorded { users } => out.push(line(
            t,
            "timeline-attendance-recorded",
            &[("count", &users.len().to_string())],
        )),
        Event::FieldVisitLinked {
            day,
            place,
            leader_name,
            ..
        } => out.push(line(
            t,
            "timeline-field-visit",
            &[
                ("name", leader_name),
                ("day", &date_str(t, day)),
                ("place", place),
            ],
        )),
        Event::DueSoon { due_on } | Event::Overdue { due_on } => {
            out.push(line(t, "timeline-due", &[("due", &date_str(t, due_on))]))
        }
        Event::Closed { reason }
        | Event::SupervisionListed { reason }
        | Event::SupervisionUnlisted { reason } => {
            out.push(line(t, "timeline-reason", &[("reason", reason)]))
        }
        Event::SupervisionOrdered(o) => {
            out.push(line(
                t,
                "sv-timeline-ordered",
                &[
                    ("no", &o.order_no),
                    ("unit", o.to_unit.name_in(t.is_en())),
                    ("due", &date(t, Some(o.due_on))),
                ],
            ));
            out.push(line(t, "sv-timeline-reason", &[("reason", &o.reason)]));
        }
        Event::SupervisionAnswered { order, text } => {
            out.push(line(t, "sv-timeline-answered", &[("no", &order.order_no)]));
            out.push(line(t, "timeline-reply-text", &[("text", text)]));
        }
        Event::SupervisionWithdrawn { order, reason } => {
            out.push(line(t, "sv-timeline-withdrawn", &[("no", &order.order_no)]));
            out.push(line(
                t,
                "sv-timeline-withdrawn-reason",
                &[("reason", reason)],
            ));
        }
        Event::SupervisionReminded { order, scheduled } => out.push(line(
            t,
            if *scheduled {
                "sv-timeline-reminded-scheduled"
            } else {
                "sv-timeline-reminded"
            },
            &[
                ("no", &order.order_no),
                ("due", &date(t, Some(order.due_on))),
            ],
        )),
        Event::Linked(l) | Event::Unlinked(l) => out.push(line(
            t,
            &format!("link-line-{}", l.reading().replace('_', "-")),
            &[("case_no", &l.other_no)],
        )),
        Event::Step(step) => {
            let due = date(t, step.due);
            if step.draft {
                out.push(t.t("timeline-draft-pending"));
            }
            // An approval issues the draft it signs off: name the document, then what
            // it says.
            let said = match &step.command {
                Command::Approve { issues: Some(c) } => {
                    let doc = t.code("waiting", c.action().as_str());
                    out.push(line(t, "timeline-approved-issues", &[("doc", &doc)]));
                    c.as_ref()
                }
                other => other,
            };
            match said {
                Command::Route {
                    mode,
                    unit,
                    channel,
                    result_due,
                } => {
                    let to = match (&step.to_unit, unit) {
                        (Some(u), _) => u.name_in(t.is_en()).to_string(),
                        (None, Some(code)) => unit_label(state, t, code).await,
                        (None, None) => String::new(),
                    };
                    match mode {
                        RouteMode::Transfer => {
                            out.push(line(t, "timeline-transferred-to", &[("unit", &to)]))
                        }
                        RouteMode::Assign => {
                            out.push(line(t, "timeline-assigned-to", &[("unit", &to)]));
                            out.push(line(
                                t,
                                "timeline-result-due",
                                &[("due", &date(t, *result_due))],
                            ));
                        }
                        RouteMode::SelfHandle => out.push(t.t("timeline-self")),
                        RouteMode::LegalChannel => out.push(line(
                            t,
                            "timeline-legal-channel",
                            &[("channel", channel.as_deref().unwrap_or(""))],
                        )),
                    }
                    if step.due.is_some() {
                        out.push(line(t, "timeline-acceptance-due", &[("due", &due)]));
                    }
                }
                Command::Object { reason }
                | Command::RequestReview { reason }
                | Command::RequestRereview { reason }
                | Command::Close { reason }
                | Command::Void { reason } => {
                    out.push(line(t, "timeline-reason", &[("reason", reason)]));
                    if step.due.is_some() {
                        out.push(line(t, "timeline-next-due", &[("due", &due)]));
                    }
                }
                Command::Accept => {
                    out.push(line(t, "timeline-handling-due", &[("due", &due)]));
                }
                Command::Decline { reason, refer_to } => {
                    out.push(line(t, "timeline-reason", &[("reason", reason)]));
                    out.push(line(t, "timeline-refer-to", &[("body", refer_to)]));
                }
                Command::Note { kind, text } => out.push(line(
                    t,
                    "timeline-note",
                    &[("kind", &t.code("note", kind.as_str())), ("text", text)],
                )),
                Command::Extend { days, reason } => {
                    out.push(line(t, "timeline-extended", &[("days", &days.to_string())]));
                    out.push(line(t, "timeline-reason", &[("reason", reason)]));
                    out.push(line(t, "timeline-handling-due", &[("due", &due)]));
                }
                Command::Reply {
                    outcome,
                    text,
                    basis,
                } => {
                    out.push(line(
                        t,
                        "timeline-outcome",
                        &[("outcome", &t.code("outcome", outcome.as_str()))],
                    ));
                    out.push(line(t, "timeline-reply-text", &[("text", text)]));
                    out.push(line(t, "timeline-basis", &[("basis", basis)]));
                }
                Command::ReviewDecision { outcome, text }
                | Command::RereviewDecision { outcome, text } => {
                    out.push(line(
                        t,
                        "timeline-outcome",
                        &[("outcome", &t.code("review-outcome", outcome.as_str()))],
                    ));
                    out.push(line(t, "timeline-opinion-text", &[("text", text)]));
                }
                Command::Deliver { received_on } => out.push(line(
                    t,
                    "timeline-received-on",
                    &[("date", &document_date(t.lang, *received_on))],
                )),
                Command::Rate { rating } => out.push(line(
                    t,
                    "timeline-rating",
                    &[("rating", &t.code("rating", rating.as_str()))],
                )),
                Command::LinkConcluded { case_no } => {
                    out.push(line(t, "timeline-concluded-case", &[("case_no", case_no)]))
                }
                Command::Return { comments } => out.push(line(
                    t,
                    "timeline-return-comments",
                    &[("comments", comments)],
                )),
                Command::Approve { .. } => {}
            }
            if let Some(u) = &step.by_unit {
                if matches!(
                    said,
                    Command::ReviewDecision { .. } | Command::RereviewDecision { .. }
                ) {
                    out.push(line(
                        t,
                        "timeline-by-unit",
                        &[("unit", u.name_in(t.is_en()))],
                    ));
                }
            }
        }
        Event::Other { .. } => {}
    }
    out.retain(|l| !l.trim().is_empty());
    out
}
