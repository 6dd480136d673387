//! The office's own life in the demo, made through the same use cases the pages call:
//! this week's duty roster in the provincial bureau and each district, the daily reports
//! of the last working days (one district misses one, one files late), and supervision
//! orders from the province on its most overdue cases, one of them already answered.

use super::places::CITIES;
use anyhow::Context;
use app::reports::FileReport;
use app::supervision::OrderInput;
use app::{App, Caller};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::duty::roster::{default_start, OnDuty, ShiftPlan};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::{Scope, Store};

/// Working days of reports before today.
const REPORT_DAYS: usize = 5;
/// Supervision orders the province issues.
const ORDERS: usize = 3;

/// What a district reports: issues and places, never a petitioner.
const INCIDENTS: &[&str] = &[
    "某建筑工地 20 余名务工人员反映欠薪，已联系区人社局到场处理。",
    "某小区业主反映物业停车收费问题，已转街道协调。",
    "某村征地补偿分配有争议，镇政府已组织村民代表座谈。",
    "某企业改制职工安置问题，已约谈企业负责人。",
    "暴雨导致某路段积水，相关来电已转交城管部门。",
];
const NOTES: &[&str] = &[
    "重点矛盾纠纷排查已完成，未发现新增重大隐患。",
    "领导接访日接待群众 6 批次。",
    "",
];

/// How many of each thing was made, for the summary line.
#[derive(Debug, Default)]
pub struct Office {
    pub shifts: usize,
    pub reports: usize,
    pub orders: usize,
}

async fn caller(store: &Store, username: &str) -> anyhow::Result<Caller> {
    let user = store
        .user_by_name(username)
        .await
        .with_context(|| format!("demo user {username}"))?;
    Ok(Caller::of(&user, ""))
}

fn person(name: &str, n: u32) -> OnDuty {
    OnDuty {
        name: name.to_string(),
        phone: format!("0571-8800{n:04}"),
    }
}

/// This week, Monday to Sunday, each day led by one of three leaders in turn.
fn week(monday: NaiveDate, unit_no: u32) -> Vec<ShiftPlan> {
    let leaders = ["王主任", "李副主任", "陈副主任"];
    (0..7)
        .map(|d| ShiftPlan {
            day: monday + Duration::days(d),
            starts_at: default_start(),
            leader: person(leaders[d as usize % 3], unit_no * 10 + d as u32),
            staff: vec![
                person("值班员甲", unit_no * 10 + 7),
                person("值班员乙", unit_no * 10 + 8),
            ],
            group_id: None,
        })
        .collect()
}

/// The last `n` working days before `today`.
fn working_days_before(app: &App, today: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let cal = &app.config().calendar;
    (1..40)
        .map(|d| today - Duration::days(d))
        .filter(|d| cal.is_workday(*d).working)
        .take(n)
        .collect()
}

/// Sets the application's clock to `hh:mm` on `day` in the office.
fn at(app: &App, day: NaiveDate, h: u32, m: u32) -> anyhow::Result<()> {
    let local = day.and_time(NaiveTime::from_hms_opt(h, m, 0).context("time")?);
    let t = app
        .config()
        .time_zone
        .from_local_datetime(&local)
        .single()
        .context("local time")?;
    app.config().clock.set(t.with_timezone(&Utc));
    Ok(())
}

/// Makes the office's roster, reports and orders. The clock is set back to the real
/// time afterwards, whatever happens.
pub async fn run(app: &App, store: &Store, seed: u64) -> anyhow::Result<Office> {
    let out = fill(app, store, seed).await;
    app.config().clock.reset();
    out
}

async fn fill(app: &App, store: &Store, seed: u64) -> anyhow::Result<Office> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut office = Office::default();
    let today = app.config().today();
    let monday = app::duty::monday_of(today);

    let prov = caller(store, "prov.duty").await?;
    let plan = week(monday, 0);
    app.plan_shifts(&prov, None, &plan).await?;
    office.shifts += plan.len();

    let days = working_days_before(app, today, REPORT_DAYS);
    for (ci, city) in CITIES.iter().enumerate() {
        for (ki, county) in city.counties.iter().enumerate() {
            let duty = caller(store, &format!("{}.duty", county.pinyin)).await?;
            let plan = week(monday, (ci * 10 + ki + 1) as u32);
            app.plan_shifts(&duty, None, &plan).await?;
            office.shifts += plan.len();
            for (di, day) in days.iter().enumerate() {
                // One district misses yesterday's report; one files a day late-ish.
                if ci == 0 && ki == 1 && di == 0 {
                    continue;
                }
                let (h, m) = if ci == 0 && ki == 2 && di == 1 {
                    (16, 20)
                } else {
                    (14, rng.gen_range(0..50))
                };
                at(app, *day, h, m)?;
                let quiet = rng.gen_bool(0.4);
                let report = FileReport {
                    unit: None,
                    date: Some(*day),
                    window: Some(1),
                    nothing_to_report: quiet,
                    incidents: if quiet {
                        String::new()
                    } else {
                        INCIDENTS[rng.gen_range(0..INCIDENTS.len())].to_string()
                    },
                    notes: NOTES[rng.gen_range(0..NOTES.len())].to_string(),
                    group_id: None,
                };
                app.file_report(&duty, &report).await?;
                office.reports += 1;
            }
        }
    }
    app.config().clock.reset();

    // The province presses the districts on its most overdue cases.
    let supervisor = caller(store, "prov.supervisor").await?;
    let filter = app.board_filter(None, Some(domain::DueStatus::Overdue));
    let late = app
        .list_cases(&Scope::new(&supervisor.unit_path), &filter, None, 200)
        .await?;
    let mut picked: Vec<(i64, String)> = vec![];
    for c in late.items {
        if picked.len() == ORDERS {
            break;
        }
        if !picked.iter().any(|(_, unit)| *unit == c.unit_code) {
            picked.push((c.id, c.unit_code));
        }
    }
    for (i, (id, unit)) in picked.iter().enumerate() {
        let order = app
            .issue_order(
                &supervisor,
                &OrderInput {
                    unit: Some(unit.clone()),
                    cases: vec![*id],
                    case_nos: vec![],
                    reason: "该件已超过法定办理期限，请抓紧办理并书面报告办理情况。".into(),
                    requirements: "请于回复期限内报送办理结果及超期原因。".into(),
                    reply_days: None,
                },
            )
            .await?;
        office.orders += 1;
        if i == 0 {
            if let Some(leader) = store
                .users_under(&order.to_unit_path)
                .await?
                .into_iter()
                .find(|u| u.role == domain::Role::Leader && u.unit_path == order.to_unit_path)
            {
                app.answer_order(
                    &Caller::of(&leader, ""),
                    order.id,
                    "已召开专题会研究，明确专人负责，预计本周内办结并答复信访人。",
                )
                .await?;
            }
        }
    }
    Ok(office)
}
