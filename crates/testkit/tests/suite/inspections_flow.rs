//! An inspection campaign from the register's import through an inspection with a
//! hazard, a rectification order, a failed re-inspection and a suspension order; its
//! progress by unit, the histories, and its XLSX export read back with calamine; on both
//! backends.

use crate::inspections_common::*;
use calamine::{Data, Reader, Xlsx};
use serde_json::json;
use std::io::Cursor;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(
    a_campaign_runs_from_import_to_suspension,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let (status, report) = import(&app, &o.city, GOOD_CSV.as_bytes(), "名录.csv").await;
        assert_eq!(status, 201, "{report}");
        assert_eq!(report["imported"], 3);

        // The city runs a campaign on school canteens and pharmacies over its subtree.
        let day = today();
        let (status, c) = post(
            &app,
            &o.city,
            "/api/v1/inspection-campaigns",
            &json!({"name": "秋季开学食品药品安全排查", "kinds": ["school_canteen", "pharmacy"],
                    "starts_on": day, "ends_on": day}),
        )
        .await;
        assert_eq!(status, 201, "{c}");
        let cid = c["id"].as_i64().expect("id");
        let (_, v) = get(
            &app,
            &o.city,
            &format!("/api/v1/inspection-campaigns/{cid}"),
        )
        .await;
        assert_eq!(v["total"]["total"], 3, "{v}");
        assert_eq!(v["total"]["visited"], 0);

        // The county inspects its school canteen and finds a serious hazard.
        let school = establishment_id(&app, &o.county, "JY33010600001").await;
        let (_, items) = get(
            &app,
            &o.county,
            "/api/v1/inspection-campaigns/checklists/school_canteen",
        )
        .await;
        let n = items.as_array().expect("items").len();
        assert!(n >= 5, "{items}");
        let mut answers = vec!["pass"; n];
        answers[3] = "fail";
        let missing = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
            &json!({"establishment_id": school, "inspected_on": day, "inspectors": "张三、李四",
                    "answers": ["pass"]}),
        )
        .await;
        assert_error(&missing, 422, "validation_failed");
        assert_eq!(field(&missing.1, "answers"), "answer_missing");
        let (status, insp) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
            &json!({"establishment_id": school, "inspected_on": day, "inspectors": "张三、李四",
                    "answers": answers, "findings": "留样记录缺失两日",
                    "hazards": [{"description": "食品留样不足 48 小时", "severity": "serious"}]}),
        )
        .await;
        assert_eq!(status, 201, "{insp}");
        let hazard = insp["hazards"][0]["id"].as_i64().expect("hazard");
        assert_eq!(insp["hazards"][0]["state"], "open");
        assert_eq!(insp["answers"][3]["answer"], "fail");

        // A suspension cannot come before a rectification order and a failed re-inspection.
        let early = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}/suspension"),
            &json!({"requirements": "停业"}),
        )
        .await;
        assert_error(&early, 400, "hazard_state");
        let (status, order) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}/rectification"),
            &json!({"days": 7, "requirements": "建立留样台账，配备留样冰箱"}),
        )
        .await;
        assert_eq!(status, 201, "{order}");
        assert!(order["order_no"].as_str().expect("no").starts_with("ZG-"));
        assert!(order["due_on"].as_str().expect("due") > day.as_str());
        let (status, h) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}/reinspection"),
            &json!({"fixed": false, "notes": "仍未配备留样冰箱"}),
        )
        .await;
        assert_eq!(status, 200, "{h}");
        assert_eq!(h["state"], "not_fixed");
        let (status, susp) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}/suspension"),
            &json!({"requirements": "停业整顿至整改验收合格"}),
        )
        .await;
        assert_eq!(status, 201, "{susp}");
        assert_eq!(susp["kind"], "suspension_order");
        let (_, h) = get(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}"),
        )
        .await;
        assert_eq!(h["state"], "suspended");
        assert_eq!(h["orders"].as_array().expect("orders").len(), 2);

        // Progress: 1 of 3 visited; the hazard is closed by the suspension.
        let (_, v) = get(
            &app,
            &o.city,
            &format!("/api/v1/inspection-campaigns/{cid}"),
        )
        .await;
        assert_eq!(v["total"]["visited"], 1, "{v}");
        assert_eq!(v["total"]["total"], 3);
        assert_eq!(v["total"]["open_hazards"], 0);
        let xh = v["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["unit_code"] == "330106")
            .expect("xihu")
            .clone();
        assert_eq!(
            (xh["visited"].clone(), xh["total"].clone()),
            (json!(1), json!(2))
        );

        // Every change is on the establishment's history and the campaign's.
        let (_, ev) = get(
            &app,
            &o.county,
            &format!("/api/v1/establishments/{school}/events"),
        )
        .await;
        let kinds: Vec<&str> = ev
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "imported",
                "inspected",
                "hazard_found",
                "rectification_order",
                "reinspected",
                "suspension_order"
            ]
        );
        let (_, cev) = get(
            &app,
            &o.city,
            &format!("/api/v1/inspection-campaigns/{cid}/events"),
        )
        .await;
        assert_eq!(cev.as_array().expect("events").len(), 6, "{cev}");

        // The export holds the progress by unit, then the total.
        let res = o
            .city
            .get(app.url(&format!("/api/v1/inspection-campaigns/{cid}/export")))
            .header("accept-language", "zh-CN")
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.expect("bytes").to_vec();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
        let sheet = book.worksheet_range_at(0).expect("sheet").expect("range");
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows[0][0], Data::String("责任单位".into()));
        assert_eq!(rows[0][3], Data::String("已检查".into()));
        let xh = rows
            .iter()
            .find(|r| r[1] == Data::String("330106".into()))
            .expect("西湖 row");
        assert_eq!(xh[0], Data::String("西湖区市场监管局".into()));
        assert_eq!(xh[2], Data::Float(2.0));
        assert_eq!(xh[3], Data::Float(1.0));
        let total = rows.last().expect("total");
        assert_eq!(total[0], Data::String("合计".into()));
        assert_eq!(total[2], Data::Float(3.0));
        assert_eq!(total[3], Data::Float(1.0));
    }
);

