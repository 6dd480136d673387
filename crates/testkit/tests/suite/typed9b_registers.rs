//! The registers' codes (a dispute's kind, outcome and legal channel …) are read from the
//! database into the domain's types once, in the store: the API shows each code exactly as
//! it was written, and a stored code this build does not know is reported by column and
//! value instead of being shown or guessed. On SQLite and on PostgreSQL.

use crate::disputes_api::create;
use crate::supervision_common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(
    typed9b_register_codes_read_as_written_and_unknown_ones_are_named,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let d = create(&app, &o.county_clerk, json!({"kind": "land_compensation"})).await;
        let id = d["id"].as_i64().expect("id");
        assert_eq!(d["kind"], "land_compensation");
        assert_eq!(d["outcome"], "open");
        assert_eq!(d["channel"], "", "an open entry has no legal channel");

        // The people's mediation channel's code is `people_mediation`, not a variant name.
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/outcome"),
            &json!({"outcome": "referred", "channel": "people_mediation"}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(
            (&d["outcome"], &d["channel"]),
            (&json!("referred"), &json!("people_mediation"))
        );

        let (s, list) = get(&app, &o.county_clerk, "/api/v1/disputes?outcome=referred").await;
        assert_eq!(s, 200, "{list}");
        let ids: Vec<i64> = list
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        assert_eq!(ids, vec![id]);
        assert_eq!(list[0]["channel"], "people_mediation");
        let (s, open) = get(&app, &o.county_clerk, "/api/v1/disputes?outcome=open").await;
        assert_eq!((s.as_u16(), open), (200, json!([])));
        let got = get(&app, &o.county_clerk, "/api/v1/disputes?outcome=settled").await;
        assert_error(&got, 422, "validation_failed");

        // A newer build (or a hand edit) wrote a kind this build does not know.
        app.store
            .execute_admin(&format!(
                "UPDATE disputes SET kind = 'street_protest' WHERE id = {id}"
            ))
            .await
            .expect("edit by hand");
        let err = app
            .store
            .dispute(&store::Scope::new("/"), id, "2026-06-01")
            .await
            .expect_err("an unknown kind is not read as some kind");
        match err {
            store::StoreError::UnknownValue { column, value } => {
                assert_eq!((column, value.as_str()), ("kind", "street_protest"));
            }
            other => panic!("expected UnknownValue, got {other:?}"),
        }
        // The reader gets a plain server error, without the value or the column.
        let (s, body) = get(&app, &o.county_clerk, &format!("/api/v1/disputes/{id}")).await;
        assert_eq!(s, 500, "{body}");
        assert_eq!(body["error"], "internal_error");
        assert!(!body.to_string().contains("street_protest"), "{body}");
    }
);
