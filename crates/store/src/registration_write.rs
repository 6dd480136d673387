//! Writing registrations. A batch of them (group commit, see `register_batch`) is
//! written in a fixed handful of statements, whatever its size: one case-number counter
//! step per unit and year, then the cases, their petitioners, their `registered` events,
//! their rate marks, the rate tallies and the volume tally, each as one multi-row
//! statement. A registration on its own takes the same path with a batch of one.

use crate::bulk::placeholders;
use crate::cases::{insert_attachment, RegisterResult};
use crate::stat_tallies::{add_marks, add_rows, tally_rows};
use crate::{now_ms, Actor, Backend, NewAttachment, RateMark, Result, StoreError, Unit};
use domain::lifecycle::Life;
use domain::{CaseNo, CaseState, Event, QueryCode, Registration, Stage, UnitCode};
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

/// Rows per multi-row statement (22 values a case: well under both backends' limits).
const ROWS_PER_STATEMENT: usize = 200;

/// Everything one registration writes, owned so that it can wait in the writer's queue.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub reg: Registration,
    pub unit: Unit,
    pub query_code: QueryCode,
    pub year: i32,
    /// The routing deadline, and whether it was counted on plain weekends.
    pub due: Option<(chrono::NaiveDate, bool)>,
    pub actor: Actor,
    /// Files already written to disk under their SHA-256; their rows (and their
    /// `attachment_added` events) are written in the registration's transaction.
    pub attachments: Vec<NewAttachment>,
}

/// Takes the next `count` case numbers of a unit and year, inside the caller's
/// transaction: one step of the counter, so a batch holds its row lock once.
async fn next_case_nos(
    tx: &mut Transaction<'_, Any>,
    unit: &Unit,
    year: i32,
    count: usize,
) -> Result<Vec<CaseNo>> {
    let row = sqlx::query(
        "INSERT INTO case_counters (unit_id, year, last) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id, year) DO UPDATE SET last = case_counters.last + excluded.last
         RETURNING last",
    )
    .bind(unit.id)
    .bind(i64::from(year))
    .bind(count as i64)
    .fetch_one(&mut **tx)
    .await?;
    let last: i64 = row.try_get("last")?;
    let code = UnitCode::parse(&unit.code)
        .ok_or_else(|| StoreError::Data(format!("unit code {}", unit.code)))?;
    let first = last - count as i64 + 1;
    Ok((first..=last)
        .map(|seq| CaseNo::new(&code, year, seq))
        .collect())
}

/// Case numbers for every registration of the batch, in the batch's order. Counters are
/// stepped in (unit, year) order.
async fn case_numbers(
    tx: &mut Transaction<'_, Any>,
    jobs: &[NewRegistration],
) -> Result<Vec<CaseNo>> {
    let mut groups: BTreeMap<(i64, i32), Vec<usize>> = BTreeMap::new();
    for (i, j) in jobs.iter().enumerate() {
        groups.entry((j.unit.id, j.year)).or_default().push(i);
    }
    let mut numbers: Vec<Option<CaseNo>> = vec![None; jobs.len()];
    for ((_, year), members) in groups {
        let unit = &jobs[members[0]].unit;
        let nos = next_case_nos(tx, unit, year, members.len()).await?;
        for (i, no) in members.into_iter().zip(nos) {
            numbers[i] = Some(no);
        }
    }
    numbers
        .into_iter()
        .map(|n| n.ok_or_else(|| StoreError::Data("a registration got no case number".into())))
        .collect()
}

/// Inserts the cases and returns their ids, in the batch's order.
async fn insert_cases(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    jobs: &[NewRegistration],
    numbers: &[CaseNo],
    now: i64,
) -> Result<Vec<i64>> {
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(jobs.len());
    let rows: Vec<(&NewRegistration, &CaseNo)> = jobs.iter().zip(numbers).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO cases (case_no, query_code, unit_id, unit_path, channel, case_type, category,
                 region, headcount, anonymous, respondent, content, demands, state, stage, due_on,
                 received_on, registered_at, registered_by, updated_at, lifecycle, due_sort)
             VALUES {} RETURNING id, case_no",
            placeholders(backend, chunk.len(), 22)
        );
        let mut q = sqlx::query(&sql);
        for (n, case_no) in chunk {
            let reg = &n.reg;
            let due_on = n.due.map(|(d, _)| d.to_string());
            let life = serde_json::to_string(&Life::registered(reg.received_on, n.due))
                .map_err(|e| StoreError::Data(e.to_string()))?;
            q = q
                .bind(case_no.as_str())
                .bind(n.query_code.as_str())
                .bind(n.unit.id)
                .bind(&n.unit.path)
                .bind(reg.channel.as_str())
                .bind(reg.case_type.as_str())
                .bind(&reg.category)
                .bind(reg.region.as_str())
                .bind(reg.headcount)
                .bind(i64::from(reg.anonymous))
                .bind(&reg.respondent)
                .bind(&reg.content)
                .bind(&reg.demands)
                .bind(CaseState::Open.as_str())
                .bind(Stage::Routing.as_str())
                .bind(due_on.clone())
                .bind(reg.received_on.to_string())
                .bind(now)
                .bind(n.actor.id)
                .bind(now)
                .bind(life)
                .bind(due_on.unwrap_or_else(|| crate::NO_DUE.to_string()));
        }
        let returned = q
            .fetch_all(&mut **tx)
            .await
            .map_err(StoreError::from_sqlx)?;
        for r in returned {
            ids.insert(r.try_get("case_no")?, r.try_get("id")?);
        }
    }
    numbers
        .iter()
        .map(|no| {
            ids.get(no.as_str())
                .copied()
                .ok_or_else(|| StoreError::Data(format!("case {} was not stored", no.as_str())))
        })
        .collect()
}

