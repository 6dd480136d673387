//! The store's behaviour, the same on SQLite and PostgreSQL.

use domain::{NewCase, QueryCode};
use store::{Actor, CaseFilter, CasePatch, Cursor, NewUnit, Scope, Store, StoreError};
use testkit::{both_backends, fresh_db, sample_case};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

async fn tree(store: &Store) -> (store::Unit, store::Unit, store::Unit) {
    let root = store
        .create_unit(&NewUnit {
            code: "ROOT".into(),
            name: "根".into(),
            name_en: "Root".into(),
            level: domain::UnitLevel::Province,
            parent_id: None,
        })
        .await
        .expect("root");
    let a = store
        .create_unit(&NewUnit {
            code: "330102".into(),
            name: "上城区".into(),
            name_en: String::new(),
            level: domain::UnitLevel::County,
            parent_id: Some(root.id),
        })
        .await
        .expect("a");
    let b = store
        .create_unit(&NewUnit {
            code: "330106".into(),
            name: "西湖区".into(),
            name_en: String::new(),
            level: domain::UnitLevel::County,
            parent_id: Some(root.id),
        })
        .await
        .expect("b");
    (root, a, b)
}

async fn register(store: &Store, unit: &store::Unit, content: &str) -> store::RegisterResult {
    let mut input: NewCase = serde_json::from_value(sample_case()).expect("case");
    input.content = content.into();
    let reg = input
        .validate(&|c| c == "labor.wages", today())
        .expect("valid");
    let code = QueryCode::generate(&mut rand::thread_rng());
    store
        .register_case(
            &reg,
            unit,
            &code,
            2026,
            Some((today(), false)),
            &Actor::system(),
        )
        .await
        .expect("register")
}

both_backends!(migrations_go_up_down_and_up_again, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    db.store.migrate_down(0).await.expect("down");
    assert!(
        db.store.unit_count().await.is_err(),
        "tables should be gone after migrating down"
    );
    db.store.migrate().await.expect("up again");
    assert_eq!(db.store.unit_count().await.expect("count"), 0);
});

both_backends!(units_form_a_tree_with_paths, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, a, _) = tree(&db.store).await;
    assert_eq!(root.path, format!("/{}/", root.id));
    assert_eq!(a.path, format!("/{}/{}/", root.id, a.id));
    let under_root = db.store.units_under(&root.path).await.expect("under");
    assert_eq!(under_root.len(), 3);
    let under_a = db.store.units_under(&a.path).await.expect("under a");
    assert_eq!(under_a.len(), 1);
    let dup = db
        .store
        .create_unit(&NewUnit {
            code: "330102".into(),
            name: "x".into(),
            name_en: String::new(),
            level: domain::UnitLevel::County,
            parent_id: Some(root.id),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Duplicate { .. })), "{dup:?}");
});

both_backends!(case_numbers_count_per_unit_and_year, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (_, a, b) = tree(&db.store).await;
    let first = register(&db.store, &a, "一").await;
    let second = register(&db.store, &a, "二").await;
    let other = register(&db.store, &b, "三").await;
    assert_eq!(first.case_no.as_str(), "330102-2026-000001");
    assert_eq!(second.case_no.as_str(), "330102-2026-000002");
    assert_eq!(other.case_no.as_str(), "330106-2026-000001");
});

both_backends!(scope_hides_other_subtrees, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, a, b) = tree(&db.store).await;
    let in_a = register(&db.store, &a, "上城的案件").await;
    let in_b = register(&db.store, &b, "西湖的案件").await;
    let scope_a = Scope::new(&a.path);
    assert!(db.store.case(&scope_a, in_a.id).await.is_ok());
    assert!(matches!(
        db.store.case(&scope_a, in_b.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.store.case_events(&scope_a, in_b.id).await,
        Err(StoreError::NotFound)
    ));
    let page = db
        .store
        .list_cases(&scope_a, &CaseFilter::default(), None, 50)
        .await
        .expect("list");
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![in_a.id]
    );
    // Asking for a unit outside the scope gives nothing, not the other unit's cases.
    let f = CaseFilter {
        unit_path: Some(b.path.clone()),
        ..Default::default()
    };
    assert!(db
        .store
        .list_cases(&scope_a, &f, None, 50)
        .await
        .expect("list")
        .items
        .is_empty());
    let all = db
        .store
        .list_cases(&Scope::new(&root.path), &CaseFilter::default(), None, 50)
        .await
        .expect("all");
    assert_eq!(all.items.len(), 2);
});

both_backends!(keyset_pages_cover_every_case_once, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, a, _) = tree(&db.store).await;
    let mut ids = vec![];
    for i in 0..23 {
        ids.push(register(&db.store, &a, &format!("第{i}件")).await.id);
    }
    let scope = Scope::new(&root.path);
    let mut seen = vec![];
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = db
            .store
            .list_cases(&scope, &CaseFilter::default(), cursor, 5)
            .await
            .expect("page");
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, ids);
});

