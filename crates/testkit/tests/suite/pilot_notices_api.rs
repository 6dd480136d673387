//! Notices name the unit that took each step, as it was then; a case is never sent to the
//! unit that holds it; the case page shows what happened in words — on SQLite and on
//! PostgreSQL.

use crate::common;

use common::{act, ok, today};
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

const OFFICE: &str = "西湖区信访局";
const HR: &str = "西湖区人力资源和社会保障局";
const ROOT_NAME: &str = "信访工作机构";

struct Pilot {
    admin: Client,
    /// The petition office's supervisor (330106).
    sup: Client,
    /// The petition office's leader: reviews what its departments decided.
    office_leader: Client,
    hr_handler: Client,
    hr_leader: Client,
    /// A leader of the root unit: re-reviews.
    root_leader: Client,
}

async fn staff(
    app: &TestApp,
    admin: &Client,
    username: &str,
    role: &str,
    unit: &str,
    name: &str,
) -> Client {
    let pw = "Test-password-1";
    let (status, body) = post(
        app,
        admin,
        "/api/v1/users",
        &json!({"username": username, "role": role, "unit": unit, "password": pw, "display_name": name}),
    )
    .await;
    assert_eq!(status, 201, "create {username}: {body}");
    app.login(username, pw).await
}

async fn pilot(app: &TestApp) -> Pilot {
    let admin = app.admin().await;
    app.unit(&admin, "330106", OFFICE, "county", "ROOT").await;
    app.unit(&admin, "330106-RS", HR, "department", "330106")
        .await;
    Pilot {
        sup: staff(app, &admin, "xf_sup", "supervisor", "330106", "督办员王芳").await,
        office_leader: staff(app, &admin, "xf_leader", "leader", "330106", "信访局长周强").await,
        hr_handler: staff(
            app,
            &admin,
            "rs_handler",
            "handler",
            "330106-RS",
            "承办人李明",
        )
        .await,
        hr_leader: staff(
            app,
            &admin,
            "rs_leader",
            "leader",
            "330106-RS",
            "人社局长陈静",
        )
        .await,
        root_leader: staff(app, &admin, "root_ld", "leader", "ROOT", "主任赵刚").await,
        admin,
    }
}

async fn new_case(app: &TestApp, c: &Client) -> (i64, String) {
    let mut case = sample_case();
    case["unit"] = json!("330106");
    case["region"] = json!("330106");
    let made = register(app, c, &case).await;
    (
        made["id"].as_i64().expect("id"),
        made["case_no"].as_str().expect("case_no").to_string(),
    )
}

async fn html(app: &TestApp, c: &Client, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.expect("get page");
    let status = res.status().as_u16();
    (status, res.text().await.expect("page text"))
}

fn text_of(notice: &Value) -> String {
    notice["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter_map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_iso_date(s: &str) -> bool {
    s.as_bytes().windows(10).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}

/// The part of a page between `from` and the next `to`.
fn section<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let start = page.find(from).unwrap_or_else(|| panic!("{from} in page"));
    let rest = &page[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

both_backends!(
    a_case_is_never_sent_to_the_unit_that_holds_it,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = pilot(&app).await;
        let (id, _) = new_case(&app, &p.sup).await;
        for body in [
            json!({"mode":"transfer","unit":"330106"}),
            json!({"mode":"assign","unit":"330106","result_due":"2099-01-01"}),
        ] {
            let got = act(&app, &p.sup, id, "route", body.clone()).await;
            assert_error(&got, 422, "validation_failed");
            assert_eq!(field(&got.1, "unit"), "same_unit", "{body}: {}", got.1);
        }
        // Nothing happened: still waiting for routing, only the registration recorded.
        let (_, case) = get(&app, &p.sup, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(case["stage"], "routing");
        let (_, events) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/events")).await;
        assert_eq!(events.as_array().map(Vec::len), Some(1), "{events}");
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert_eq!(notices, json!([]), "the citizen is told nothing");

        // Once with the department, it cannot be "transferred" to the department either.
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106-rs"}),
        )
        .await;
        let got = act(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106-RS"}),
        )
        .await;
        assert_error(&got, 409, "illegal_transition");
        // The department objects: the case goes back to the office that routed it, which
        // may send it again (even to the same department, overruling the objection).
        let v = ok(
            &app,
            &p.hr_handler,
            id,
            "object",
            json!({"reason":"不属于本部门职责"}),
        )
        .await;
        assert_eq!(v["stage"], "routing");
        assert_eq!(v["unit_code"], "330106", "back with the office: {v}");
        let got = act(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"assign","unit":"330106","result_due":"2099-01-01"}),
        )
        .await;
        assert_eq!(field(&got.1, "unit"), "same_unit", "{}", got.1);

        // The case page's form: refused with the error beside the unit, the choice kept.
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}")).await;
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("csrf")
            .to_string();
        let res = p
            .sup
            .post(app.url(&format!("/staff/cases/{id}/actions/route")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("mode", "transfer"),
                ("unit", "330106"),
            ])
            .send()
            .await
            .expect("post form");
        assert_eq!(res.status().as_u16(), 422);
        let page = res.text().await.expect("page");
        let form = section(&page, "data-action=\"route\"", "</details>");
        assert!(
            form.starts_with("data-action=\"route\" open>"),
            "the refused form is open: {form}"
        );
        assert!(
            page.contains("data-testid=\"field-error-unit\"")
                && page.contains("不能转送或交办给本单位"),
            "the unit field says why"
        );
        assert!(
            form.contains("<option value=\"330106\" selected>"),
            "the choice is kept: {form}"
        );
    }
);

