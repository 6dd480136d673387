//! Demo petitions, registered as a live registration registers them: the case number
//! from `domain::CaseNo` and the unit's counter for the year, a query code from
//! `domain::QueryCode`, and the routing due date on the working-day calendar under the
//! rule set. What happened to each case since comes from [`super::history`].

use super::history::{Clock, Sim};
use super::staff::Staff;
use super::{corpus, Place};
use anyhow::{anyhow, Context};
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use domain::calendar::{Calendar, RuleSet};
use domain::event::Registered;
use domain::lifecycle::Life;
use domain::{CaseNo, CaseState, CaseType, Channel, QueryCode, UnitCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use store::bulk::{BulkCase, BulkEvent, BulkPetitioner};

fn weighted<'a, T, R: Rng>(rng: &mut R, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[0].0
}

const CHANNELS: &[(Channel, u32)] = &[
    (Channel::Online, 30),
    (Channel::Visit, 25),
    (Channel::Phone, 20),
    (Channel::Letter, 13),
    (Channel::Email, 3),
    (Channel::Fax, 1),
    (Channel::Transferred, 5),
    (Channel::Assigned, 3),
];
const TYPES: &[(CaseType, u32)] = &[
    (CaseType::Claim, 75),
    (CaseType::Accusation, 12),
    (CaseType::Suggestion, 13),
];
const CATEGORIES: &[(&str, u32)] = &[
    ("labor.wages", 14),
    ("labor.social_insurance", 6),
    ("labor.pension", 5),
    ("labor.contract", 4),
    ("land.requisition", 6),
    ("land.contract", 3),
    ("land.homestead", 3),
    ("housing.expropriation", 5),
    ("housing.property", 7),
    ("housing.delivery", 5),
    ("housing.security", 3),
    ("market.food", 4),
    ("market.drug", 2),
    ("market.consumer", 4),
    ("law.conduct", 4),
    ("law.litigation", 3),
    ("environment.pollution", 4),
    ("environment.noise", 4),
    ("rural.subsidy", 2),
    ("rural.collective", 3),
    ("health.medical", 3),
    ("education.enrolment", 3),
    ("education.fees", 1),
    ("civil.assistance", 3),
    ("civil.veterans", 2),
    ("transport", 2),
    ("discipline", 2),
    ("other", 2),
];

/// Registration times over two years, in office hours, oldest first so that case numbers
/// rise with time.
pub fn registration_times<R: Rng>(rng: &mut R, n: u64, clock: &Clock) -> anyhow::Result<Vec<i64>> {
    let mut times: Vec<i64> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let day = clock.today - Duration::days(rng.gen_range(0..730));
        let secs = rng.gen_range(8 * 3600 + 1800..17 * 3600 + 1800);
        let at = day.and_hms_opt(0, 0, 0).context("midnight")? + Duration::seconds(secs);
        let ms = clock
            .tz
            .from_local_datetime(&at)
            .single()
            .context("local time")?
            .timestamp_millis();
        times.push(ms.min(clock.now_ms));
    }
    times.sort_unstable();
    Ok(times)
}

/// What the loaded cases came to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub open: u64,
    /// Open cases whose current due date has passed.
    pub overdue: u64,
    pub closed: u64,
    pub events: u64,
}

/// Makes demo cases, keeping each unit's case-number counter per year.
pub struct Maker {
    places: Vec<Place>,
    weights: Vec<(usize, u32)>,
    staff: Staff,
    calendar: Calendar,
    rules: RuleSet,
    clock: Clock,
    counters: HashMap<(usize, i32), i64>,
    summary: Summary,
}

