//! The command line as an administrator uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn hearken(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearken"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("HEARKEN_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    // The command may refuse its arguments and exit before it reads standard input.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.expect("write"),
    }
    child.wait_with_output().expect("wait")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("hearken-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.display().to_string()
}

#[test]
fn help_explains_every_command() {
    let out = hearken(&["--help"], "", &[]);
    assert!(out.status.success());
    let t = text(&out);
    for cmd in ["serve", "migrate", "user", "demo"] {
        assert!(t.contains(cmd), "--help lacks {cmd}: {t}");
    }
    assert!(text(&hearken(&["serve", "--help"], "", &[])).contains("--database-url"));
}

#[test]
fn global_options_work_before_or_after_the_subcommand_and_from_the_environment() {
    let dir = temp("global");
    let out = hearken(&["migrate", "--data", &dir], "", &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::path::Path::new(&dir).join("hearken.db").exists());

    let out = hearken(
        &[
            "--data",
            &dir,
            "user",
            "add",
            "clerk1",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        "Clerk-password-1\n",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("added clerk1 (clerk)"));

    let out = hearken(
        &[
            "user",
            "add",
            "clerk1",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        "Clerk-password-1\n",
        &[("HEARKEN_DATA", dir.as_str())],
    );
    assert!(!out.status.success(), "a duplicate must fail");
    assert!(text(&out).contains("already exists"), "{}", text(&out));

    let out = hearken(
        &[
            "user",
            "reset-password",
            "clerk1",
            "--password-stdin",
            "--data",
            &dir,
        ],
        "New-password-22\n",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = temp("bad");
    let out = hearken(
        &[
            "user",
            "add",
            "x1",
            "--role",
            "king",
            "--password-stdin",
            "--data",
            &dir,
        ],
        "Some-password-1\n",
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("unknown role 'king'"), "{}", text(&out));
    let out = hearken(
        &[
            "user",
            "add",
            "x1",
            "--role",
            "clerk",
            "--password-stdin",
            "--data",
            &dir,
        ],
        "short\n",
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("password rejected"), "{}", text(&out));
    let out = hearken(
        &[
            "user",
            "add",
            "x1",
            "--role",
            "clerk",
            "--unit",
            "NOPE",
            "--password-stdin",
            "--data",
            &dir,
        ],
        "Some-password-1\n",
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("no unit with code"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_fills_an_empty_database_and_refuses_a_full_one() {
    let dir = temp("demo");
    let out = hearken(
        &["demo", "--cases", "300", "--seed", "7", "--data", &dir],
        "",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("demo: 300 cases"), "{}", text(&out));
    let again = hearken(&["demo", "--cases", "10", "--data", &dir], "", &[]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already holds cases"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn calendar_prints_due_dates_and_working_days() {
    let dir = temp("calendar");
    let run = |args: &[&str]| hearken(&[args, &["--data", &dir]].concat(), "", &[]);
    // 15 days from 2026-02-05 end on 2026-02-20, inside the Spring Festival holiday.
    let out = run(&["calendar", "due", "--start", "2026-02-05", "--days", "15"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2026-02-24");
    // Working days count the adjusted working Saturday 2026-02-14.
    let out = run(&[
        "calendar",
        "due",
        "--start",
        "2026-02-12",
        "--days",
        "5",
        "--working",
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2026-02-26");
    assert_eq!(
        String::from_utf8_lossy(&run(&["calendar", "workday", "2026-02-14"]).stdout).trim(),
        "true"
    );
    assert_eq!(
        String::from_utf8_lossy(&run(&["calendar", "workday", "2026-02-16"]).stdout).trim(),
        "false"
    );

    // A year without a schedule falls back to weekends, and says so on stderr.
    let out = run(&["calendar", "workday", "2027-10-04"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "true");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no published holiday schedule"));

    // An admin adds the year in a file, without a rebuild.
    std::fs::create_dir_all(format!("{dir}/calendar")).expect("dir");
    std::fs::write(
        format!("{dir}/calendar/2027.toml"),
        "[2027]\nholidays = [\"2027-10-01\", \"2027-10-04\"]\nworkdays = [\"2027-10-09\"]\n",
    )
    .expect("write");
    let out = run(&["calendar", "workday", "2027-10-04"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "false");
    assert!(out.stderr.is_empty(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&run(&["calendar", "workday", "2027-10-09"]).stdout).trim(),
        "true"
    );

    // A bad file is named.
    std::fs::write(
        format!("{dir}/calendar/bad.toml"),
        "[2028]\nholidays = [\"2028-13-01\"]\n",
    )
    .expect("write");
    let out = run(&["calendar", "workday", "2028-01-03"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("bad.toml"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}
