//! An inspection campaign's scope is a list of units, each with its subtree: what it
//! covers and counts, who sees it, the refusals (a unit outside the caller), the older
//! one-`unit` form, and the page form's unit choice; on both backends.

use crate::inspections_common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn codes(units: &Value) -> Vec<String> {
    units
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["code"].as_str().expect("code").to_string())
        .collect()
}

fn row<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["units"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["unit_code"] == code)
        .unwrap_or_else(|| panic!("{code} in {v}"))
}

pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf")
        .to_string()
}

both_backends!(a_campaign_covers_a_list_of_units, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    app.unit(&o.admin, "330105", "拱墅区市场监管局", "county", "3301")
        .await;
    let third = app.user(&o.admin, "gs_insp", "handler", "330105").await;
    let (status, _) = import(&app, &o.city, GOOD_CSV.as_bytes(), "r.csv").await;
    assert_eq!(status, 201);
    let more = "kind,licence_no,name,address,region_code,unit\nschool_canteen,JY33010500001,拱墅小学食堂,湖墅路 1 号,330105,330105\n";
    let (status, _) = import(&app, &o.city, more.as_bytes(), "more.csv").await;
    assert_eq!(status, 201);
    let day = today();

    // The city covers two of its three counties.
    let (status, c) = post(
        &app,
        &o.city,
        "/api/v1/inspection-campaigns",
        &json!({"name": "两区学校食堂和药店排查", "kinds": ["school_canteen", "pharmacy"],
                "units": ["330102", "330106"], "starts_on": day, "ends_on": day}),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(codes(&c["units"]), ["330106", "330102"], "tree order: {c}");
    assert_eq!(c["unit_code"], "3301", "the city runs it");
    let cid = c["id"].as_i64().expect("id");
    let (_, v) = get(
        &app,
        &o.city,
        &format!("/api/v1/inspection-campaigns/{cid}"),
    )
    .await;
    assert_eq!(
        v["total"]["total"], 3,
        "the third county's school is not covered: {v}"
    );
    assert_eq!(row(&v, "330106")["total"], 2);
    assert_eq!(row(&v, "330102")["total"], 1);
    let listed: Vec<&str> = v["establishments"]
        .as_array()
        .expect("establishments")
        .iter()
        .filter_map(|e| e["licence_no"].as_str())
        .collect();
    assert!(!listed.contains(&"JY33010500001"), "{listed:?}");
    // The school outside the list cannot be inspected in it.
    let outside = establishment_id(&app, &o.city, "JY33010500001").await;
    let bad = post(
        &app,
        &o.city,
        &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
        &json!({"establishment_id": outside, "inspected_on": day, "inspectors": "x", "answers": []}),
    )
    .await;
    assert_eq!(field(&bad.1, "establishment"), "not_in_campaign");

    // A covered county sees it, and its own part only; the third county sees nothing.
    let (_, mine) = get(
        &app,
        &o.county,
        &format!("/api/v1/inspection-campaigns/{cid}"),
    )
    .await;
    assert_eq!(mine["total"]["total"], 2, "{mine}");
    let (_, list) = get(&app, &o.county, "/api/v1/inspection-campaigns").await;
    assert_eq!(list.as_array().expect("list").len(), 1);
    let (status, _) = get(&app, &third, &format!("/api/v1/inspection-campaigns/{cid}")).await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, &third, "/api/v1/inspection-campaigns").await;
    assert_eq!(list.as_array().expect("list").len(), 0, "{list}");

    // A unit inside another listed one adds nothing; a unit outside the caller is refused.
    let (status, c2) = post(
        &app,
        &o.city,
        "/api/v1/inspection-campaigns",
        &json!({"name": "全市诊所", "kinds": ["clinic"], "units": ["330106", "3301"],
                "starts_on": day, "ends_on": day}),
    )
    .await;
    assert_eq!(status, 201, "{c2}");
    assert_eq!(codes(&c2["units"]), ["3301"]);
    let refused = post(
        &app,
        &o.county,
        "/api/v1/inspection-campaigns",
        &json!({"name": "越界", "kinds": ["clinic"], "units": ["330106", "330102"],
                "starts_on": day, "ends_on": day}),
    )
    .await;
    assert_error(&refused, 422, "validation_failed");
    assert_eq!(field(&refused.1, "units"), "unit_out_of_scope");
    // The older one-unit form still works; a covered unit with nothing registered shows 0/0.
    let (status, c3) = post(
        &app,
        &o.city,
        "/api/v1/inspection-campaigns",
        &json!({"name": "拱墅诊所", "kinds": ["clinic"], "unit": "330105",
                "starts_on": day, "ends_on": day}),
    )
    .await;
    assert_eq!(status, 201, "{c3}");
    assert_eq!(codes(&c3["units"]), ["330105"]);
    let (_, v3) = get(
        &app,
        &o.city,
        &format!("/api/v1/inspection-campaigns/{}", c3["id"]),
    )
    .await;
    assert_eq!(row(&v3, "330105")["total"], 0, "{v3}");
    // Without units, the caller's own unit.
    let (_, c4) = post(
        &app,
        &o.county,
        "/api/v1/inspection-campaigns",
        &json!({"name": "西湖药店", "kinds": ["pharmacy"], "starts_on": day, "ends_on": day}),
    )
    .await;
    assert_eq!(codes(&c4["units"]), ["330106"], "{c4}");
});

both_backends!(the_page_form_takes_several_units, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let (status, _) = import(&app, &o.city, GOOD_CSV.as_bytes(), "r.csv").await;
    assert_eq!(status, 201);
    let html = o
        .city
        .get(app.url("/staff/inspections"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    for code in ["3301", "330106", "330102"] {
        assert!(
            html.contains(&format!("name=\"units\" value=\"{code}\"")),
            "{code}"
        );
    }
    let day = today();
    let form = [
        ("csrf", csrf_of(&html)),
        ("name", "两区药店排查".to_string()),
        ("kinds", "pharmacy".to_string()),
        ("kinds", "school_canteen".to_string()),
        ("units", "330106".to_string()),
        ("units", "330102".to_string()),
        ("starts_on", day.clone()),
        ("ends_on", day.clone()),
    ];
    let res = o
        .city
        .post(app.url("/staff/inspections/campaigns"))
        .form(&form)
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    let at = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let page = o
        .city
        .get(app.url(&at))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("campaign")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("西湖区市场监管局 <small>330106</small>、上城区市场监管局"),
        "{page}"
    );
    let (_, list) = get(&app, &o.city, "/api/v1/inspection-campaigns").await;
    assert_eq!(codes(&list[0]["units"]), ["330106", "330102"]);
});
