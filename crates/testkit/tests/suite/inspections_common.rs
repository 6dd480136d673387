//! A city market office above two counties, for the inspection suites; and an import of
//! the establishments register from a CSV made here.
#![allow(dead_code)]

use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde_json::Value;
use testkit::http::*;
use testkit::TestApp;

pub struct Office {
    pub admin: Client,
    pub city: Client,
    pub county: Client,
    pub other_county: Client,
    pub auditor: Client,
}

pub async fn office(app: &TestApp) -> Office {
    let admin = app.admin().await;
    app.unit(&admin, "3301", "杭州市市场监管局", "city", "ROOT")
        .await;
    app.unit(&admin, "330106", "西湖区市场监管局", "county", "3301")
        .await;
    app.unit(&admin, "330102", "上城区市场监管局", "county", "3301")
        .await;
    Office {
        city: app.user(&admin, "hz_insp", "supervisor", "3301").await,
        county: app.user(&admin, "xh_insp", "handler", "330106").await,
        other_county: app.user(&admin, "sc_insp", "handler", "330102").await,
        auditor: app.user(&admin, "auditor1", "auditor", "ROOT").await,
        admin,
    }
}

/// The office's date today.
pub fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

pub const GOOD_CSV: &str = "类型,许可证号,名称,地址,行政区划代码,责任单位
学校食堂,JY33010600001,西湖小学食堂,西湖区文三路 1 号,330106,330106
药店,JY33010600002,百姓大药房文三店,西湖区文三路 9 号,330106,330106
school_canteen,JY33010200001,上城实验学校食堂,上城区清泰街 5 号,330102,330102
";

/// Uploads `bytes` as the register file; returns the status and the report.
pub async fn import(app: &TestApp, c: &Client, bytes: &[u8], name: &str) -> (u16, Value) {
    let form = Form::new().part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(name.to_string()),
    );
    let res = c
        .post(app.url("/api/v1/establishments/import"))
        .multipart(form)
        .send()
        .await
        .expect("import");
    let status = res.status().as_u16();
    (status, res.json().await.expect("report"))
}

pub async fn establishment_id(app: &TestApp, c: &Client, licence: &str) -> i64 {
    let (status, list) = get(app, c, "/api/v1/establishments").await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .find(|e| e["licence_no"] == licence)
        .and_then(|e| e["id"].as_i64())
        .unwrap_or_else(|| panic!("{licence} in {list}"))
}