both_backends!(
    every_notice_names_the_unit_that_took_its_step,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = pilot(&app).await;
        let (id, case_no) = new_case(&app, &p.sup).await;
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106-RS"}),
        )
        .await;
        ok(&app, &p.hr_handler, id, "accept", json!({})).await;
        ok(
            &app,
            &p.hr_handler,
            id,
            "note",
            json!({"kind":"note","text":"调取了工资台账和考勤记录。"}),
        )
        .await;
        ok(
            &app,
            &p.hr_leader,
            id,
            "extend",
            json!({"days": 10, "reason": "需要调取银行流水"}),
        )
        .await;
        ok(
            &app,
            &p.hr_handler,
            id,
            "reply",
            json!({"outcome":"support","text":"经调查核实，该公司确实拖欠工资，已责令其十日内支付。","basis":"依据《劳动合同法》第三十条"}),
        )
        .await;
        // The reply is signed off by the handling unit's leader: HR issues it.
        ok(&app, &p.hr_leader, id, "approve", json!({})).await;
        let day = json!({"received_on": today()});
        ok(&app, &p.sup, id, "deliver", day.clone()).await;
        ok(&app, &p.sup, id, "rate", json!({"rating":"dissatisfied"})).await;
        ok(
            &app,
            &p.sup,
            id,
            "request_review",
            json!({"reason":"支付金额不对"}),
        )
        .await;
        ok(
            &app,
            &p.office_leader,
            id,
            "review_decision",
            json!({"outcome":"uphold","text":"原处理意见正确。"}),
        )
        .await;
        // A review opinion is signed off above the handling unit: the office issues it.
        ok(&app, &p.office_leader, id, "approve", json!({})).await;
        ok(&app, &p.sup, id, "deliver", day.clone()).await;
        ok(
            &app,
            &p.sup,
            id,
            "request_rereview",
            json!({"reason":"仍不服"}),
        )
        .await;
        ok(
            &app,
            &p.root_leader,
            id,
            "rereview_decision",
            json!({"outcome":"uphold","text":"复查意见正确。"}),
        )
        .await;
        ok(&app, &p.root_leader, id, "approve", json!({})).await;
        // Renaming units later does not rewrite what was issued.
        for code in ["330106", "330106-RS"] {
            let (status, body) = patch(
                &app,
                &p.admin,
                &format!("/api/v1/units/{code}"),
                &json!({"name": format!("改名后的{code}"), "name_en": ""}),
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }

        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        let rows: Vec<(&str, &str)> = notices
            .as_array()
            .expect("notices")
            .iter()
            .filter_map(|n| Some((n["kind"].as_str()?, n["issuer"].as_str()?)))
            .collect();
        assert_eq!(
            rows,
            [
                ("transfer", OFFICE),
                ("acceptance", HR),
                ("extension", HR),
                ("decision", HR),
                ("review_opinion", OFFICE),
                ("rereview_opinion", ROOT_NAME),
            ]
        );
        let transfer = &notices[0];
        assert_eq!(transfer["receiving_unit"], HR);
        let text = text_of(transfer);
        assert!(
            text.contains(&format!(
                "已于{}将该事项转送（交办）{HR}办理",
                transfer["date_text"].as_str().expect("date")
            )),
            "the transfer names the receiving unit: {text}"
        );
        assert!(!text.contains("改名后"), "{text}");
        for n in notices.as_array().expect("notices") {
            let text = text_of(n);
            assert!(!has_iso_date(&text), "dates in words: {text}");
            let date = n["date_text"].as_str().expect("date_text");
            assert!(
                date.ends_with('日') && date.contains('年') && date.contains('月'),
                "{date}"
            );
        }
        assert!(
            text_of(&notices[1]).contains("年"),
            "the acceptance's due date"
        );
        let decision = text_of(&notices[3]);
        assert!(
            decision.contains("经调查核实，该公司确实拖欠工资")
                && !decision.contains("处理意见如下：经调查核实"),
            "the lead-in is not repeated: {decision}"
        );
        assert!(
            decision.contains("依据《劳动合同法》第三十条") && !decision.contains("依据：依据"),
            "{decision}"
        );
        assert!(decision.contains(&case_no));

        // English: dates as English documents write them.
        let (_, en) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices?lang=en")).await;
        let date = en[0]["date_text"].as_str().expect("date_text");
        let parts: Vec<&str> = date.split(' ').collect();
        assert!(
            parts.len() == 3 && parts[0].parse::<u32>().is_ok() && parts[2].len() == 4,
            "{date}"
        );

        // The printed transfer notice is headed and signed by the petition office.
        let seq = transfer["seq"].as_i64().expect("seq");
        let (status, page) = html(&app, &p.sup, &format!("/staff/cases/{id}/notices/{seq}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains(&format!("data-testid=\"issuer\">{OFFICE}</h1>")),
            "{page}"
        );
        let signature = section(&page, "data-testid=\"signature\"", "</p>");
        assert!(
            signature.contains(OFFICE) && signature.contains('年'),
            "{signature}"
        );
        let seq = notices[1]["seq"].as_i64().expect("seq");
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}/notices/{seq}")).await;
        assert!(page.contains(&format!("data-testid=\"issuer\">{HR}</h1>")));

        // The timeline says what happened, in words, with people's names and units.
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}")).await;
        let timeline = section(&page, "data-testid=\"timeline\"", "</ol>");
        for words in [
            &format!("转送至：{HR}") as &str,
            "调取了工资台账和考勤记录。",
            "办理期限延长 10 日",
            "需要调取银行流水",
            "结论：支持",
            "该公司确实拖欠工资",
            "依据《劳动合同法》第三十条",
            "评价：不满意",
            "支付金额不对",
            "原处理意见正确。",
            "承办人李明（",
            "督办员王芳（",
            "年",
        ] {
            assert!(
                timeline.contains(words),
                "{words} on the timeline: {timeline}"
            );
        }
        for internal in ["rs_handler", "xf_sup", "#", "petitioner", "portal"] {
            assert!(!timeline.contains(internal), "{internal} on the timeline");
        }
    }
);

