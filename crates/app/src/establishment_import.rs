//! Importing the establishments register from a CSV or XLSX file. Every row is checked
//! (kind, licence number present and unique in the file and in the register, name,
//! region code, responsible unit in the importer's subtree); one bad row refuses the
//! whole file, each error named by its row and column, and nothing is written.

use crate::{App, AppError, AppResult, Caller};
use domain::inspection::{may_inspect, region_code_ok, EstablishmentKind};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use store::{NewEstablishment, StoreError};

/// Most rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// The columns of an import file, in the order a template lists them.
pub const COLUMNS: &[&str] = &[
    "kind",
    "licence_no",
    "name",
    "address",
    "region_code",
    "unit",
];

/// The headings each column may carry (its key, its Chinese heading, common variants).
fn column_of(heading: &str) -> Option<&'static str> {
    let h = heading.trim().trim_start_matches('\u{feff}').to_lowercase();
    Some(match h.as_str() {
        "kind" | "type" | "类型" | "类别" => "kind",
        "licence_no" | "licence" | "license_no" | "license" | "许可证号" | "许可证编号" => {
            "licence_no"
        }
        "name" | "名称" | "单位名称" => "name",
        "address" | "地址" => "address",
        "region_code" | "region" | "行政区划代码" | "区划代码" => "region_code",
        "unit" | "unit_code" | "责任单位" | "责任单位代码" => "unit",
        _ => return None,
    })
}

/// One refusal: the file's row (1 is the heading row), the column's key (`file` for the
/// whole file) and the error's code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub code: String,
}

impl RowError {
    fn new(row: usize, column: &str, code: &str) -> Self {
        RowError {
            row,
            column: column.into(),
            code: code.into(),
        }
    }
}

/// What an import did: how many establishments it wrote, or why it wrote none.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub errors: Vec<RowError>,
}

/// A file's rows as text, each with its row number in the file.
type Rows = Vec<(usize, Vec<String>)>;

/// Reads a CSV (UTF-8, with or without a byte-order mark) or an XLSX file (its first
/// sheet), told apart by their content.
pub fn read_rows(bytes: &[u8]) -> Result<Rows, RowError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Rows, RowError> {
    use calamine::Reader;
    let unreadable = || RowError::new(0, "file", "file_unreadable");
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let first = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row = vec![String::new(); first_col];
            row.extend(cells.iter().map(|c| c.to_string().trim().to_string()));
            (first + i + 1, row)
        })
        .collect())
}

