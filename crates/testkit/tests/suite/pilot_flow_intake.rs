//! Where online petitions land, on SQLite and PostgreSQL: the intake office the root
//! unit's admin sets (audited), a region's own intake office, case numbers with that
//! office's code, and a supervisor there who sees and routes them.

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn petition(region: &str) -> Value {
    json!({
        "type": "claim", "category": "labor.wages", "region": region,
        "respondent": "某建筑公司", "content": "我在某工地务工，被拖欠工资三个月。",
        "demands": "请求督促支付拖欠工资。", "name": "张三", "phone": "13800000000"
    })
}

async fn submit(app: &TestApp, region: &str) -> String {
    let public = Client::new();
    let (status, v) = post(app, &public, "/api/v1/public/petitions", &petition(region)).await;
    assert_eq!(status, 201, "submit: {v}");
    v["case_no"].as_str().expect("case_no").to_string()
}

async fn queue_has(app: &TestApp, c: &Client, case_no: &str) -> Option<Value> {
    let (status, v) = get(app, c, &format!("/api/v1/cases?case_no={case_no}")).await;
    assert_eq!(status, 200, "{v}");
    v["items"].as_array().and_then(|a| a.first()).cloned()
}

both_backends!(
    online_petitions_land_in_the_intake_office_the_root_admin_sets,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330000", "浙江省信访局", "province", "ROOT")
            .await;
        app.unit(&admin, "330100", "杭州市信访局", "city", "330000")
            .await;
        app.unit(&admin, "330106", "西湖区信访局", "county", "330100")
            .await;
        let prov_sup = app.user(&admin, "prov_sup", "supervisor", "330000").await;
        let city_sup = app.user(&admin, "hz_sup", "supervisor", "330100").await;
        let prov_admin = app.user(&admin, "prov_admin", "admin", "330000").await;

        // Nothing set yet: the root unit keeps them, and admins are told so.
        let before = submit(&app, "330106").await;
        assert!(before.starts_with("ROOT-"), "{before}");
        assert!(queue_has(&app, &prov_sup, &before).await.is_none());
        let html = admin
            .get(app.url("/staff/admin/intake"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(html.contains("data-testid=\"intake-unset\""), "{html}");

        // Only the root unit's admin sets it; bad input names the field.
        let set = |prefix: &str, unit: &str| json!({"region_prefix": prefix, "unit": unit});
        assert_error(
            &post(
                &app,
                &prov_admin,
                "/api/v1/intake-offices",
                &set("", "330000"),
            )
            .await,
            403,
            "forbidden",
        );
        let (status, v) = post(&app, &admin, "/api/v1/intake-offices", &set("", "NOPE")).await;
        assert_eq!(
            (status.as_u16(), field(&v, "unit")),
            (422, "unknown_unit"),
            "{v}"
        );
        let (status, v) = post(
            &app,
            &admin,
            "/api/v1/intake-offices",
            &set("33x", "330000"),
        )
        .await;
        assert_eq!(
            (status.as_u16(), field(&v, "region_prefix")),
            (422, "invalid_region"),
            "{v}"
        );
        let (status, v) = post(&app, &admin, "/api/v1/intake-offices", &set("", "330000")).await;
        assert_eq!(status, 204, "{v}");
        let entries = audit(&app, &admin, "intake_office_set").await;
        assert_eq!(entries.len(), 1, "the change is audited: {entries:?}");
        assert_eq!(entries[0]["target"], "330000");

        // The province's petition office gets it, numbered with its code, and its
        // supervisor sees it and may route it.
        let case_no = submit(&app, "330106").await;
        assert!(case_no.starts_with("330000-"), "{case_no}");
        let row = queue_has(&app, &prov_sup, &case_no)
            .await
            .expect("the provincial supervisor sees it");
        assert_eq!(row["unit_code"], "330000");
        assert_eq!(row["channel"], "online");
        let id = row["id"].as_i64().expect("id");
        let (_, case) = get(&app, &prov_sup, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(case["waiting_for"], "route");
        assert!(case["allowed_actions"]
            .as_array()
            .expect("actions")
            .iter()
            .any(|a| a == "route"));
        assert!(queue_has(&app, &city_sup, &case_no).await.is_none());

        // A region's own intake office: petitions from Hangzhou go to the city bureau,
        // others still to the province.
        let (status, _) = post(
            &app,
            &admin,
            "/api/v1/intake-offices",
            &set("3301", "330100"),
        )
        .await;
        assert_eq!(status, 204);
        let hz = submit(&app, "330106").await;
        assert!(hz.starts_with("330100-"), "{hz}");
        assert!(queue_has(&app, &city_sup, &hz).await.is_some());
        let nb = submit(&app, "330203").await;
        assert!(nb.starts_with("330000-"), "{nb}");
        let (_, list) = get(&app, &admin, "/api/v1/intake-offices").await;
        let prefixes: Vec<&str> = list
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|o| o["region_prefix"].as_str())
            .collect();
        assert_eq!(prefixes, ["", "3301"]);
        let html = admin
            .get(app.url("/staff/admin/intake"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(html.contains("杭州市信访局 (330100)") && !html.contains("intake-unset"));
        let res = prov_admin
            .get(app.url("/staff/admin/intake"))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 403);
    }
);
