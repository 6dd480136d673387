//! Volumes count exactly the cases the queue lists with the same filters, on both backends.

use domain::{NewCase, QueryCode};
use store::{Actor, CaseFilter, NewUnit, Scope, Store, VolumeBy};
use testkit::{both_backends, fresh_db, sample_case};

async fn unit(store: &Store, code: &str, parent: Option<i64>) -> store::Unit {
    store
        .create_unit(&NewUnit {
            code: code.into(),
            name: code.into(),
            name_en: String::new(),
            level: if parent.is_some() {
                domain::UnitLevel::County
            } else {
                domain::UnitLevel::Province
            },
            parent_id: parent,
        })
        .await
        .expect("unit")
}

async fn register(store: &Store, unit: &store::Unit, channel: &str, region: &str, day: u32) {
    let mut v = sample_case();
    v["channel"] = channel.into();
    v["region"] = region.into();
    v["received_on"] = format!("2026-11-{day:02}").into();
    let input: NewCase = serde_json::from_value(v).expect("case");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let reg = input
        .validate(&|c| c == "labor.wages", today)
        .expect("valid");
    store
        .register_case(
            &reg,
            unit,
            &QueryCode::generate(&mut rand::thread_rng()),
            2026,
            None,
            &Actor::system(),
        )
        .await
        .expect("register");
}

both_backends!(volumes_equal_the_queue_count, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let s = &db.store;
    let root = unit(s, "ROOT", None).await;
    let a = unit(s, "330102", Some(root.id)).await;
    let b = unit(s, "330106", Some(root.id)).await;
    for (u, ch, region, day) in [
        (&a, "visit", "330102", 2),
        (&a, "letter", "330102", 2),
        (&a, "letter", "330106", 15),
        (&b, "online", "330106", 15),
        (&b, "online", "330106", 28),
        (&b, "phone", "330110", 28),
    ] {
        register(s, u, ch, region, day).await;
    }
    let everything = Scope::new(&root.path);
    let none = CaseFilter::default();

    let by_channel = s
        .volume(&everything, &none, VolumeBy::Channel)
        .await
        .expect("volume");
    let pairs: Vec<(&str, i64)> = by_channel
        .iter()
        .map(|r| (r.key.as_str(), r.count))
        .collect();
    assert_eq!(
        pairs,
        vec![("letter", 2), ("online", 2), ("phone", 1), ("visit", 1)]
    );
    for row in &by_channel {
        let f = CaseFilter {
            channel: Some(row.key.clone()),
            ..CaseFilter::default()
        };
        let n = s.count_cases(&everything, &f).await.expect("count");
        assert_eq!(n.total, row.count, "channel {}", row.key);
    }

    // Scope applies: unit a sees only its own three.
    let in_a = s
        .volume(&Scope::new(&a.path), &none, VolumeBy::Region)
        .await
        .expect("volume");
    let total: i64 = in_a.iter().map(|r| r.count).sum();
    assert_eq!(total, 3);
    for row in &in_a {
        let f = CaseFilter {
            region: Some(row.key.clone()),
            ..CaseFilter::default()
        };
        let n = s
            .count_cases(&Scope::new(&a.path), &f)
            .await
            .expect("count");
        assert_eq!(n.total, row.count, "region {}", row.key);
    }

    // Filters combine with the counted field, and days fold into months.
    let online_days = s
        .volume(
            &everything,
            &CaseFilter {
                channel: Some("online".into()),
                received_from: Some("2026-11-20".into()),
                ..CaseFilter::default()
            },
            VolumeBy::Day,
        )
        .await
        .expect("volume");
    assert_eq!(online_days.len(), 1);
    assert_eq!(online_days[0].key, "2026-11-28");
    assert_eq!(online_days[0].count, 1);
    let months = s
        .volume(&everything, &none, VolumeBy::Month)
        .await
        .expect("volume");
    assert_eq!(months.len(), 1);
    assert_eq!((months[0].key.as_str(), months[0].count), ("2026-11", 6));

    let by_unit = s
        .volume(&everything, &none, VolumeBy::UnitPath)
        .await
        .expect("volume");
    for row in &by_unit {
        let f = CaseFilter {
            unit_path: Some(row.key.clone()),
            ..CaseFilter::default()
        };
        let n = s.count_cases(&everything, &f).await.expect("count");
        assert_eq!(n.total, row.count, "unit {}", row.key);
    }
    assert_eq!(by_unit.iter().map(|r| r.count).sum::<i64>(), 6);
});
