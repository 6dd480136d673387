//! `hearken demo`: realistic demonstration data. A unit tree, users of every role, and
//! petitions across every channel, type, category and region over two years.

mod cases;
mod corpus;
mod corpus_data;
mod history;
mod office;
mod places;
mod staff;

use anyhow::Context;
use chrono::{FixedOffset, Utc};
use domain::calendar::{Calendar, RuleSet};
use domain::role::UnitLevel;
use domain::Role;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::bulk::BulkCase;
use store::{Actor, NewUnit, NewUser, Store, StoreError, Unit};

/// The password of every demo account (demo data only; never for real use).
pub const DEMO_PASSWORD: &str = "Hearken-demo-2026";
/// Cases per transaction.
const BATCH: usize = 1000;

/// A unit cases can be registered in, with what the text generator needs.
#[derive(Clone)]
struct Place {
    unit: Unit,
    region: String,
    place_name: String,
    weight: u32,
}

async fn unit(
    store: &Store,
    code: &str,
    name: &str,
    name_en: &str,
    level: UnitLevel,
    parent: &Unit,
) -> anyhow::Result<Unit> {
    match store.unit_by_code(code).await {
        Ok(u) => Ok(u),
        Err(StoreError::NotFound) => Ok(store
            .create_unit(&NewUnit {
                code: code.into(),
                name: name.into(),
                name_en: name_en.into(),
                level,
                parent_id: Some(parent.id),
            })
            .await?),
        Err(e) => Err(e.into()),
    }
}

async fn user(
    store: &Store,
    username: &str,
    display: &str,
    role: Role,
    unit: &Unit,
    hash: &str,
) -> anyhow::Result<()> {
    match store.user_by_name(username).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => {
            store
                .create_user(&NewUser {
                    username: username.into(),
                    display_name: display.into(),
                    role,
                    unit_id: unit.id,
                    password_hash: hash.into(),
                })
                .await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Builds the unit tree and the demo users; returns the places cases are registered in
/// and the provincial unit everything hangs below.
async fn build_tree(store: &Store) -> anyhow::Result<(Vec<Place>, Unit)> {
    let root = match store.root_unit().await? {
        Some(r) => r,
        None => {
            crate::bootstrap::first_start(store).await?;
            store.root_unit().await?.context("no root unit")?
        }
    };
    let hash = app::password::hash_async(DEMO_PASSWORD.into())
        .await
        .map_err(anyhow::Error::msg)?;
    let (pcode, pname) = places::PROVINCE;
    let province = unit(
        store,
        pcode,
        &format!("{pname}信访局"),
        "Provincial petition bureau",
        UnitLevel::Province,
        &root,
    )
    .await?;
    // Online petitions land in the provincial petition bureau, where its supervisor
    // routes them.
    if store.intake_offices().await?.is_empty() {
        let demo = Actor {
            id: None,
            name: "demo".into(),
            ip: String::new(),
        };
        store.set_intake_office("", &province, &demo).await?;
    }
    for (u, role, name) in [
        ("prov.admin", Role::Admin, "省局管理员"),
        ("prov.supervisor", Role::Supervisor, "省局督办员"),
        ("prov.leader", Role::Leader, "省局领导"),
        ("prov.duty", Role::Duty, "省局值班员"),
        ("prov.auditor", Role::Auditor, "省局审计员"),
    ] {
        user(store, u, name, role, &province, &hash).await?;
    }
    let mut out = vec![];
    let (mut t_i, mut v_i) = (0usize, 0usize);
    for city in places::CITIES {
        let c = unit(
            store,
            city.code,
            &format!("{}信访局", city.name),
            "City petition bureau",
            UnitLevel::City,
            &province,
        )
        .await?;
        user(
            store,
            &format!("{}.supervisor", city.pinyin),
            &format!("{}督办员", city.name),
            Role::Supervisor,
            &c,
            &hash,
        )
        .await?;
        user(
            store,
            &format!("{}.clerk", city.pinyin),
            &format!("{}登记员", city.name),
            Role::Clerk,
            &c,
            &hash,
        )
        .await?;
        out.push(Place {
            unit: c.clone(),
            region: city.code.into(),
            place_name: city.name.into(),
            weight: 10,
        });
        for county in city.counties {
            let k = unit(
                store,
                county.code,
                &format!("{}{}信访局", city.name, county.name),
                "District petition bureau",
                UnitLevel::County,
                &c,
            )
            .await?;
            for (role, label) in [
                (Role::Clerk, "登记员"),
                (Role::Handler, "承办人"),
                (Role::Leader, "领导"),
                (Role::Supervisor, "督办员"),
                (Role::Duty, "值班员"),
            ] {
                user(
                    store,
                    &format!("{}.{}", county.pinyin, role.as_str()),
                    &format!("{}{label}", county.name),
                    role,
                    &k,
                    &hash,
                )
                .await?;
            }
            let place = format!("{}{}", city.name, county.name);
            out.push(Place {
                unit: k.clone(),
                region: county.code.into(),
                place_name: place.clone(),
                weight: 60,
            });
            for (suffix, dname, den) in places::DEPARTMENTS {
                let d = unit(
                    store,
                    &format!("{}-{suffix}", county.code),
                    &format!("{}{dname}", county.name),
                    den,
                    UnitLevel::Department,
                    &k,
                )
                .await?;
                // Each department has a handler and a leader who signs replies off,
                // e.g. xihu.rs.handler and xihu.rs.leader.
                for (role, label) in [(Role::Handler, "承办人"), (Role::Leader, "领导")] {
                    user(
                        store,
                        &format!(
                            "{}.{}.{}",
                            county.pinyin,
                            suffix.to_ascii_lowercase(),
                            role.as_str()
                        ),
                        &format!("{}{dname}{label}", county.name),
                        role,
                        &d,
                        &hash,
                    )
                    .await?;
                }
                out.push(Place {
                    unit: d,
                    region: county.code.into(),
                    place_name: place.clone(),
                    weight: 2,
                });
            }
            for t in 1..=3 {
                let tname = places::TOWNSHIPS[t_i % places::TOWNSHIPS.len()];
                t_i += 1;
                let tcode = format!("{}{t:03}", county.code);
                let tu = unit(
                    store,
                    &tcode,
                    &format!("{}{tname}", county.name),
                    "Township",
                    UnitLevel::Township,
                    &k,
                )
                .await?;
                out.push(Place {
                    unit: tu.clone(),
                    region: tcode.clone(),
                    place_name: format!("{place}{tname}"),
                    weight: 8,
                });
                for v in 1..=2 {
                    let vname = places::VILLAGES[v_i % places::VILLAGES.len()];
                    v_i += 1;
                    let vcode = format!("{tcode}{v:03}");
                    let vu = unit(
                        store,
                        &vcode,
                        &format!("{tname}{vname}"),
                        "Village",
                        UnitLevel::Village,
                        &tu,
                    )
                    .await?;
                    out.push(Place {
                        unit: vu,
                        region: vcode,
                        place_name: format!("{place}{tname}{vname}"),
                        weight: 1,
                    });
                }
            }
        }
    }
    Ok((out, province))
}

/// A shipped rule set by name, or an error that lists the names.
pub fn rule_set(name: &str) -> anyhow::Result<RuleSet> {
    RuleSet::shipped(name).with_context(|| {
        format!(
            "unknown rule set '{name}'; use one of: {}",
            RuleSet::names().join(", ")
        )
    })
}

/// The office's time zone (Beijing time).
fn office_tz() -> anyhow::Result<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).context("time zone")
}

