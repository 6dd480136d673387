//! The establishments register imports from an XLSX file made here the way a clerk's
//! spreadsheet is (codes typed as numbers): a good file imports whole, a file with a bad
//! row is refused whole with the row and column named; on both backends.

use crate::inspections_common::*;
use rust_xlsxwriter::Workbook;
use testkit::http::*;
use testkit::{both_backends, TestApp};

/// A sheet with the Chinese headings and these rows; codes go in as numbers.
fn xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let head = [
        "类型",
        "许可证号",
        "名称",
        "地址",
        "行政区划代码",
        "责任单位",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("heading");
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(n) if c >= 4 => sheet.write_number(r, c, n).map(|_| ()),
                _ => sheet.write_string(r, c, *v).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

both_backends!(an_xlsx_register_imports_all_or_nothing, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    // A bad row: the whole file is refused, the row and the column named.
    let bad = xlsx(&[
        [
            "学校食堂",
            "JY33010600011",
            "文三小学食堂",
            "文三路 2 号",
            "330106",
            "330106",
        ],
        [
            "药店",
            "JY33010600012",
            "文三大药房",
            "文三路 3 号",
            "3301",
            "330106",
        ],
        [
            "网吧",
            "JY33010600013",
            "某网吧",
            "文三路 4 号",
            "330106",
            "330106",
        ],
    ]);
    let (status, report) = import(&app, &o.county, &bad, "名录.xlsx").await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(report["imported"], 0);
    let errors: Vec<(i64, &str, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().expect("row"),
                e["column"].as_str().expect("column"),
                e["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "region_code", "invalid_region_code"),
            (4, "kind", "unknown_kind")
        ]
    );
    let (_, list) = get(&app, &o.county, "/api/v1/establishments").await;
    assert_eq!(
        list.as_array().expect("list").len(),
        0,
        "nothing half-imported"
    );

    // The page names them in the reader's language.
    let html = o
        .county
        .get(app.url("/staff/inspections/establishments"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let form = reqwest::multipart::Form::new()
        .text("csrf", crate::reg13_scope::csrf_of(&html))
        .part(
            "file",
            reqwest::multipart::Part::bytes(bad.clone()).file_name("名录.xlsx"),
        );
    let page = o
        .county
        .post(app.url("/staff/inspections/establishments/import?lang=en"))
        .multipart(form)
        .send()
        .await
        .expect("page import");
    assert_eq!(page.status(), 422);
    let html = page.text().await.expect("html");
    assert!(html.contains("Row 3"), "{html}");
    assert!(html.contains("Row 4"), "{html}");

    // The good file imports whole; the numbers read back as codes.
    let good = xlsx(&[
        [
            "学校食堂",
            "JY33010600011",
            "文三小学食堂",
            "文三路 2 号",
            "330106",
            "330106",
        ],
        [
            "pharmacy",
            "JY33010600012",
            "文三大药房",
            "文三路 3 号",
            "330106",
            "330106",
        ],
    ]);
    let (status, report) = import(&app, &o.county, &good, "名录.xlsx").await;
    assert_eq!(status, 201, "{report}");
    assert_eq!(report["imported"], 2);
    let (_, list) = get(&app, &o.county, "/api/v1/establishments").await;
    let rows: Vec<(&str, &str, &str)> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|e| {
            (
                e["licence_no"].as_str().expect("licence"),
                e["kind"].as_str().expect("kind"),
                e["region_code"].as_str().expect("region"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("JY33010600011", "school_canteen", "330106"),
            ("JY33010600012", "pharmacy", "330106")
        ]
    );
});