both_backends!(
    orders_print_from_the_editable_templates,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let (status, _) = import(&app, &o.admin, GOOD_CSV.as_bytes(), "r.csv").await;
        assert_eq!(status, 201);
        let day = today();
        let (_, c) = post(
            &app,
            &o.county,
            "/api/v1/inspection-campaigns",
            &json!({"name": "药店专项", "kinds": ["pharmacy"], "starts_on": day, "ends_on": day}),
        )
        .await;
        let cid = c["id"].as_i64().expect("id");
        let shop = establishment_id(&app, &o.county, "JY33010600002").await;
        let (_, items) = get(
            &app,
            &o.county,
            "/api/v1/inspection-campaigns/checklists/pharmacy",
        )
        .await;
        let answers = vec!["na"; items.as_array().expect("items").len()];
        let (_, insp) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
            &json!({"establishment_id": shop, "inspected_on": day, "inspectors": "王五",
                    "answers": answers,
                    "hazards": [{"description": "处方药无处方销售", "severity": "critical"}]}),
        )
        .await;
        let hazard = insp["hazards"][0]["id"].as_i64().expect("hazard");
        // An admin edits the county's rectification template; the printed order uses it.
        let (status, _) = send(
            o.admin
                .put(app.url("/api/v1/notice-templates/rectification_order/zh"))
                .json(&json!({"unit": "330106", "title": "整改通知（西湖）",
                              "body": "{establishment}：请于{due}前整改：{hazard}。"})),
        )
        .await;
        assert_eq!(status, 200);
        let (_, order) = post(
            &app,
            &o.county,
            &format!("/api/v1/inspection-campaigns/hazards/{hazard}/rectification"),
            &json!({"requirements": "凭处方销售"}),
        )
        .await;
        let oid = order["id"].as_i64().expect("order");
        let html = o
            .county
            .get(app.url(&format!("/staff/inspections/orders/{oid}/print")))
            .header("accept-language", "zh-CN")
            .send()
            .await
            .expect("print")
            .text()
            .await
            .expect("html");
        assert!(html.contains("整改通知（西湖）"), "{html}");
        assert!(html.contains("百姓大药房文三店：请于"), "{html}");
        assert!(html.contains("处方药无处方销售"), "{html}");
    }
);