/// Loads `n` demo petitions (and the tree and users, if missing), with due dates on
/// `calendar` under `rules`. Shows a progress bar when `verbose` or when there is much
/// to do, and prints one summary line.
pub async fn run(
    store: &Store,
    n: u64,
    seed: u64,
    verbose: bool,
    calendar: &Calendar,
    rules: &RuleSet,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (places, province) = build_tree(store).await?;
    if store.case_count().await? > 0 {
        anyhow::bail!("the database already holds cases; demo data goes into an empty database");
    }
    let staff = staff::Staff::new(
        store.units_under(&province.path).await?,
        store.users_under(&province.path).await?,
    );
    let tz = office_tz()?;
    let now = Utc::now();
    let clock = history::Clock {
        tz,
        today: now.with_timezone(&tz).date_naive(),
        now_ms: now.timestamp_millis(),
    };
    let times = cases::registration_times(&mut rng, n, &clock)?;

    let bar = ProgressBar::new(n);
    if !verbose && n < 10_000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} cases, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("demo");

    // Cases are made on a thread of their own while the previous batch is written.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<BulkCase>>(4);
    let mut maker = cases::Maker::new(
        places.clone(),
        staff,
        calendar.clone(),
        rules.clone(),
        clock,
    );
    let seed2 = rng.gen::<u64>();
    let made = std::thread::spawn(move || maker.make_all(seed2, times, BATCH, &tx).map(|()| maker));
    while let Some(batch) = rx.recv().await {
        store.bulk_insert_cases(&batch).await?;
        bar.inc(batch.len() as u64);
    }
    let maker = made
        .join()
        .map_err(|_| anyhow::anyhow!("the demo case maker stopped"))??;
    for ((pi, year), last) in maker.counters() {
        store
            .set_case_counter(places[*pi].unit.id, *year, *last)
            .await?;
    }
    bar.finish_and_clear();
    store.finish_bulk().await?;
    let s = maker.summary();
    let mut config = app::Config::new(std::path::Path::new("."));
    config.calendar = std::sync::Arc::new(calendar.clone());
    config.rules = rules.clone();
    let office = office::run(&app::App::new(store.clone(), config), store, seed).await?;
    println!(
        "demo: {n} cases in {} units ({} open, {} of them overdue; {} closed; {} events), {} rules; {} duty shifts, {} daily reports, {} supervision orders; demo accounts (password {DEMO_PASSWORD}): prov.admin, prov.supervisor (routes online petitions), prov.auditor, xihu.clerk, xihu.handler, xihu.leader, xihu.rs.handler, xihu.rs.leader, …",
        places.len(),
        s.open,
        s.overdue,
        s.closed,
        s.events,
        rules.name,
        office.shifts,
        office.reports,
        office.orders,
    );
    Ok(())
}