async fn insert_petitioners(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    jobs: &[NewRegistration],
    ids: &[i64],
) -> Result<()> {
    let rows: Vec<(i64, usize, &domain::Petitioner, bool)> = jobs
        .iter()
        .zip(ids)
        .flat_map(|(n, id)| {
            n.reg
                .petitioners
                .iter()
                .enumerate()
                .map(move |(i, p)| (*id, i, p, n.reg.representatives.contains(&i)))
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO case_petitioners (case_id, position, name, phone, id_number, address, representative)
             VALUES {}",
            placeholders(backend, chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for (id, i, p, representative) in chunk {
            q = q
                .bind(*id)
                .bind(*i as i64)
                .bind(&p.name)
                .bind(p.phone.as_ref().map(|x| x.as_str().to_string()))
                .bind(p.id_number.as_ref().map(|x| x.as_str().to_string()))
                .bind(&p.address)
                .bind(i64::from(*representative));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The `registered` events, one per case, in the batch's order (so their `seq` follow it).
async fn insert_events(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    jobs: &[NewRegistration],
    numbers: &[CaseNo],
    ids: &[i64],
    now: i64,
) -> Result<()> {
    let rows: Vec<(i64, &Actor, String, String)> = jobs
        .iter()
        .zip(numbers)
        .zip(ids)
        .map(|((n, case_no), id)| {
            let reg = &n.reg;
            let event = Event::Registered(domain::event::Registered {
                case_no: case_no.as_str().to_string(),
                channel: reg.channel,
                case_type: reg.case_type,
                category: reg.category.clone(),
                region: reg.region.as_str().to_string(),
                unit: Some(n.unit.code.clone()),
                headcount: reg.headcount,
                anonymous: reg.anonymous,
                received_on: reg.received_on,
            });
            (
                *id,
                &n.actor,
                event.kind().to_string(),
                event.payload().to_string(),
            )
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO case_events (case_id, kind, actor_id, actor_name, at, payload) VALUES {}",
            placeholders(backend, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for (id, actor, kind, payload) in chunk {
            q = q
                .bind(*id)
                .bind(kind)
                .bind(actor.id)
                .bind(&actor.name)
                .bind(now)
                .bind(payload);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// What the batch adds to the rate tallies (with their marks) and to the volume tally,
/// summed per row and written once each.
async fn add_to_tallies(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    jobs: &[NewRegistration],
    ids: &[i64],
) -> Result<()> {
    let mut by_unit: BTreeMap<i64, Vec<domain::stats::Tally>> = BTreeMap::new();
    let mut marks = Vec::with_capacity(jobs.len());
    let mut facts = Vec::with_capacity(jobs.len());
    for (n, id) in jobs.iter().zip(ids) {
        let received = domain::stats::registered(n.reg.received_on);
        by_unit.entry(n.unit.id).or_default().push(received);
        marks.push(RateMark::of(*id, n.unit.id, &received));
        facts.push(domain::volume::VolumeFacts {
            unit_id: n.unit.id,
            received_on: n.reg.received_on,
            state: CaseState::Open,
            channel: n.reg.channel,
            case_type: n.reg.case_type,
            category: n.reg.category.clone(),
            region: n.reg.region.as_str().to_string(),
        });
    }
    let rows: Vec<crate::TallyRow> = by_unit
        .iter()
        .flat_map(|(unit, ts)| tally_rows(*unit, ts))
        .collect();
    add_rows(tx, &rows).await?;
    add_marks(tx, backend, &marks).await?;
    crate::volume_tallies::add_deltas(tx, &domain::volume::arrivals(&facts)).await
}

/// Writes registrations inside the caller's transaction: case numbers, cases,
/// petitioners, `registered` events, tallies and attachments. Results are in `jobs`'
/// order. If any fails, the caller's transaction must not commit.
pub(crate) async fn insert_registrations(
    tx: &mut Transaction<'_, Any>,
    jobs: &[NewRegistration],
) -> Result<Vec<RegisterResult>> {
    if jobs.is_empty() {
        return Ok(vec![]);
    }
    let backend = Backend::of(tx);
    let now = now_ms();
    let numbers = case_numbers(tx, jobs).await?;
    let ids = insert_cases(tx, backend, jobs, &numbers, now).await?;
    insert_petitioners(tx, backend, jobs, &ids).await?;
    insert_events(tx, backend, jobs, &numbers, &ids, now).await?;
    add_to_tallies(tx, backend, jobs, &ids).await?;
    for (n, id) in jobs.iter().zip(&ids) {
        for a in &n.attachments {
            insert_attachment(tx, *id, a, &n.actor, now).await?;
        }
    }
    Ok(jobs
        .iter()
        .zip(numbers)
        .zip(ids)
        .map(|((n, case_no), id)| RegisterResult {
            id,
            case_no,
            query_code: n.query_code.clone(),
        })
        .collect())
}
