//! A rectification order past its deadline whose hazard was not re-inspected shows on
//! the supervision board (by unit, with the units above), counts in the campaign's
//! progress and in the figures, and stops counting once re-inspected; on both backends.

use crate::inspections_common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn orders_of(board: &Value, code: &str) -> i64 {
    board["inspection_orders"]
        .as_array()
        .expect("inspection_orders")
        .iter()
        .find(|u| u["code"] == code)
        .map(|u| u["steps"].as_i64().expect("steps"))
        .unwrap_or(0)
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    c.get(app.url(path))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

both_backends!(
    an_overdue_rectification_order_is_supervised,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let (status, _) = import(&app, &o.city, GOOD_CSV.as_bytes(), "r.csv").await;
        assert_eq!(status, 201);
        let day = today();
        let (_, c) = post(
        &app,
        &o.city,
        "/api/v1/inspection-campaigns",
        &json!({"name": "学校食堂排查", "kinds": ["school_canteen"], "starts_on": day, "ends_on": day}),
    )
    .await;
        let cid = c["id"].as_i64().expect("id");
        let mut hazards = vec![];
        for licence in ["JY33010600001", "JY33010200001"] {
            let est = establishment_id(&app, &o.city, licence).await;
            let (_, items) = get(
                &app,
                &o.city,
                "/api/v1/inspection-campaigns/checklists/school_canteen",
            )
            .await;
            let answers = vec!["pass"; items.as_array().expect("items").len()];
            let (status, insp) = post(
                &app,
                &o.city,
                &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
                &json!({"establishment_id": est, "inspected_on": day, "inspectors": "张三",
                    "answers": answers,
                    "hazards": [{"description": "消毒柜损坏", "severity": "general"}]}),
            )
            .await;
            assert_eq!(status, 201, "{insp}");
            hazards.push(insp["hazards"][0]["id"].as_i64().expect("hazard"));
        }
        // The West Lake hazard gets 1 day, the other 30.
        for (h, days) in [(hazards[0], 1), (hazards[1], 30)] {
            let (status, order) = post(
                &app,
                &o.city,
                &format!("/api/v1/inspection-campaigns/hazards/{h}/rectification"),
                &json!({"days": days, "requirements": "更换消毒柜"}),
            )
            .await;
            assert_eq!(status, 201, "{order}");
        }
        let (_, board) = get(&app, &o.city, "/api/v1/supervision/board").await;
        assert_eq!(orders_of(&board, "3301"), 0, "nothing is late yet: {board}");

        // Three days on, the one-day order is late.
        let later = chrono::Utc::now() + chrono::Duration::days(3);
        app.state.config().clock.set(later);
        let (status, board) = get(&app, &o.city, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        assert_eq!(orders_of(&board, "3301"), 1, "{board}");
        assert_eq!(orders_of(&board, "330106"), 1);
        assert_eq!(orders_of(&board, "330102"), 0);
        let (_, stats) = get(&app, &o.city, "/api/v1/stats/inspections").await;
        assert_eq!(stats["overdue_orders"], 1, "{stats}");
        assert_eq!(stats["overdue_establishments"], 1);
        let (_, stats) = get(&app, &o.other_county, "/api/v1/stats/inspections").await;
        assert_eq!(stats["overdue_orders"], 0, "not the sibling's: {stats}");
        let (_, v) = get(
            &app,
            &o.city,
            &format!("/api/v1/inspection-campaigns/{cid}"),
        )
        .await;
        assert_eq!(v["total"]["overdue_orders"], 1, "{v}");
        let html = page(&app, &o.city, "/staff/supervision").await;
        assert!(
            html.contains("data-testid=\"insp-orders-overdue\""),
            "{html}"
        );
        assert!(html.contains("1 个检查对象 1 份整改通知"), "{html}");
        let html = page(&app, &o.city, "/staff/stats/registers").await;
        assert!(html.contains("1 个检查对象 1 份整改通知"), "{html}");

        // Re-inspected (fixed), it no longer counts.
        let (status, h) = post(
            &app,
            &o.city,
            &format!(
                "/api/v1/inspection-campaigns/hazards/{}/reinspection",
                hazards[0]
            ),
            &json!({"fixed": true}),
        )
        .await;
        assert_eq!(status, 200, "{h}");
        let (_, board) = get(&app, &o.city, "/api/v1/supervision/board").await;
        assert_eq!(orders_of(&board, "3301"), 0, "{board}");
        let (_, stats) = get(&app, &o.city, "/api/v1/stats/inspections").await;
        assert_eq!(stats["overdue_orders"], 0);
        let html = page(&app, &o.city, "/staff/supervision").await;
        assert!(html.contains("data-testid=\"insp-orders-none\""));
    }
);
