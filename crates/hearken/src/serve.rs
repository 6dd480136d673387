//! `hearken serve`: migrate, bootstrap, optionally load demo data, then serve.

use crate::bootstrap;
use crate::cli::{Global, ServeArgs};
use anyhow::Context;
use app::App;
use std::net::SocketAddr;

pub async fn run(g: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    let store = bootstrap::open_ready(g).await?;
    let password = bootstrap::first_start(&store).await?;
    if args.demo {
        if store.case_count().await? == 0 {
            let calendar = crate::calendar::load(&g.data)?;
            let rules = crate::demo::rule_set(&args.rule_set)?;
            crate::demo::run(&store, 2000, 2026, false, &calendar, &rules).await?;
        } else {
            println!("demo: the database already holds cases; no demo data added");
        }
    }
    let mut config = app::Config::new(&g.data);
    if let Some(now) = &args.now {
        let at = chrono::DateTime::parse_from_rfc3339(now.trim()).with_context(|| {
            format!("--now '{now}' is not an RFC 3339 time such as 2026-12-01T15:29:00+08:00")
        })?;
        let at_utc = at.with_timezone(&chrono::Utc);
        if args.freeze_clock {
            config.clock.freeze(at_utc);
            println!("clock: the application's time stands at {at} (--now --freeze-clock: for tests and drills only)");
        } else {
            config.clock.set(at_utc);
            println!("clock: the application's time starts at {at} (--now / HEARKEN_NOW: for tests and drills only)");
        }
    }
    config.due_soon_working_days = args.due_soon_days;
    config.calendar = std::sync::Arc::new(crate::calendar::load(&g.data)?);
    config.rules = domain::calendar::RuleSet::shipped(&args.rule_set).with_context(|| {
        format!(
            "unknown rule set '{}'; use one of: {}",
            args.rule_set,
            domain::calendar::RuleSet::names().join(", ")
        )
    })?;
    for year in config.missing_calendar_years() {
        eprintln!(
            "warning: no holiday schedule for {year}: deadlines that reach it are counted on plain weekends; \
             add it under {}/calendar/",
            g.data.display()
        );
    }
    let app = App::new(store.clone(), config.clone());
    // Before any new step is counted: the cases behind each rate, for a database whose
    // tallies were counted before the marks existed.
    if app.rate_marks_missing().await? {
        println!("statistics: listing the cases behind each rate (once, after an upgrade)…");
        app.ensure_rate_marks().await?;
    }
    if app.volume_tally_missing().await? {
        println!("statistics: counting the volume tally from the cases (once, after an upgrade)…");
        app.rebuild_volume_tally().await?;
    }
    app::jobs::spawn(
        app.clone(),
        std::time::Duration::from_secs(args.deadline_scan_seconds.max(1)),
    );
    let index = search::SearchIndex::open_or_create(&config.search_dir)
        .with_context(|| format!("search index in {}", config.search_dir.display()))?;
    let index = std::sync::Arc::new(index);
    app.spawn_search_indexer(index.clone());
    // The web layer only from here: its settings, and the router it builds.
    let mut http = web::WebConfig::new(&g.data);
    http.core = config;
    http.session_idle_minutes = args.session_idle_minutes.max(1);
    http.secure_cookies = args.secure_cookies;
    let state = web::AppState::with_index(app, http, index).map_err(anyhow::Error::msg)?;
    let app = web::router(state);
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr()?;
    println!("Hearken is serving at http://{addr}/  (staff: http://{addr}/staff/login)");
    println!("database: {}", store.backend().name());
    match password {
        Some(pw) => {
            println!("First start: log in as  admin  with the one-time password  {pw}");
            println!("(it is shown only now; reset it with: hearken user reset-password admin --password-stdin)");
        }
        None => println!("Log in with your account; an admin can reset passwords with: hearken user reset-password USER --password-stdin"),
    }
    if args.demo {
        println!(
            "Demo accounts (password {}): prov.admin, prov.supervisor (routes online petitions), prov.leader, \
             prov.auditor, xihu.clerk, xihu.handler, xihu.leader, xihu.supervisor, xihu.rs.handler, \
             xihu.rs.leader — and the same roles for every district and its departments",
            crate::demo::DEMO_PASSWORD
        );
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    store.close().await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