impl Maker {
    pub fn new(
        places: Vec<Place>,
        staff: Staff,
        calendar: Calendar,
        rules: RuleSet,
        clock: Clock,
    ) -> Maker {
        let weights = places
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.weight))
            .collect();
        Maker {
            places,
            weights,
            staff,
            calendar,
            rules,
            clock,
            counters: HashMap::new(),
            summary: Summary::default(),
        }
    }

    /// The last case number given per (place, year).
    pub fn counters(&self) -> &HashMap<(usize, i32), i64> {
        &self.counters
    }

    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Makes a case for every registration time and sends them in batches of `batch`.
    /// Stops early, without error, when the receiver has gone.
    pub fn make_all(
        &mut self,
        seed: u64,
        times: Vec<i64>,
        batch: usize,
        tx: &tokio::sync::mpsc::Sender<Vec<BulkCase>>,
    ) -> anyhow::Result<()> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut out = Vec::with_capacity(batch);
        for ts in times {
            out.push(self.case(&mut rng, ts)?);
            if out.len() == batch {
                let full = std::mem::replace(&mut out, Vec::with_capacity(batch));
                if tx.blocking_send(full).is_err() {
                    return Ok(());
                }
            }
        }
        if !out.is_empty() {
            let _ = tx.blocking_send(out);
        }
        Ok(())
    }

    /// One case registered at `ts`, with its history up to now.
    fn case(&mut self, rng: &mut StdRng, ts: i64) -> anyhow::Result<BulkCase> {
        let pi = *weighted(rng, &self.weights);
        let place = &self.places[pi];
        let local = self
            .clock
            .tz
            .timestamp_millis_opt(ts)
            .single()
            .context("timestamp")?;
        let year = local.year();
        let seq = self.counters.entry((pi, year)).or_insert(0);
        *seq += 1;
        let code = UnitCode::parse(&place.unit.code)
            .ok_or_else(|| anyhow!("unit code {}", place.unit.code))?;
        let case_no = CaseNo::new(&code, year, *seq);
        let channel = *weighted(rng, CHANNELS);
        let case_type = *weighted(rng, TYPES);
        let category = *weighted(rng, CATEGORIES);
        let text = corpus::petition_text(rng, category, case_type.as_str(), &place.place_name);
        let anonymous = case_type.may_be_anonymous() && rng.gen_bool(0.3);
        let received: NaiveDate = local.date_naive()
            - Duration::days(if channel == Channel::Letter {
                rng.gen_range(1..4)
            } else {
                0
            });
        let group = !anonymous && rng.gen_bool(0.03);
        let headcount: i64 = if anonymous {
            1
        } else if group {
            rng.gen_range(5..61)
        } else if rng.gen_bool(0.07) {
            rng.gen_range(2..5)
        } else {
            1
        };
        let named = if anonymous {
            0
        } else {
            headcount.min(if group { 6 } else { 4 })
        };
        let petitioners = (0..named)
            .map(|i| BulkPetitioner {
                name: corpus::person_name(rng),
                phone: rng.gen_bool(0.9).then(|| corpus::phone(rng)),
                address: rng
                    .gen_bool(0.7)
                    .then(|| corpus::address(rng, &place.place_name)),
                representative: group && i < 5,
            })
            .collect();

        // Registration, as a live registration writes it.
        let route_due = self.calendar.add(received, self.rules.route);
        let life = Life::registered(received, Some((route_due.date, route_due.fallback)));
        let registrar = self.staff.registrar(place.unit.id).cloned();
        let registered = domain::Event::Registered(Registered {
            case_no: case_no.as_str().to_string(),
            channel,
            case_type,
            category: category.to_string(),
            region: place.region.clone(),
            unit: Some(place.unit.code.clone()),
            headcount,
            anonymous,
            received_on: received,
        });
        let mut events = vec![BulkEvent {
            kind: registered.kind().to_string(),
            payload: registered.payload().to_string(),
            at: ts,
            actor_id: registrar.as_ref().map(|p| p.id),
            actor_name: registrar
                .as_ref()
                .map(|p| p.username.clone())
                .unwrap_or_else(|| "demo".into()),
        }];

        // What happened since, on the simulated clock.
        let (unit_id, region, query_code) = (
            place.unit.id,
            place.region.clone(),
            QueryCode::generate(rng).to_string(),
        );
        let h = Sim::new(
            rng,
            &self.calendar,
            &self.rules,
            &self.clock,
            &self.staff,
            life,
            unit_id,
            ts,
        )?
        .run()?;
        events.extend(h.events);
        let mut tallies = vec![(unit_id, domain::stats::registered(received))];
        tallies.extend(h.tallies);
        let holder = self
            .staff
            .unit(h.holder)
            .ok_or_else(|| anyhow!("unit {}", h.holder))?;
        let state = h.life.stage.state();
        let due = h.life.due();
        match state {
            CaseState::Open => {
                self.summary.open += 1;
                if due.is_some_and(|d| d < self.clock.today) {
                    self.summary.overdue += 1;
                }
            }
            _ => self.summary.closed += 1,
        }
        self.summary.events += events.len() as u64;
        Ok(BulkCase {
            case_no: case_no.as_str().to_string(),
            query_code,
            unit_id: holder.id,
            unit_path: holder.path.clone(),
            channel,
            case_type,
            category: category.into(),
            region,
            headcount,
            anonymous,
            respondent: text.respondent,
            content: text.content,
            demands: text.demands,
            state,
            stage: h.life.stage,
            due_on: due.map(|d| d.to_string()),
            lifecycle: serde_json::to_string(&h.life)?,
            received_on: received.to_string(),
            registered_at: ts,
            registered_by: registrar.map(|p| p.id),
            updated_at: h.last_at,
            version: 1 + h.steps,
            petitioners,
            events,
            tallies,
        })
    }
}