both_backends!(filters_narrow_the_queue, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, a, _) = tree(&db.store).await;
    register(&db.store, &a, "工资").await;
    let scope = Scope::new(&root.path);
    let count = |f: CaseFilter| {
        let store = db.store.clone();
        let scope = scope.clone();
        async move {
            store
                .list_cases(&scope, &f, None, 50)
                .await
                .expect("list")
                .items
                .len()
        }
    };
    assert_eq!(
        count(CaseFilter {
            category: Some("labor".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            category: Some("labor.wages".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            category: Some("land".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(CaseFilter {
            region: Some("3301".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            region: Some("3302".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(CaseFilter {
            channel: Some("visit".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            channel: Some("letter".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(CaseFilter {
            state: Some("open".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(CaseFilter {
            received_from: Some("2026-11-30".into()),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        count(CaseFilter {
            received_to: Some("2026-11-29".into()),
            ..Default::default()
        })
        .await,
        1
    );
});

both_backends!(
    registration_writes_case_petitioners_and_event_together,
    |kind| async move {
        let Some(db) = fresh_db(kind).await else {
            return;
        };
        let (root, a, _) = tree(&db.store).await;
        let r = register(
            &db.store,
            &a,
            "<script>alert(1)</script>'; DROP TABLE cases; --",
        )
        .await;
        let scope = Scope::new(&root.path);
        let case = db.store.case(&scope, r.id).await.expect("case");
        assert_eq!(
            case.content,
            "<script>alert(1)</script>'; DROP TABLE cases; --"
        );
        assert_eq!(case.petitioners.len(), 1);
        assert_eq!(case.petitioners[0].phone.as_deref(), Some("13800000000"));
        assert_eq!(case.query_code, r.query_code.as_str());
        let events = db.store.case_events(&scope, r.id).await.expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "registered");
        assert_eq!(events[0].payload["case_no"], r.case_no.as_str());
    }
);

both_backends!(
    concurrent_corrections_never_overwrite_silently,
    |kind| async move {
        let Some(db) = fresh_db(kind).await else {
            return;
        };
        let (root, a, _) = tree(&db.store).await;
        let r = register(&db.store, &a, "原文").await;
        let scope = Scope::new(&root.path);
        let v = db
            .store
            .case(&scope, r.id)
            .await
            .expect("case")
            .summary
            .version;
        let first = CasePatch {
            content: Some("第一人修改".into()),
            ..Default::default()
        };
        let second = CasePatch {
            content: Some("第二人修改".into()),
            ..Default::default()
        };
        let actor = Actor::system();
        let (x, y) = tokio::join!(
            db.store.correct_case(&scope, r.id, v, &first, &actor),
            db.store.correct_case(&scope, r.id, v, &second, &actor),
        );
        let ok = [x.is_ok(), y.is_ok()];
        assert_eq!(
            ok.iter().filter(|o| **o).count(),
            1,
            "exactly one edit wins: {x:?} {y:?}"
        );
        let loser = if x.is_ok() { y } else { x };
        assert!(
            matches!(loser, Err(StoreError::Conflict { current_version }) if current_version == v + 1)
        );
        let case = db.store.case(&scope, r.id).await.expect("case");
        assert_eq!(case.summary.version, v + 1);
        let events = db.store.case_events(&scope, r.id).await.expect("events");
        assert_eq!(events.iter().filter(|e| e.kind == "corrected").count(), 1);
        let winner_text = &case.content;
        assert_eq!(events[1].payload["content"]["to"], winner_text.as_str());
    }
);

both_backends!(event_sequence_is_global_and_increasing, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, a, b) = tree(&db.store).await;
    let x = register(&db.store, &a, "x").await;
    let y = register(&db.store, &b, "y").await;
    let scope = Scope::new(&root.path);
    let ex = db.store.case_events(&scope, x.id).await.expect("x")[0].seq;
    let ey = db.store.case_events(&scope, y.id).await.expect("y")[0].seq;
    assert!(ey > ex);
});

both_backends!(sessions_expire_when_idle, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, _, _) = tree(&db.store).await;
    let user = db
        .store
        .create_user(&store::NewUser {
            username: "u1".into(),
            display_name: "U".into(),
            role: domain::Role::Clerk,
            unit_id: root.id,
            password_hash: "x".into(),
        })
        .await
        .expect("user");
    db.store
        .create_session("h1", user.id, "csrf")
        .await
        .expect("session");
    let idle = 30 * 60_000;
    assert!(db
        .store
        .session("h1", idle, 12 * 3_600_000)
        .await
        .expect("get")
        .is_some());
    db.store.age_session("h1", 31 * 60_000).await.expect("age");
    assert!(db
        .store
        .session("h1", idle, 12 * 3_600_000)
        .await
        .expect("get")
        .is_none());
    db.store.end_session("h1").await.expect("end");
});

both_backends!(failed_logins_lock_the_account, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (root, _, _) = tree(&db.store).await;
    let user = db
        .store
        .create_user(&store::NewUser {
            username: "u2".into(),
            display_name: "U".into(),
            role: domain::Role::Clerk,
            unit_id: root.id,
            password_hash: "x".into(),
        })
        .await
        .expect("user");
    for i in 1..5 {
        assert!(
            !db.store
                .record_failed_login(user.id, 5, 99)
                .await
                .expect("fail"),
            "attempt {i}"
        );
    }
    assert!(db
        .store
        .record_failed_login(user.id, 5, 99)
        .await
        .expect("fail"));
    assert_eq!(
        db.store.user(user.id).await.expect("user").locked_until,
        Some(99)
    );
    db.store.record_successful_login(user.id).await.expect("ok");
    assert_eq!(
        db.store.user(user.id).await.expect("user").locked_until,
        None
    );
});

both_backends!(categories_are_seeded_once, |kind| async move {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let cats = db.store.categories().await.expect("cats");
    assert!(cats
        .iter()
        .any(|c| c.code == "labor.wages" && c.parent.as_deref() == Some("labor")));
    db.store.seed_categories().await.expect("again");
    assert_eq!(db.store.categories().await.expect("cats").len(), cats.len());
});
