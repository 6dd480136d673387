//! The command line. `--data` and `--database-url` are global: they work before or after
//! a subcommand's own words, and `HEARKEN_DATA` / `HEARKEN_DATABASE_URL` set them too.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "hearken",
    version,
    about = "Hearken: a petition (信访) and grievance case system.",
    long_about = "Hearken registers petitions from every channel, routes them, and keeps a record that \
proves each was handled lawfully and on time.\n\nBy default everything lives in ./hearken-data \
(embedded SQLite and attachments). Give --database-url postgres://… to share a PostgreSQL \
database between several instances."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The data folder: SQLite database and attachments.
    #[arg(
        long,
        global = true,
        env = "HEARKEN_DATA",
        default_value = "./hearken-data"
    )]
    pub data: PathBuf,
    /// Use this database instead of SQLite in the data folder (postgres://… or sqlite://…).
    #[arg(long, global = true, env = "HEARKEN_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Write logs as JSON lines.
    #[arg(long, global = true, env = "HEARKEN_LOG_JSON")]
    pub log_json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (staff pages, API and portal). Migrates the database first.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with realistic demonstration data: units, users of every role and
    /// petitions over two years.
    Demo(DemoArgs),
    /// Deadlines on the statutory calendar (public holidays and adjusted working days).
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Rebuild this instance's search index (`<data>/search`) from the database, with a
    /// progress bar. Stop `serve` on this data folder first.
    Reindex,
    /// Recount the per-unit rate tallies (statistics) from the event log, and the volume
    /// tally from the cases: for data written before the tallies existed. Stop `serve` first: a step taken during the
    /// recount could be left out.
    Retally {
        /// The rule set registrations were counted under (for the routing due date).
        #[arg(long, env = "HEARKEN_RULE_SET", default_value = "cn-2022")]
        rule_set: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Print the due date of a period: counting starts the day after START (Civil Code
    /// Art. 201); a calendar-day period ending on a rest day ends on the next working day
    /// (Art. 203).
    Due {
        #[arg(long)]
        start: String,
        #[arg(long)]
        days: u32,
        /// Count working days instead of calendar days.
        #[arg(long)]
        working: bool,
    },
    /// Print `true` if DATE is a working day, else `false`.
    Workday { date: String },
    /// List the years with a published holiday schedule.
    Years,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HEARKEN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Load 2,000 demonstration cases into an empty database first.
    #[arg(long)]
    pub demo: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "HEARKEN_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// Mark cookies Secure (serve behind HTTPS).
    #[arg(long, env = "HEARKEN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Working days left at or under which a case counts as due soon.
    #[arg(long, env = "HEARKEN_DUE_SOON_DAYS", default_value_t = 3)]
    pub due_soon_days: u32,
    /// Seconds between runs of the deadline job (due-soon and overdue marking).
    #[arg(long, env = "HEARKEN_DEADLINE_SCAN_SECONDS", default_value_t = 300)]
    pub deadline_scan_seconds: u64,
    /// The periods the lifecycle counts: cn-2022, cn-2005 or hotline-12345.
    #[arg(long, env = "HEARKEN_RULE_SET", default_value = "cn-2022")]
    pub rule_set: String,
    /// For tests and drills only: start the application's clock at this time (RFC 3339,
    /// e.g. 2026-12-01T15:29:00+08:00); it runs on from there. Report windows, duty
    /// shifts, deadlines and reminders follow it; sessions and logs keep the real time.
    /// Never set it on a server people work on.
    #[arg(long, env = "HEARKEN_NOW", value_name = "RFC3339")]
    pub now: Option<String>,
    /// With --now: the clock stands still at that time instead of running on (browser
    /// tests that must not cross a deadline while they work).
    #[arg(long, env = "HEARKEN_FREEZE_CLOCK", requires = "now")]
    pub freeze_clock: bool,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff account; the password is read from standard input.
    Add(UserAddArgs),
    /// Set a new password (read from standard input) and clear any lockout.
    ResetPassword(ResetArgs),
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    pub username: String,
    /// clerk, handler, leader, supervisor, duty, admin or auditor.
    #[arg(long)]
    pub role: String,
    /// The unit's code; the root unit by default.
    #[arg(long)]
    pub unit: Option<String>,
    /// The name shown in the app.
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from standard input (required).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct ResetArgs {
    pub username: String,
    /// Read the password from standard input (required).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many petitions to create.
    #[arg(long, default_value_t = 2000)]
    pub cases: u64,
    /// Seed for the random generator: the same seed gives the same data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// The periods the due dates are counted by: cn-2022, cn-2005 or hotline-12345.
    #[arg(long, env = "HEARKEN_RULE_SET", default_value = "cn-2022")]
    pub rule_set: String,
}
