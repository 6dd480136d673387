//! Overdue dispute steps: a step past its deadline and not done in an open entry counts
//! on the supervision board (by unit, with the units above) and in the statistics, and
//! stops counting once done or once the entry is closed. The list exports to XLSX with
//! what it shows.

use crate::disputes_api::create;
use crate::supervision_common::*;
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};
use std::io::Cursor;
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn steps_of(board: &Value, code: &str) -> i64 {
    board["dispute_steps"]
        .as_array()
        .expect("dispute_steps")
        .iter()
        .find(|u| u["code"] == code)
        .map(|u| u["steps"].as_i64().expect("steps"))
        .unwrap_or(0)
}

both_backends!(
    overdue_steps_count_on_the_board_and_in_statistics,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let d = create(&app, &o.county_clerk, json!({})).await;
        let id = d["id"].as_i64().expect("id");
        let other = create(
            &app,
            &o.county_clerk,
            json!({"kind": "land_compensation", "title": "征地补偿"}),
        )
        .await;
        let oid = other["id"].as_i64().expect("id");
        let mut steps = vec![];
        for (e, due) in [
            (id, days_ago(3)),
            (id, days_ago(1)),
            (id, days_ago(-3)),
            (oid, days_ago(2)),
        ] {
            let (s, v) = post(
                &app,
                &o.county_clerk,
                &format!("/api/v1/disputes/{e}/steps"),
                &json!({"what": "核实欠薪数额", "due_on": due, "assignee": "区人社局"}),
            )
            .await;
            assert_eq!(s, 200, "{v}");
            steps.push(v["steps"].as_array().expect("steps").last().expect("step")["id"].clone());
        }
        let (s, board) = get(&app, &o.city_sup, "/api/v1/supervision/board").await;
        assert_eq!(s, 200, "{board}");
        assert_eq!(steps_of(&board, "3301"), 3, "{board}");
        assert_eq!(steps_of(&board, "330106"), 3);
        assert_eq!(steps_of(&board, "330102"), 0);
        let (_, stats) = get(&app, &o.city_sup, "/api/v1/stats/disputes?by=kind").await;
        assert_eq!(stats["overdue_steps"], 3, "{stats}");
        assert_eq!(stats["overdue_entries"], 2);
        assert_eq!(stats["total"], 2);
        assert_eq!(
            stats["rows"],
            json!([{"key": "land_compensation", "count": 1}, {"key": "wage_arrears", "count": 1}])
        );
        // The figure's list is exactly its entries.
        let (_, list) = get(&app, &o.city_sup, "/api/v1/disputes?unit=330106&overdue=1").await;
        assert_eq!(list.as_array().expect("list").len(), 2);
        assert_eq!(list[1]["overdue_steps"], 2, "{list}");
        // The page shows the figure and links to the list.
        let res = o
            .city_sup
            .get(app.url("/staff/supervision"))
            .send()
            .await
            .expect("board page");
        let html = res.text().await.expect("html");
        assert!(
            html.contains("/staff/disputes?unit=330106&amp;overdue=1"),
            "board links the list"
        );

        // Done steps and closed entries stop counting.
        let first = steps[0].as_i64().expect("step");
        let (s, _) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/steps/{first}/done"),
            &json!({}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, _) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{oid}/outcome"),
            &json!({"outcome": "unresolved", "note": "公司已破产，转入清算"}),
        )
        .await;
        assert_eq!(s, 200);
        let (_, board) = get(&app, &o.city_sup, "/api/v1/supervision/board").await;
        assert_eq!(steps_of(&board, "3301"), 1, "{board}");
        let (_, stats) = get(&app, &o.city_sup, "/api/v1/stats/disputes?by=outcome").await;
        assert_eq!(stats["overdue_steps"], 1, "{stats}");
        assert_eq!(
            stats["rows"],
            json!([{"key": "open", "count": 1}, {"key": "unresolved", "count": 1}])
        );
        // The other county sees none of it.
        let (_, stats) = get(&app, &o.other_clerk, "/api/v1/stats/disputes").await;
        assert_eq!(stats["total"], 0);
    }
);

fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX file");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("rows");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

both_backends!(the_list_exports_to_xlsx_as_filtered, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    create(&app, &o.county_clerk, json!({})).await;
    create(
        &app,
        &o.county_clerk,
        json!({"kind": "environment", "title": "化工厂异味", "people": 40}),
    )
    .await;
    let res = o
        .city_sup
        .get(app.url("/api/v1/disputes/export?kind=environment"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("type")
        .contains("spreadsheetml"));
    let rows = xlsx_rows(res.bytes().await.expect("bytes").to_vec());
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][1], "名称");
    assert_eq!(rows[1][1], "化工厂异味");
    assert_eq!(rows[1][2], "环境污染");
    assert_eq!(rows[1][3], "西湖区信访局");
    assert_eq!(rows[1][7], "40");
    assert_eq!(rows[1][11], "化解中");
    // The other county's export is empty but for the headings.
    let res = o
        .other_clerk
        .get(app.url("/api/v1/disputes/export"))
        .send()
        .await
        .expect("export");
    assert_eq!(
        xlsx_rows(res.bytes().await.expect("bytes").to_vec()).len(),
        1
    );
});
