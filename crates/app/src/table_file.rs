//! Tables as files: CSV (with a byte-order mark, so that spreadsheet programs read the
//! Chinese as UTF-8) or XLSX (bold headings, counts as numbers). Rows are written as they
//! come: the XLSX sheet keeps them on disk, so a long table costs no more memory than a
//! short one.

use crate::exports::ExportFormat;
use crate::{AppError, AppResult};
use std::io::Write;

/// A table's headings, and which columns hold numbers.
pub struct Table<'a> {
    pub headings: &'a [String],
    /// Columns written as numbers in XLSX (when the cell parses as one).
    pub numeric: &'a [usize],
}

/// Writes the table as CSV into `out` and hands it back, flushed.
pub fn write_csv<W: Write>(
    mut out: W,
    table: &Table,
    rows: impl Iterator<Item = Vec<String>>,
) -> AppResult<W> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.headings).map_err(csv_error)?;
    for r in rows {
        w.write_record(&r).map_err(csv_error)?;
    }
    w.flush()?;
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {}", e.error())))
}

/// A workbook with the table on its one sheet, ready to be saved.
pub fn xlsx_book(
    table: &Table,
    rows: impl Iterator<Item = Vec<String>>,
) -> AppResult<rust_xlsxwriter::Workbook> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    for (col, h) in table.headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, h, &bold)
            .map_err(xlsx_error)?;
    }
    for (line, r) in (1u32..).zip(rows) {
        for (col, cell) in r.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if table.numeric.contains(&col) => sheet.write_number(line, col as u16, n),
                _ => sheet.write_string(line, col as u16, cell),
            }
            .map_err(xlsx_error)?;
        }
    }
    Ok(book)
}

/// A small table as the bytes of a file, for a download on the spot.
pub fn table_bytes(
    format: ExportFormat,
    table: &Table,
    rows: impl Iterator<Item = Vec<String>>,
) -> AppResult<Vec<u8>> {
    match format {
        ExportFormat::Csv => write_csv(Vec::new(), table, rows),
        ExportFormat::Xlsx => xlsx_book(table, rows)?.save_to_buffer().map_err(xlsx_error),
    }
}

/// Writes the table to a file at `path`.
pub fn write_file(
    format: ExportFormat,
    path: &std::path::Path,
    table: &Table,
    rows: impl Iterator<Item = Vec<String>>,
) -> AppResult<()> {
    match format {
        ExportFormat::Csv => {
            let out = std::io::BufWriter::new(std::fs::File::create(path)?);
            write_csv(out, table, rows)?;
        }
        ExportFormat::Xlsx => xlsx_book(table, rows)?.save(path).map_err(xlsx_error)?,
    }
    Ok(())
}

fn csv_error(e: csv::Error) -> AppError {
    AppError::Internal(format!("csv: {e}"))
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}
