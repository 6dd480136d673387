//! The inspection registers keep to the caller's subtree (a unit outside gets 404), a
//! register file with a bad row is refused whole with each error by row and column, and
//! a checklist edit is audited; on both backends.

use crate::inspections_common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(a_bad_row_refuses_the_whole_file, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let bad = "类型,许可证号,名称,地址,行政区划代码,责任单位
学校食堂,JY1,甲小学食堂,一路,330106,330106
网吧,JY2,乙网吧,二路,330106,330106
药店,JY1,丙药店,三路,3301,330106
诊所,JY4,丁诊所,四路,330102,330102
";
    // Rows 3 and 4 are wrong; row 5's unit is a sibling county, outside the importer.
    let (status, report) = import(&app, &o.county, bad.as_bytes(), "bad.csv").await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(report["imported"], 0);
    let errors: Vec<(i64, String, String)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().expect("row"),
                e["column"].as_str().expect("column").to_string(),
                e["code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    let want = |r: i64, c: &str, code: &str| (r, c.to_string(), code.to_string());
    assert_eq!(
        errors,
        vec![
            want(3, "kind", "unknown_kind"),
            want(4, "licence_no", "duplicate_in_file"),
            want(4, "region_code", "invalid_region_code"),
            want(5, "unit", "unit_out_of_scope"),
        ]
    );
    // Nothing was kept, not even the good rows.
    let (_, list) = get(&app, &o.admin, "/api/v1/establishments").await;
    assert_eq!(list.as_array().expect("list").len(), 0, "{list}");

    // The page shows the errors by row and column, and keeps nothing either.
    let html = o
        .county
        .get(app.url("/staff/inspections/establishments"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf")
        .to_string();
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(bad.as_bytes().to_vec()).file_name("bad.csv"),
    );
    let page = o
        .county
        .post(app.url("/staff/inspections/establishments/import"))
        .header("accept-language", "zh-CN")
        .multipart(form)
        .send()
        .await
        .expect("page import");
    assert_eq!(page.status(), 422);
    let html = page.text().await.expect("html");
    assert!(html.contains("第 3 行 “类型” 列"), "{html}");
    assert!(html.contains("第 5 行 “责任单位” 列"), "{html}");
    let (_, list) = get(&app, &o.admin, "/api/v1/establishments").await;
    assert_eq!(list.as_array().expect("list").len(), 0);

    // A licence already in the register is named too.
    let (status, _) = import(&app, &o.admin, GOOD_CSV.as_bytes(), "ok.csv").await;
    assert_eq!(status, 201);
    let again =
        "kind,licence_no,name,address,region_code,unit\nclinic,JY33010600002,x,y,330106,330106\n";
    let (status, report) = import(&app, &o.admin, again.as_bytes(), "again.csv").await;
    assert_eq!(status, 422);
    assert_eq!(report["errors"][0]["row"], 2);
    assert_eq!(report["errors"][0]["code"], "licence_exists");
    let (_, list) = get(&app, &o.admin, "/api/v1/establishments").await;
    assert_eq!(list.as_array().expect("list").len(), 3);
});

both_backends!(a_unit_outside_the_subtree_gets_404, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let (status, _) = import(&app, &o.city, GOOD_CSV.as_bytes(), "r.csv").await;
    assert_eq!(status, 201);
    let day = today();
    let (_, c) = post(
            &app,
            &o.county,
            "/api/v1/inspection-campaigns",
            &json!({"name": "西湖区学校食堂排查", "kinds": ["school_canteen"], "starts_on": day, "ends_on": day}),
        )
        .await;
    let cid = c["id"].as_i64().expect("id");
    let school = establishment_id(&app, &o.county, "JY33010600001").await;
    let (_, items) = get(
        &app,
        &o.county,
        "/api/v1/inspection-campaigns/checklists/school_canteen",
    )
    .await;
    let answers = vec!["pass"; items.as_array().expect("items").len()];
    let (status, insp) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
            &json!({"establishment_id": school, "inspected_on": day, "inspectors": "张三",
                    "answers": answers, "hazards": [{"description": "灭火器过期", "severity": "general"}]}),
        )
        .await;
    assert_eq!(status, 201, "{insp}");
    let iid = insp["id"].as_i64().expect("id");
    let hazard = insp["hazards"][0]["id"].as_i64().expect("hazard");

    // The sibling county sees none of it.
    for path in [
        format!("/api/v1/establishments/{school}"),
        format!("/api/v1/establishments/{school}/events"),
        format!("/api/v1/inspection-campaigns/{cid}"),
        format!("/api/v1/inspection-campaigns/inspections/{iid}"),
        format!("/api/v1/inspection-campaigns/hazards/{hazard}"),
    ] {
        let (status, body) = get(&app, &o.other_county, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let (status, _) = post(
        &app,
        &o.other_county,
        &format!("/api/v1/inspection-campaigns/hazards/{hazard}/rectification"),
        &json!({"requirements": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, &o.other_county, "/api/v1/establishments").await;
    let licences: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["licence_no"].as_str())
        .collect();
    assert_eq!(licences, ["JY33010200001"]);
    let (_, campaigns) = get(&app, &o.other_county, "/api/v1/inspection-campaigns").await;
    assert_eq!(campaigns.as_array().expect("list").len(), 0);
    // The sibling cannot inspect the county's school in a campaign of its own.
    let (_, mine) = post(
        &app,
        &o.other_county,
        "/api/v1/inspection-campaigns",
        &json!({"name": "上城排查", "kinds": ["school_canteen"], "starts_on": day, "ends_on": day}),
    )
    .await;
    let bad = post(
        &app,
        &o.other_county,
        &format!("/api/v1/inspection-campaigns/{}/inspections", mine["id"]),
        &json!({"establishment_id": school, "inspected_on": day, "inspectors": "x", "answers": []}),
    )
    .await;
    assert_eq!(field(&bad.1, "establishment"), "not_in_campaign");
    // The city above reads it; the auditor reads but does not inspect.
    let (status, _) = get(
        &app,
        &o.city,
        &format!("/api/v1/inspection-campaigns/{cid}"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &app,
        &o.auditor,
        &format!("/api/v1/inspection-campaigns/hazards/{hazard}/rectification"),
        &json!({"requirements": "x"}),
    )
    .await;
    assert_eq!(status, 403);
});

both_backends!(a_checklist_edit_is_audited_and_used, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let body = json!({"items": ["许可证公示", "健康证明齐全", ""]});
    let (status, _) = send(
        o.city
            .put(app.url("/api/v1/inspection-campaigns/checklists/clinic"))
            .json(&body),
    )
    .await;
    assert_eq!(status, 403);
    let (status, items) = send(
        o.admin
            .put(app.url("/api/v1/inspection-campaigns/checklists/clinic"))
            .json(&body),
    )
    .await;
    assert_eq!(status, 200, "{items}");
    let (_, now) = get(
        &app,
        &o.county,
        "/api/v1/inspection-campaigns/checklists/clinic",
    )
    .await;
    assert_eq!(now, json!(["许可证公示", "健康证明齐全"]));
    let rows = audit(&app, &o.admin, "inspection_checklist_set").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
});
