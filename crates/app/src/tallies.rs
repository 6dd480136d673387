//! The running tallies behind the statistics, kept with every change: the rate tallies
//! and their marks (`domain::stats`), and the volume tally (`domain::volume`). Each can be
//! recounted from the record to check it, and rebuilt for a database that predates it.

use crate::{App, AppResult};
use std::collections::{BTreeMap, HashMap};
use store::{RateMark, TallyRow, VolumeTallyRow};

impl App {
    /// Every tally recounted from the event log: each case's events replayed in order,
    /// each step counted by `domain::stats::counted` for the unit that held the case then.
    /// What the running tallies must equal.
    pub async fn recount_tallies(&self) -> AppResult<Vec<TallyRow>> {
        Ok(self.recount().await?.0)
    }

    /// Every rate mark recounted from the event log, in key order: what the stored marks
    /// must equal.
    pub async fn recount_marks(&self) -> AppResult<Vec<RateMark>> {
        Ok(self.recount().await?.1)
    }

    /// The stored marks, in key order.
    pub async fn stored_marks(&self) -> AppResult<Vec<RateMark>> {
        Ok(self.store.rate_marks().await?)
    }

    async fn recount(&self) -> AppResult<(Vec<TallyRow>, Vec<RateMark>)> {
        struct Replay {
            life: domain::lifecycle::Life,
            holder: i64,
            router: Option<i64>,
        }
        let mut cases: HashMap<i64, Replay> = HashMap::new();
        let mut units: HashMap<String, i64> = HashMap::new();
        let mut counted: BTreeMap<i64, Vec<domain::stats::Tally>> = BTreeMap::new();
        let mut marks: Vec<RateMark> = vec![];
        let mut at = store::FeedPosition::START;
        loop {
            let page = self.store.events_since(None, at, 5_000).await?;
            if page.items.is_empty() {
                break;
            }
            at = page.next;
            for item in &page.items {
                let case_id = item.event.case_id;
                match item.event.event() {
                    domain::Event::Registered(r) => {
                        let Some(code) = r.unit.clone() else { continue };
                        let holder = match units.get(&code) {
                            Some(id) => *id,
                            None => {
                                let id = self.store.unit_by_code(&code).await?.id;
                                units.insert(code, id);
                                id
                            }
                        };
                        let due = self
                            .config
                            .calendar
                            .add(r.received_on, self.config.rules.route);
                        let life = domain::lifecycle::Life::registered(
                            r.received_on,
                            Some((due.date, due.fallback)),
                        );
                        let received = domain::stats::registered(r.received_on);
                        marks.push(RateMark::of(case_id, holder, &received));
                        counted.entry(holder).or_default().push(received);
                        cases.insert(
                            case_id,
                            Replay {
                                life,
                                holder,
                                router: None,
                            },
                        );
                    }
                    domain::Event::Step(step) => {
                        let Some(c) = cases.get_mut(&case_id) else {
                            continue;
                        };
                        let tallies = domain::stats::counted(&c.life, &step);
                        marks.extend(tallies.iter().map(|t| RateMark::of(case_id, c.holder, t)));
                        counted.entry(c.holder).or_default().extend(tallies);
                        c.life = c.life.apply(&step);
                        match step.effect() {
                            Some(domain::lifecycle::Command::Object { .. }) => {
                                if let Some(r) = c.router {
                                    c.holder = r;
                                }
                            }
                            _ => {
                                if let Some(to) = &step.to_unit {
                                    c.router =
                                        Some(step.by_unit.as_ref().map_or(c.holder, |u| u.id));
                                    c.holder = to.id;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut rows: Vec<TallyRow> = counted
            .iter()
            .flat_map(|(unit, ts)| store::tally_rows(*unit, ts))
            .filter(|r| r.num != 0 || r.den != 0)
            .collect();
        rows.sort();
        marks.sort();
        Ok((rows, marks))
    }

    /// The stored tallies, in key order.
    pub async fn stored_tallies(&self) -> AppResult<Vec<TallyRow>> {
        Ok(self.store.tally_rows().await?)
    }

    /// Whether the tallies were counted before their marks existed (migration 0030).
    pub async fn rate_marks_missing(&self) -> AppResult<bool> {
        Ok(self.store.marks_missing().await?)
    }

    /// On a database whose tallies predate their marks (migration 0030), recounts both
    /// from the event log, once. Returns whether it did.
    pub async fn ensure_rate_marks(&self) -> AppResult<bool> {
        if !self.rate_marks_missing().await? {
            return Ok(false);
        }
        self.rebuild_tallies().await?;
        Ok(true)
    }

    /// Replaces the running tallies with a recount from the event log (after loading
    /// data written before the tallies existed).
    pub async fn rebuild_tallies(&self) -> AppResult<usize> {
        let (rows, marks) = self.recount().await?;
        self.store.replace_tallies(&rows, &marks).await?;
        Ok(rows.len())
    }

    /// The stored volume tally, in key order (cells that count nothing left out).
    pub async fn stored_volume_tally(&self) -> AppResult<Vec<VolumeTallyRow>> {
        Ok(self.store.volume_tally_rows().await?)
    }

    /// The volume tally recounted from the cases as they stand: what the stored tally
    /// must equal.
    pub async fn recount_volume_tally(&self) -> AppResult<Vec<VolumeTallyRow>> {
        Ok(self.store.recount_volume_tally().await?)
    }

    /// Whether cases exist without a volume tally (a database from before migration 0031).
    pub async fn volume_tally_missing(&self) -> AppResult<bool> {
        Ok(self.store.volume_tally_missing().await?)
    }

    /// Replaces the volume tally with a recount from the cases. Returns its cells.
    pub async fn rebuild_volume_tally(&self) -> AppResult<u64> {
        Ok(self.store.rebuild_volume_tally().await?)
    }
}
