//! `hearken demo`: realistic demonstration data. A unit tree, users of every role, and
//! petitions across every channel, type, category and region over two years.

mod corpus;
mod corpus_data;
mod places;

use anyhow::Context;
use chrono::{Datelike, Duration, FixedOffset, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use store::bulk::{BulkCase, BulkPetitioner};
use store::{Actor, NewUnit, NewUser, Store, StoreError, Unit};

/// The password of every demo account (demo data only; never for real use).
pub const DEMO_PASSWORD: &str = "Hearken-demo-2026";
const BATCH: usize = 1000;

/// A unit cases can be registered in, with what the text generator needs.
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
    level: &str,
    parent: &Unit,
) -> anyhow::Result<Unit> {
    match store.unit_by_code(code).await {
        Ok(u) => Ok(u),
        Err(StoreError::NotFound) => Ok(store
            .create_unit(&NewUnit {
                code: code.into(),
                name: name.into(),
                name_en: name_en.into(),
                level: level.into(),
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
    role: &str,
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
                    role: domain::Role::parse(role)
                        .ok_or_else(|| anyhow::anyhow!("unknown role '{role}'"))?,
                    unit_id: unit.id,
                    password_hash: hash.into(),
                })
                .await?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Builds the unit tree and the demo users; returns the places cases are registered in.
async fn build_tree(store: &Store, rng: &mut StdRng) -> anyhow::Result<(Vec<Place>, Vec<i64>)> {
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
        "province",
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
        ("prov.admin", "admin", "省局管理员"),
        ("prov.supervisor", "supervisor", "省局督办员"),
        ("prov.leader", "leader", "省局领导"),
        ("prov.duty", "duty", "省局值班员"),
        ("prov.auditor", "auditor", "省局审计员"),
    ] {
        user(store, u, name, role, &province, &hash).await?;
    }
    let mut out = vec![];
    let mut staff = vec![];
    let (mut t_i, mut v_i) = (0usize, 0usize);
    for city in places::CITIES {
        let c = unit(
            store,
            city.code,
            &format!("{}信访局", city.name),
            "City petition bureau",
            "city",
            &province,
        )
        .await?;
        user(
            store,
            &format!("{}.supervisor", city.pinyin),
            &format!("{}督办员", city.name),
            "supervisor",
            &c,
            &hash,
        )
        .await?;
        user(
            store,
            &format!("{}.clerk", city.pinyin),
            &format!("{}登记员", city.name),
            "clerk",
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
                "county",
                &c,
            )
            .await?;
            for (role, label) in [
                ("clerk", "登记员"),
                ("handler", "承办人"),
                ("leader", "领导"),
                ("supervisor", "督办员"),
                ("duty", "值班员"),
            ] {
                user(
                    store,
                    &format!("{}.{role}", county.pinyin),
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
                    "department",
                    &k,
                )
                .await?;
                // Each department has a handler and a leader who signs replies off,
                // e.g. xihu.rs.handler and xihu.rs.leader.
                for (role, label) in [("handler", "承办人"), ("leader", "领导")] {
                    user(
                        store,
                        &format!("{}.{}.{role}", county.pinyin, suffix.to_ascii_lowercase()),
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
                    "township",
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
                        "village",
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
    for u in store.users_under(&province.path).await? {
        if u.role == domain::Role::Clerk {
            staff.push(u.id);
        }
    }
    let _ = rng.gen::<u8>();
    Ok((out, staff))
}

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

const CHANNELS: &[(&str, u32)] = &[
    ("online", 30),
    ("visit", 25),
    ("phone", 20),
    ("letter", 13),
    ("email", 3),
    ("fax", 1),
    ("transferred", 5),
    ("assigned", 3),
];
const TYPES: &[(&str, u32)] = &[("claim", 75), ("accusation", 12), ("suggestion", 13)];
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

/// Loads `n` demo petitions (and the tree and users, if missing). Shows a progress bar
/// when `verbose` or when there is much to do.
pub async fn run(store: &Store, n: u64, seed: u64, verbose: bool) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (places, clerks) = build_tree(store, &mut rng).await?;
    let weights: Vec<(usize, u32)> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.weight))
        .collect();
    if store.case_count().await? > 0 {
        anyhow::bail!("the database already holds cases; demo data goes into an empty database");
    }
    let tz = FixedOffset::east_opt(8 * 3600).context("time zone")?;
    let now = Utc::now().timestamp_millis();
    let today = Utc::now().with_timezone(&tz).date_naive();
    // Registration times over two years, in office hours, oldest first so case numbers
    // rise with time.
    let mut times: Vec<i64> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let day = today - Duration::days(rng.gen_range(0..730));
        let secs = rng.gen_range(8 * 3600 + 1800..17 * 3600 + 1800);
        let at = day.and_hms_opt(0, 0, 0).context("midnight")? + Duration::seconds(secs);
        let ms = tz
            .from_local_datetime(&at)
            .single()
            .context("local time")?
            .timestamp_millis();
        times.push(ms.min(now));
    }
    times.sort_unstable();

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
    let actor = Actor {
        id: clerks.first().copied(),
        name: "demo".into(),
        ip: String::new(),
    };
    let mut counters: HashMap<(usize, i32), i64> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    for ts in times {
        let pi = *weighted(&mut rng, &weights);
        let place = &places[pi];
        let local = tz.timestamp_millis_opt(ts).single().context("timestamp")?;
        let year = local.year();
        let seq = counters.entry((pi, year)).or_insert(0);
        *seq += 1;
        let channel = *weighted(&mut rng, CHANNELS);
        let case_type = *weighted(&mut rng, TYPES);
        let category = *weighted(&mut rng, CATEGORIES);
        let text = corpus::petition_text(&mut rng, category, case_type, &place.place_name);
        let anonymous = case_type != "claim" && rng.gen_bool(0.3);
        let received = local.date_naive()
            - Duration::days(if channel == "letter" {
                rng.gen_range(1..4)
            } else {
                0
            });
        let group = !anonymous && rng.gen_bool(0.03);
        let headcount = if anonymous {
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
                name: corpus::person_name(&mut rng),
                phone: rng.gen_bool(0.9).then(|| corpus::phone(&mut rng)),
                address: rng
                    .gen_bool(0.7)
                    .then(|| corpus::address(&mut rng, &place.place_name)),
                representative: group && i < 5,
            })
            .collect();
        let age_days = (now - ts) / 86_400_000;
        let closed_p = if age_days > 90 {
            0.95
        } else if age_days > 30 {
            0.5
        } else {
            0.0
        };
        let closed_at = rng
            .gen_bool(closed_p)
            .then(|| ts + rng.gen_range(5..80) * 86_400_000);
        batch.push(BulkCase {
            case_no: format!("{}-{year}-{:06}", place.unit.code, seq),
            query_code: domain::QueryCode::generate(&mut rng).to_string(),
            unit_id: place.unit.id,
            unit_path: place.unit.path.clone(),
            channel: channel.into(),
            case_type: case_type.into(),
            category: category.into(),
            region: place.region.clone(),
            headcount: i64::from(headcount),
            anonymous,
            respondent: text.respondent,
            content: text.content,
            demands: text.demands,
            due_on: Some((received + Duration::days(15)).to_string()),
            received_on: received.to_string(),
            registered_at: ts,
            registered_by: clerks.get(pi % clerks.len().max(1)).copied(),
            petitioners,
            closed_at,
        });
        if batch.len() == BATCH {
            store.bulk_insert_cases(&batch, &actor).await?;
            bar.inc(batch.len() as u64);
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.bulk_insert_cases(&batch, &actor).await?;
        bar.inc(batch.len() as u64);
    }
    for ((pi, year), last) in counters {
        store
            .set_case_counter(places[pi].unit.id, year, last)
            .await?;
    }
    bar.finish_and_clear();
    store.finish_bulk().await?;
    println!(
        "demo: {n} cases in {} units; demo accounts (password {DEMO_PASSWORD}): prov.admin, prov.supervisor (routes online petitions), prov.auditor, xihu.clerk, xihu.handler, xihu.leader, xihu.rs.handler, xihu.rs.leader, …",
        places.len()
    );
    Ok(())
}
