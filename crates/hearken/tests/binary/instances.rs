//! Two `serve` instances on one PostgreSQL database: both migrate at start (under the
//! advisory lock), exactly one creates the admin account, and each sees the other's work,
//! in the database and through search (each tails the shared event feed into its own
//! index).

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
    // Each instance's search finds a case registered through the other.
    let on_first = register_text(&a, &first.base, "西溪路口的路灯坏了半年，晚上一片漆黑").await;
    let on_second = register_text(&b, &second.base, "翠苑菜场门口的下水道堵塞，污水横流").await;
    assert_eq!(
        search_until_found(&b, &second.base, "西溪路口", &on_first).await,
        1
    );
    assert_eq!(
        search_until_found(&a, &first.base, "翠苑菜场", &on_second).await,
        1
    );
    for s in [&mut first, &mut second] {
        let _ = s.child.kill();
        let _ = s.child.wait();
    }
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Registers a case with this content through the instance at `base`; its case number.
async fn register_text(c: &reqwest::Client, base: &str, content: &str) -> String {
    let mut case = testkit::sample_case();
    case["content"] = content.into();
    let res = c
        .post(format!("{base}/api/v1/cases"))
        .json(&case)
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);
    let v: serde_json::Value = res.json().await.expect("json");
    v["case_no"].as_str().expect("case_no").to_string()
}

/// Searches the instance at `base` for `q` until the case numbered `case_no` is found
/// (each index follows the shared feed a moment behind); how many cases matched.
async fn search_until_found(c: &reqwest::Client, base: &str, q: &str, case_no: &str) -> usize {
    let mut last = serde_json::Value::Null;
    for _ in 0..100 {
        let res = c
            .get(format!("{base}/api/v1/search"))
            .query(&[("q", q)])
            .send()
            .await
            .expect("search");
        if res.status() == 200 {
            let page: serde_json::Value = res.json().await.expect("json");
            let items = page["items"].as_array().cloned().unwrap_or_default();
            if items.iter().any(|i| i["case_no"] == case_no) {
                return items.len();
            }
            last = page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{base} never found {case_no} for {q}: {last}");
}