both_backends!(
    a_signed_off_review_opinion_is_issued_by_the_unit_that_wrote_it,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = pilot(&app).await;
        // The petition office has its own review opinion; the root keeps the default.
        let (status, saved) = send(
            p.admin
                .put(app.url("/api/v1/notice-templates/review_opinion/zh"))
                .json(
                    &json!({"unit": "330106", "title": "复查意见书（西湖区格式）",
                    "body": "{petitioner}：{office}复查意见如下：{text}"}),
                ),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        let (id, _) = new_case(&app, &p.sup).await;
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106-RS"}),
        )
        .await;
        ok(&app, &p.hr_handler, id, "accept", json!({})).await;
        ok(
            &app,
            &p.hr_handler,
            id,
            "reply",
            json!({"outcome":"support","text":"已责令支付。","basis":"《劳动法》"}),
        )
        .await;
        ok(&app, &p.hr_leader, id, "approve", json!({})).await;
        ok(&app, &p.sup, id, "deliver", json!({"received_on": today()})).await;
        ok(
            &app,
            &p.sup,
            id,
            "request_review",
            json!({"reason":"金额不对"}),
        )
        .await;
        // The office writes the opinion; a leader further up signs it off.
        ok(
            &app,
            &p.office_leader,
            id,
            "review_decision",
            json!({"outcome":"uphold","text":"原处理意见正确。"}),
        )
        .await;
        ok(&app, &p.root_leader, id, "approve", json!({})).await;
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        let opinion = notices
            .as_array()
            .expect("notices")
            .iter()
            .find(|n| n["kind"] == "review_opinion")
            .cloned()
            .expect("the review opinion is issued");
        assert_eq!(opinion["issuer"], OFFICE, "{opinion}");
        assert_eq!(
            opinion["title"], "复查意见书（西湖区格式）",
            "the office's template"
        );
        assert!(
            text_of(&opinion).contains(&format!("{OFFICE}复查意见如下：原处理意见正确。")),
            "{opinion}"
        );
        let seq = opinion["seq"].as_i64().expect("seq");
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}/notices/{seq}")).await;
        assert!(page.contains(&format!("data-testid=\"issuer\">{OFFICE}</h1>")));
        // The timeline says the same: the office made it, the root's leader signed it.
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}")).await;
        let timeline = section(&page, "data-testid=\"timeline\"", "</ol>");
        assert!(
            timeline.contains(&format!("作出单位：{OFFICE}")),
            "{timeline}"
        );
        assert!(
            !timeline.contains(&format!("作出单位：{ROOT_NAME}")),
            "{timeline}"
        );
    }
);

