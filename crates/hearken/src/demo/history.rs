//! A demo case's history, made the way a live office makes one: every step is a command
//! that `domain::lifecycle::decide` accepts on the day it is taken, on the office's
//! working-day calendar and rule set, folded into the case with `Life::apply`. A
//! simulated clock moves forward from the registration; it stops at now, so a case whose
//! next step would come later stays in its stage, and one whose office stalled is left
//! open past its due date, overdue as a live one would be.

use super::staff::Staff;
use anyhow::anyhow;
use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use domain::calendar::{Calendar, RuleSet};
use domain::lifecycle::{
    decide, Command, Context, Life, NoteKind, Outcome, Rating, ReviewOutcome, RouteMode, Units,
};
use domain::UnitLevel;
use rand::Rng;
use store::bulk::BulkEvent;

/// Today and now, in the office's time zone.
pub struct Clock {
    pub tz: FixedOffset,
    pub today: NaiveDate,
    pub now_ms: i64,
}

/// A case's steps after its registration, and where they left it.
pub struct History {
    pub life: Life,
    /// The unit that holds the case after the last step.
    pub holder: i64,
    pub events: Vec<BulkEvent>,
    /// What the steps count toward the rates, with the unit that held the case.
    pub tallies: Vec<(i64, domain::stats::Tally)>,
    /// When the last step was taken (the registration time if none was).
    pub last_at: i64,
    pub steps: i64,
}

/// Share of cases whose office stops working them at some stage (they fall overdue).
const STALL: f64 = 0.04;
/// Share of steps taken after their due date.
const LATE: f64 = 0.03;

const LEGAL_CHANNELS: &[&str] = &["劳动人事争议仲裁", "行政复议", "民事诉讼", "行政诉讼"];
const DECLINE_REASONS: &[&str] = &[
    "不属于本机关职权范围",
    "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决",
    "反映事项已由有权处理机关受理",
];
const REFER_TO: &[&str] = &["人民法院", "劳动人事争议仲裁委员会", "上级主管部门"];
const NOTES: &[(NoteKind, &str)] = &[
    (NoteKind::Note, "已调阅相关材料，正在核实。"),
    (NoteKind::Hearing, "组织听证，双方陈述了意见。"),
    (NoteKind::Mediation, "组织双方调解，达成初步意向。"),
    (NoteKind::Coordination, "会同相关部门协调处理。"),
];
const REPLIES: &[(Outcome, &str)] = &[
    (
        Outcome::Support,
        "经调查核实，反映情况属实，已责成相关单位限期解决。",
    ),
    (
        Outcome::Explain,
        "经调查核实，已就有关政策向信访人作出解释说明。",
    ),
    (
        Outcome::Reject,
        "经调查核实，信访诉求缺乏事实和政策依据，不予支持。",
    ),
];
const BASES: &[&str] = &[
    "《信访工作条例》第三十二条",
    "《劳动合同法》有关规定",
    "《国有土地上房屋征收与补偿条例》",
    "《消费者权益保护法》有关规定",
];
const RETURN_COMMENTS: &[&str] = &["事实部分请补充核实依据。", "处理意见表述不够明确，请修改。"];
const REVIEW_REASONS: &[&str] = &["对处理意见不服。", "认为处理意见未解决实际问题。"];
const CLOSE_REASONS: &[&str] = &["办结", "已按程序办结归档"];

fn pick<'a, T, R: Rng>(rng: &mut R, xs: &'a [T]) -> &'a T {
    &xs[rng.gen_range(0..xs.len())]
}

/// Plays one case's lifecycle forward from its registration.
pub struct Sim<'a, R: Rng> {
    rng: &'a mut R,
    calendar: &'a Calendar,
    rules: &'a RuleSet,
    clock: &'a Clock,
    staff: &'a Staff,
    life: Life,
    holder: i64,
    day: NaiveDate,
    at: i64,
    events: Vec<BulkEvent>,
    tallies: Vec<(i64, domain::stats::Tally)>,
    steps: i64,
}

