//! Two `serve` instances on one PostgreSQL database: both migrate at start (under the
//! advisory lock), exactly one creates the admin account, and each sees the other's work.

use crate::common::{login, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_postgres_database() {
    let Some(url) = testkit::fresh_pg_url().await else {
        return;
    };
    let dirs: Vec<String> = (0..2)
        .map(|i| {
            std::env::temp_dir()
                .join(format!("hearken-two-{}-{i}", std::process::id()))
                .display()
                .to_string()
        })
        .collect();
    let args = |i: usize| {
        vec![
            "--data".to_string(),
            dirs[i].clone(),
            "--database-url".to_string(),
            url.clone(),
        ]
    };
    let (a, b) = (args(0), args(1));
    let (first, second) = tokio::join!(
        tokio::task::spawn_blocking(move || start(&a)),
        tokio::task::spawn_blocking(move || start(&b)),
    );
    let (mut first, mut second) = (first.expect("first"), second.expect("second"));
    let passwords: Vec<String> = [&first, &second]
        .iter()
        .filter_map(|s| s.admin_password.clone())
        .collect();
    assert_eq!(
        passwords.len(),
        1,
        "exactly one instance creates the admin account"
    );
    let a = login(&first.base, &passwords[0]).await;
    let b = login(&second.base, &passwords[0]).await;
    let res = a
        .post(format!("{}/api/v1/cases", first.base))
        .json(&testkit::sample_case())
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.expect("json");
    let res = b
        .get(format!("{}/api/v1/cases/{}", second.base, created["id"]))
        .send()
        .await
        .expect("read on the other instance");
    assert_eq!(res.status(), 200);
    let case: serde_json::Value = res.json().await.expect("json");
    assert_eq!(case["case_no"], created["case_no"]);
    // Case numbers stay unique when both instances register at once.
    let (x, y) = tokio::join!(
        a.post(format!("{}/api/v1/cases", first.base))
            .json(&testkit::sample_case())
            .send(),
        b.post(format!("{}/api/v1/cases", second.base))
            .json(&testkit::sample_case())
            .send(),
    );
    let x: serde_json::Value = x.expect("x").json().await.expect("json");
    let y: serde_json::Value = y.expect("y").json().await.expect("json");
    assert_ne!(x["case_no"], y["case_no"]);
    for s in [&mut first, &mut second] {
        let _ = s.child.kill();
        let _ = s.child.wait();
    }
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}