both_backends!(
    non_acceptance_direction_and_routing_form,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = pilot(&app).await;
        // Transferred, then declined by the department: the department says no.
        let (id, _) = new_case(&app, &p.sup).await;
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106-RS"}),
        )
        .await;
        ok(
            &app,
            &p.hr_handler,
            id,
            "decline",
            json!({"reason":"已由劳动仲裁受理","refer_to":"西湖区劳动人事争议仲裁委员会"}),
        )
        .await;
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert_eq!(notices[1]["kind"], "non_acceptance");
        assert_eq!(notices[1]["issuer"], HR);

        // Directed to a legal channel by the petition office.
        let (id, _) = new_case(&app, &p.sup).await;
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"legal_channel","channel":"劳动仲裁"}),
        )
        .await;
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert_eq!(notices[0]["kind"], "legal_channel");
        assert_eq!(notices[0]["issuer"], OFFICE);

        // The route form: no unit chosen unless a routing rule suggests one, and a
        // preview of what the petitioner will be told, from the office.
        let (id, case_no) = new_case(&app, &p.sup).await;
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}")).await;
        let form = section(&page, "data-action=\"route\"", "</form>");
        let units = section(form, "name=\"unit\"", "</select>");
        assert!(
            units.contains("<option value=\"\" selected>"),
            "no default unit: {units}"
        );
        assert!(
            units.contains("当前所在单位"),
            "the holder is marked: {units}"
        );
        let preview = section(form, "data-testid=\"route-preview\"", "</details>");
        assert!(
            preview.contains("信访事项转送（交办）告知书")
                && preview.contains(OFFICE)
                && preview.contains(&case_no),
            "{preview}"
        );
        let (status, _) = post(
            &app,
            &p.admin,
            "/api/v1/routing-rules",
            &json!({"category":"labor","region_prefix":"3301","unit":"330106-RS"}),
        )
        .await;
        assert_eq!(status.as_u16(), 204);
        let (_, page) = html(&app, &p.sup, &format!("/staff/cases/{id}")).await;
        let form = section(&page, "data-action=\"route\"", "</form>");
        let units = section(form, "name=\"unit\"", "</select>");
        assert!(
            units.contains("<option value=\"330106-RS\" selected>"),
            "the suggestion is chosen: {units}"
        );
        let preview = section(form, "data-testid=\"route-preview\"", "</details>");
        assert!(preview.contains(HR), "the preview names the suggested unit");
    }
);