/// Takes a step, or ends the history when the clock has not reached it yet.
macro_rules! take {
    ($sim:expr, $day:expr, $cmd:expr) => {
        if !$sim.step($day, $cmd, None)? {
            return Ok(());
        }
    };
}

impl<'a, R: Rng> Sim<'a, R> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rng: &'a mut R,
        calendar: &'a Calendar,
        rules: &'a RuleSet,
        clock: &'a Clock,
        staff: &'a Staff,
        life: Life,
        holder: i64,
        registered_at: i64,
    ) -> anyhow::Result<Self> {
        let day = clock
            .tz
            .timestamp_millis_opt(registered_at)
            .single()
            .ok_or_else(|| anyhow!("registration time {registered_at}"))?
            .date_naive();
        Ok(Sim {
            rng,
            calendar,
            rules,
            clock,
            staff,
            life,
            holder,
            day,
            at: registered_at,
            events: Vec::with_capacity(10),
            tallies: Vec::with_capacity(6),
            steps: 0,
        })
    }

    /// Plays the case forward as far as the clock allows.
    pub fn run(mut self) -> anyhow::Result<History> {
        self.play()?;
        Ok(History {
            life: self.life,
            holder: self.holder,
            events: self.events,
            tallies: self.tallies,
            last_at: self.at,
            steps: self.steps,
        })
    }

    /// `n` working days after `day` (`day` itself for 0).
    fn working(&self, day: NaiveDate, n: u32) -> NaiveDate {
        self.calendar.add_working_days(day, n).date
    }

    /// Between `lo` and `hi` working days after `day`, at random.
    fn later(&mut self, day: NaiveDate, lo: u32, hi: u32) -> NaiveDate {
        let n = self.rng.gen_range(lo..=hi);
        self.working(day, n)
    }

    /// A day for a step owed by `due`: usually well within it, now and then late.
    fn by_due(&mut self, earliest: NaiveDate, due: Option<NaiveDate>) -> NaiveDate {
        let due = due.unwrap_or(earliest + Duration::days(10));
        if self.rng.gen_bool(LATE) {
            return due + Duration::days(self.rng.gen_range(1..20));
        }
        if due <= earliest {
            return earliest;
        }
        let span = (due - earliest).num_days();
        earliest + Duration::days(self.rng.gen_range(0..=span))
    }

    /// The time of a step on `day`: after the previous step, in office hours.
    fn time_on(&mut self, day: NaiveDate) -> Option<i64> {
        let end = self
            .clock
            .tz
            .from_local_datetime(&day.and_hms_opt(23, 59, 0)?)
            .single()?
            .timestamp_millis();
        let at = if day == self.day {
            (self.at + self.rng.gen_range(3..120) * 60_000).min(end)
        } else {
            let open =
                day.and_hms_opt(8, 30, 0)? + Duration::seconds(self.rng.gen_range(0..30_600));
            self.clock
                .tz
                .from_local_datetime(&open)
                .single()?
                .timestamp_millis()
        };
        Some(at.max(self.at + 1))
    }

    /// Decides `cmd` on `day` and applies it. `Ok(false)`: the clock has not reached it.
    fn step(&mut self, day: NaiveDate, cmd: Command, target: Option<i64>) -> anyhow::Result<bool> {
        let day = day.max(self.day);
        if day > self.clock.today {
            return Ok(false);
        }
        let at = self
            .time_on(day)
            .ok_or_else(|| anyhow!("no time on {day}"))?;
        if at > self.clock.now_ms {
            return Ok(false);
        }
        let action = cmd.action();
        // Review opinions, and the sign-off that issues them, come from above.
        let above = matches!(
            cmd,
            Command::ReviewDecision { .. } | Command::RereviewDecision { .. }
        ) || (matches!(cmd, Command::Approve { .. })
            && matches!(
                self.life.awaiting_sign_off(),
                Some(Command::ReviewDecision { .. } | Command::RereviewDecision { .. })
            ));
        let person = self.staff.who(self.holder, action, above).cloned();
        let ctx = Context {
            today: day,
            calendar: self.calendar,
            rules: self.rules,
            units: Units {
                holder: self.staff.unit_ref(self.holder),
                actor: person.as_ref().and_then(|p| self.staff.unit_ref(p.unit)),
                target: target.and_then(|t| self.staff.unit_ref(t)),
            },
        };
        let ev = decide(&self.life, &cmd, &ctx)
            .map_err(|e| anyhow!("demo: {action} refused in {}: {e:?}", self.life.stage))?;
        for t in domain::stats::counted(&self.life, &ev) {
            self.tallies.push((self.holder, t));
        }
        self.life = self.life.apply(&ev);
        if let (Some(t), Some(_)) = (target, &ev.to_unit) {
            self.holder = t;
        }
        let event = domain::Event::Step(ev);
        self.events.push(BulkEvent {
            kind: event.kind().to_string(),
            payload: event.payload().to_string(),
            at,
            actor_id: person.as_ref().map(|p| p.id),
            actor_name: person.map(|p| p.username).unwrap_or_else(|| "demo".into()),
        });
        self.day = day;
        self.at = at;
        self.steps += 1;
        Ok(true)
    }

    /// A reply or opinion: drafted, now and then sent back once, then signed off where
    /// the rule set requires it; issued directly where it does not.
    fn issue(&mut self, day: NaiveDate, cmd: Command) -> anyhow::Result<bool> {
        if !self.step(day, cmd.clone(), None)? {
            return Ok(false);
        }
        if self.life.awaiting_sign_off().is_none() {
            return Ok(true);
        }
        if self.rng.gen_bool(0.08) {
            let d = self.later(self.day, 1, 2);
            let comments = (*pick(self.rng, RETURN_COMMENTS)).to_string();
            if !self.step(d, Command::Return { comments }, None)? {
                return Ok(false);
            }
            let d = self.later(self.day, 1, 3);
            if !self.step(d, cmd, None)? {
                return Ok(false);
            }
        }
        let d = self.later(self.day, 0, 2);
        self.step(d, Command::Approve { issues: None }, None)
    }

    fn play(&mut self) -> anyhow::Result<()> {
        let stall = self.rng.gen_bool(STALL).then(|| self.rng.gen_range(0..5u8));
        if stall == Some(0) {
            return Ok(());
        }
        // Routing: most the same week; some to a department or a county below.
        let d = self.by_due(
            self.day,
            self.life.due().map(|d| d.min(self.day + Duration::days(5))),
        );
        let mut targets = self.staff.children(self.holder, UnitLevel::Department);
        targets.extend(self.staff.children(self.holder, UnitLevel::County));
        let x: f64 = self.rng.gen();
        if x < 0.03 {
            let channel = (*pick(self.rng, LEGAL_CHANNELS)).to_string();
            let route = Command::Route {
                mode: RouteMode::LegalChannel,
                unit: None,
                channel: Some(channel),
                result_due: None,
            };
            take!(self, d, route);
            return self.close(None);
        }
        if x < 0.5 && !targets.is_empty() {
            let t = *pick(self.rng, &targets);
            let code = self.staff.unit(t).map(|u| u.code.clone());
            let route = Command::Route {
                mode: RouteMode::Transfer,
                unit: code,
                channel: None,
                result_due: None,
            };
            if !self.step(d, route, Some(t))? {
                return Ok(());
            }
        } else {
            let route = Command::Route {
                mode: RouteMode::SelfHandle,
                unit: None,
                channel: None,
                result_due: None,
            };
            take!(self, d, route);
        }
        if stall == Some(1) {
            return Ok(());
        }
        // Acceptance.
        let earliest = self.working(self.day, 1);
        let d = self.by_due(
            earliest,
            self.life.due().map(|d| d.min(earliest + Duration::days(7))),
        );
        if self.rng.gen_bool(0.04) {
            let decline = Command::Decline {
                reason: (*pick(self.rng, DECLINE_REASONS)).to_string(),
                refer_to: (*pick(self.rng, REFER_TO)).to_string(),
            };
            take!(self, d, decline);
            return self.close(None);
        }
        take!(self, d, Command::Accept);
        if stall == Some(2) {
            return Ok(());
        }
        // Handling: notes, now and then an extension, then the reply.
        if self.rng.gen_bool(0.2) {
            let d = self.day + Duration::days(self.rng.gen_range(3..15));
            let (kind, text) = *pick(self.rng, NOTES);
            take!(
                self,
                d,
                Command::Note {
                    kind,
                    text: text.to_string()
                }
            );
        }
        if self.rng.gen_bool(0.04) {
            let d = self.day + Duration::days(self.rng.gen_range(10..40));
            let max = self.rules.max_extension.days.max(1);
            let extend = Command::Extend {
                days: self.rng.gen_range(max.div_ceil(2)..=max),
                reason: "案情复杂，需进一步调查核实。".to_string(),
            };
            take!(self, d, extend);
        }
        let earliest = self.day + Duration::days(self.rng.gen_range(3..10));
        let d = self.by_due(earliest, self.life.due());
        let (outcome, text) = *pick(self.rng, REPLIES);
        let reply = Command::Reply {
            outcome,
            text: text.to_string(),
            basis: (*pick(self.rng, BASES)).to_string(),
        };
        if !self.issue(d, reply)? || stall == Some(3) {
            return Ok(());
        }
        // The petitioner receives the reply, and most rate it.
        if !self.deliver()? || stall == Some(4) {
            return Ok(());
        }
        let dissatisfied = self.life.rating == Some(Rating::Dissatisfied);
        if (dissatisfied && self.rng.gen_bool(0.6)) || self.rng.gen_bool(0.02) {
            // A review (复查) by the unit above, within the window.
            let d = self.by_due(self.working(self.day, 1), self.life.due());
            if d > self.life.due().unwrap_or(d) {
                return self.close(None);
            }
            let request = Command::RequestReview {
                reason: (*pick(self.rng, REVIEW_REASONS)).to_string(),
            };
            take!(self, d, request);
            let earliest = self.day + Duration::days(self.rng.gen_range(5..15));
            let d = self.by_due(earliest, self.life.due());
            let outcome = if self.rng.gen_bool(0.85) {
                ReviewOutcome::Uphold
            } else {
                ReviewOutcome::Change
            };
            let opinion = Command::ReviewDecision {
                outcome,
                text: "经复查，原处理意见认定事实清楚，适用依据正确。".to_string(),
            };
            if !self.issue(d, opinion)? || !self.deliver()? {
                return Ok(());
            }
        }
        // Closed once the petitioner's window has passed.
        let after = self.life.due().map(|d| d + Duration::days(1));
        self.close(after)
    }

    /// The petitioner receives the reply or opinion a few working days after it is issued,
    /// and usually rates a reply.
    fn deliver(&mut self) -> anyhow::Result<bool> {
        let received_on = self.later(self.day, 1, 5);
        if !self.step(received_on, Command::Deliver { received_on }, None)? {
            return Ok(false);
        }
        if self.life.rating.is_none() && self.rng.gen_bool(0.7) {
            let x: u32 = self.rng.gen_range(0..100);
            let rating = match x {
                0..60 => Rating::Satisfied,
                60..85 => Rating::BasicallySatisfied,
                _ => Rating::Dissatisfied,
            };
            let d = self.day + Duration::days(self.rng.gen_range(0..7));
            return self.step(d, Command::Rate { rating }, None);
        }
        Ok(true)
    }

    /// The petition office closes its record, on or after `after`.
    fn close(&mut self, after: Option<NaiveDate>) -> anyhow::Result<()> {
        let from = after.unwrap_or(self.day).max(self.day);
        let d = self.later(from, 1, 5);
        let reason = (*pick(self.rng, CLOSE_REASONS)).to_string();
        self.step(d, Command::Close { reason }, None)?;
        Ok(())
    }
}
