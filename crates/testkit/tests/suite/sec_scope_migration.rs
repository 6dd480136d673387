//! Migration 0010 on a database in use, on SQLite and on PostgreSQL: a template edited
//! before templates were per unit stays with its editor's unit (the root's when the
//! editor is unknown), so an old county edit stops reaching other counties; old audit
//! entries get their units, so the scoped log shows them to the right auditors.

use serde_json::Value;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

both_backends!(
    old_templates_and_audit_entries_find_their_units,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let root = app.admin().await;
        app.unit(&root, "330106", "西湖区信访局", "county", "ROOT")
            .await;
        app.unit(&root, "330102", "上城区信访局", "county", "ROOT")
            .await;
        let _xh_admin = app.user(&root, "xh_admin", "admin", "330106").await;
        let xh_auditor = app.user(&root, "xh_auditor", "auditor", "330106").await;
        let sc_clerk = app.user(&root, "sc_clerk", "clerk", "330102").await;
        let made = register(&app, &sc_clerk, &sample_case()).await;
        let (status, _) = get(&app, &sc_clerk, &format!("/api/v1/cases/{}", made["id"])).await;
        assert_eq!(status, 200);

        // Back to the schema before 0010, with templates edited the old way.
        app.store.migrate_down(9).await.expect("down to 0009");
        app.store
            .execute_admin(
                "INSERT INTO notice_templates (kind, lang, title, body, updated_at, updated_by)
             VALUES ('acceptance', 'zh', '受理', '县里改的：汇款至 6222', 1, 'xh_admin'),
                    ('decision', 'zh', '意见书', '不明来源的模板', 1, 'someone_gone')",
            )
            .await
            .expect("old templates");
        app.store.migrate().await.expect("up again");

        let unit = |code: &'static str| {
            let store = app.store.clone();
            async move { store.unit_by_code(code).await.expect("unit") }
        };
        let (xh, sc) = (unit("330106").await, unit("330102").await);
        let (t, _) = app
            .store
            .notice_template_from(&xh.path, "acceptance", domain::annual::DocumentLang::Zh)
            .await
            .expect("template");
        assert!(t.body.contains("6222"), "the county keeps its edit");
        let (t, source) = app
            .store
            .notice_template_from(&sc.path, "acceptance", domain::annual::DocumentLang::Zh)
            .await
            .expect("template");
        assert!(
            !t.body.contains("6222"),
            "the sibling county does not get it"
        );
        assert_eq!(source, store::TemplateSource::Default);
        let (t, _) = app
            .store
            .notice_template_from(&sc.path, "decision", domain::annual::DocumentLang::Zh)
            .await
            .expect("template");
        assert_eq!(
            t.body, "不明来源的模板",
            "an unknown editor's edit stays with the root"
        );

        // Old audit entries are scoped: the county auditor sees its own logins only.
        let (_, seen) = get(&app, &xh_auditor, "/api/v1/audit?limit=1000").await;
        let seen: &Vec<Value> = seen.as_array().expect("entries");
        assert!(seen.iter().any(|e| e["target"] == "xh_auditor"));
        assert!(seen
            .iter()
            .all(|e| e["target"] != "sc_clerk" && e["target"] != made["case_no"]));
    }
);