fn read_csv(bytes: &[u8]) -> Result<Rows, RowError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(RowError::new(0, "file", "file_not_utf8"));
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = vec![];
    for rec in r.records() {
        let rec = rec.map_err(|_| RowError::new(0, "file", "file_unreadable"))?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        rows.push((line, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(rows)
}

/// A row before the register is consulted.
struct Parsed {
    row: usize,
    kind: String,
    licence_no: String,
    name: String,
    address: String,
    region_code: String,
    unit: String,
}

/// Checks what a file says without the database: headings, kinds, required cells,
/// region codes, licences repeated within the file.
fn parse(rows: Rows, errors: &mut Vec<RowError>) -> Vec<Parsed> {
    let mut it = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((head_row, heading)) = it.next() else {
        errors.push(RowError::new(1, "file", "file_empty"));
        return vec![];
    };
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, h) in heading.iter().enumerate() {
        if let Some(c) = column_of(h) {
            at.entry(c).or_insert(i);
        }
    }
    for c in COLUMNS.iter().filter(|c| **c != "address") {
        if !at.contains_key(c) {
            errors.push(RowError::new(head_row, c, "column_missing"));
        }
    }
    if !errors.is_empty() {
        return vec![];
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = vec![];
    for (row, cells) in it {
        if out.len() >= MAX_IMPORT_ROWS {
            errors.push(RowError::new(row, "file", "too_many_rows"));
            break;
        }
        let cell = |c: &str| {
            at.get(c)
                .and_then(|i| cells.get(*i))
                .cloned()
                .unwrap_or_default()
        };
        let p = Parsed {
            row,
            kind: cell("kind"),
            licence_no: cell("licence_no"),
            name: cell("name"),
            address: cell("address"),
            region_code: cell("region_code"),
            unit: cell("unit"),
        };
        match EstablishmentKind::from_cell(&p.kind) {
            _ if p.kind.is_empty() => errors.push(RowError::new(row, "kind", "required")),
            None => errors.push(RowError::new(row, "kind", "unknown_kind")),
            Some(_) => {}
        }
        if p.licence_no.is_empty() {
            errors.push(RowError::new(row, "licence_no", "required"));
        } else if p.licence_no.chars().count() > 64 {
            errors.push(RowError::new(row, "licence_no", "too_long"));
        } else if !seen.insert(p.licence_no.clone()) {
            errors.push(RowError::new(row, "licence_no", "duplicate_in_file"));
        }
        if p.name.is_empty() {
            errors.push(RowError::new(row, "name", "required"));
        } else if p.name.chars().count() > 200 {
            errors.push(RowError::new(row, "name", "too_long"));
        }
        if p.address.chars().count() > 300 {
            errors.push(RowError::new(row, "address", "too_long"));
        }
        if !region_code_ok(&p.region_code) {
            errors.push(RowError::new(row, "region_code", "invalid_region_code"));
        }
        if p.unit.is_empty() {
            errors.push(RowError::new(row, "unit", "required"));
        }
        out.push(p);
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(RowError::new(head_row, "file", "file_empty"));
    }
    out
}

impl App {
    /// Imports a register file: every row, or (with the errors) none.
    pub async fn import_establishments(
        &self,
        who: &Caller,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        if !may_inspect(who.role) {
            return Err(AppError::Forbidden);
        }
        let refused = |errors: Vec<RowError>| ImportReport {
            imported: 0,
            errors,
        };
        let rows = match read_rows(bytes) {
            Ok(r) => r,
            Err(e) => return Ok(refused(vec![e])),
        };
        let mut errors = vec![];
        let parsed = parse(rows, &mut errors);
        // The register's side: licences already there, units and their scope.
        let licences: Vec<String> = parsed
            .iter()
            .filter(|p| !p.licence_no.is_empty())
            .map(|p| p.licence_no.clone())
            .collect();
        let taken: HashSet<String> = self
            .store
            .existing_licences(&licences)
            .await?
            .into_iter()
            .collect();
        let mut units = HashMap::new();
        let scope = who.scope();
        let mut rows = vec![];
        for p in parsed {
            if taken.contains(&p.licence_no) {
                errors.push(RowError::new(p.row, "licence_no", "licence_exists"));
            }
            if p.unit.is_empty() {
                continue;
            }
            if !units.contains_key(&p.unit) {
                let u = match self.store.unit_by_code(&p.unit).await {
                    Ok(u) => Some(u),
                    Err(StoreError::NotFound) => None,
                    Err(e) => return Err(e.into()),
                };
                units.insert(p.unit.clone(), u);
            }
            let unit = match units.get(&p.unit).cloned().flatten() {
                None => {
                    errors.push(RowError::new(p.row, "unit", "unknown_unit"));
                    continue;
                }
                Some(u) if !scope.contains(&u.path) => {
                    errors.push(RowError::new(p.row, "unit", "unit_out_of_scope"));
                    continue;
                }
                Some(u) => u,
            };
            if let Some(kind) = EstablishmentKind::from_cell(&p.kind) {
                rows.push(NewEstablishment {
                    kind,
                    licence_no: p.licence_no,
                    name: p.name,
                    address: p.address,
                    region_code: p.region_code,
                    unit,
                });
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Ok(refused(errors));
        }
        match self.store.import_establishments(&rows, &who.actor()).await {
            Ok(ids) => Ok(ImportReport {
                imported: ids.len(),
                errors: vec![],
            }),
            // Another import took a licence meanwhile: refuse the file, name no row.
            Err(StoreError::Duplicate { .. }) => Ok(refused(vec![RowError::new(
                0,
                "licence_no",
                "licence_exists",
            )])),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Rows {
        read_rows(text.as_bytes()).expect("csv")
    }

    #[test]
    fn a_bad_row_is_named_by_row_and_column() {
        let mut errors = vec![];
        let parsed = parse(
            rows("类型,许可证号,名称,地址,行政区划代码,责任单位\n药店,JY1,甲药店,一路,330106,A\n网吧,JY2,乙,二路,330106,A\n学校食堂,JY1,丙,三路,33,A\n"),
            &mut errors,
        );
        assert_eq!(parsed.len(), 3);
        assert_eq!(
            errors,
            vec![
                RowError::new(3, "kind", "unknown_kind"),
                RowError::new(4, "licence_no", "duplicate_in_file"),
                RowError::new(4, "region_code", "invalid_region_code"),
            ]
        );
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let mut errors = vec![];
        parse(rows("kind,name\nclinic,x\n"), &mut errors);
        assert!(errors.contains(&RowError::new(1, "licence_no", "column_missing")));
    }
}
