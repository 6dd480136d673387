//! Accountability records: created only by supervisors and leaders above the official's
//! unit, with an audit row; read by auditors; refused to others, on both backends.

use crate::supervision_common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(
    accountability_is_recorded_from_above_and_read_by_auditors,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let id = case_in(&app, &o, "330106", 40).await;
        let (_, case) = get(&app, &o.admin, &format!("/api/v1/cases/{id}")).await;
        let case_no = case["case_no"].as_str().expect("case_no").to_string();
        let body = json!({
            "case_no": case_no, "official_user": "xh_clerk", "kind": "missed_deadline",
            "facts": "逾期二十五日未转送。", "decision": "criticism", "decided_by": "杭州市信访局"
        });
        let path = "/api/v1/supervision/accountability";
        // The official's own unit may not, nor a clerk.
        assert_error(
            &post(&app, &o.county_sup, path, &body).await,
            403,
            "forbidden",
        );
        assert_error(
            &post(&app, &o.county_clerk, path, &body).await,
            403,
            "forbidden",
        );
        assert_error(&get(&app, &o.county_clerk, path).await, 403, "forbidden");

        let (status, r) = post(&app, &o.city_sup, path, &body).await;
        assert_eq!(status, 201, "{r}");
        assert_eq!(r["article"], 44);
        assert_eq!(r["official_unit_code"], "330106");
        assert_eq!(r["case_no"], case_no);
        let logged = audit(&app, &o.admin, "accountability_recorded").await;
        assert_eq!(logged.len(), 1, "{logged:?}");

        // A named person without an account.
        let (status, named) = post(
            &app,
            &o.city_leader,
            path,
            &json!({
                "case_no": case_no, "official_name": "李某", "official_unit": "330106",
                "kind": "retaliation", "facts": "泄愤。", "decision": "sanction", "decided_by": "区纪委"
            }),
        )
        .await;
        assert_eq!(status, 201, "{named}");
        assert_eq!(named["article"], 46);
        let bad = post(&app, &o.city_sup, path, &json!({"case_no": case_no, "official_user": "xh_clerk", "kind": "rude", "facts": "x", "decision": "criticism", "decided_by": "x"})).await;
        assert_eq!(field(&bad.1, "kind"), "invalid_kind", "{:?}", bad);

        let (status, list) = get(&app, &o.auditor, path).await;
        assert_eq!(status, 200);
        assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
        let (status, one) = get(&app, &o.auditor, &format!("{path}/{}", r["id"])).await;
        assert_eq!(status, 200);
        assert_eq!(one["decision"], "criticism");
        // The county beside it sees none of them.
        let (admin_c, _) = (o.admin.clone(), ());
        let other_sup = app.user(&admin_c, "sc_sup", "supervisor", "330102").await;
        let (_, none) = get(&app, &other_sup, path).await;
        assert_eq!(none.as_array().map(Vec::len), Some(0));

        let res = o
            .auditor
            .get(app.url("/staff/supervision/accountability"))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 200);
        assert!(res.text().await.expect("html").contains("李某"));
        let res = o
            .county_clerk
            .get(app.url("/staff/supervision/accountability"))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 403);
    }
);
