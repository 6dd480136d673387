//! `hearken`: the petition case system in one binary.

mod bootstrap;
mod calendar;
mod cli;
mod demo;
mod reindex;
mod serve;
mod users;

use clap::Parser;
use cli::{CalendarCommand, Cli, Command, UserCommand};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.global.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hearken: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearken: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let g = cli.global;
    match cli.command {
        Command::Serve(args) => serve::run(&g, &args).await,
        Command::Migrate => {
            let store = bootstrap::open(&g).await?;
            store.migrate().await?;
            println!("migrations applied ({})", store.backend().name());
            Ok(())
        }
        Command::User { command } => match command {
            UserCommand::Add(args) => users::add(&g, &args).await,
            UserCommand::ResetPassword(args) => users::reset_password(&g, &args).await,
        },
        Command::Calendar { command } => match command {
            CalendarCommand::Due {
                start,
                days,
                working,
            } => calendar::due(&g.data, &start, days, working),
            CalendarCommand::Workday { date } => calendar::workday(&g.data, &date),
            CalendarCommand::Years => calendar::years(&g.data),
        },
        Command::Reindex => reindex::run(&g).await,
        Command::Retally { rule_set } => {
            let store = bootstrap::open_ready(&g).await?;
            let mut config = app::Config::new(&g.data);
            config.calendar = std::sync::Arc::new(calendar::load(&g.data)?);
            config.rules = demo::rule_set(&rule_set)?;
            let app = app::App::new(store, config);
            let rows = app.rebuild_tallies().await?;
            println!("statistics: {rows} tally rows recounted from the event log");
            let cells = app.rebuild_volume_tally().await?;
            println!("statistics: {cells} volume cells recounted from the cases");
            Ok(())
        }
        Command::Demo(args) => {
            let store = bootstrap::open_ready(&g).await?;
            let calendar = calendar::load(&g.data)?;
            let rules = demo::rule_set(&args.rule_set)?;
            demo::run(&store, args.cases, args.seed, true, &calendar, &rules).await?;
            Ok(())
        }
    }
}

/// Logs to stderr. sqlx's per-statement log (`sqlx::query`) is kept to errors: its
/// slow-statement warnings quote whole statements, 40 KB for a bulk insert, and would bury
/// the demo's progress bar and `serve`'s own messages. `HEARKEN_LOG` overrides the filter.
fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HEARKEN_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,sqlx::query=error,tower_http=warn")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
