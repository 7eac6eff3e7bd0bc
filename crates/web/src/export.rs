//! Tables as downloads: CSV (UTF-8 with a byte-order mark, so spreadsheet
//! programs read the accents right) and XLSX.

use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use wegwijs_domain::spreadsheet::inert;

/// A table that could not be written as a file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("csv: {0}")]
    Io(#[from] std::io::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

pub fn csv(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(header.iter().map(|c| inert(c).into_owned()))?;
        for r in rows {
            w.write_record(r.iter().map(|c| inert(c).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

pub fn xlsx(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

/// A download: never cached, saved under `filename`.
pub fn attachment(body: Vec<u8>, mime: &str, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A table as a CSV download named `name`.csv.
pub fn csv_attachment(
    header: &[String],
    rows: &[Vec<String>],
    name: &str,
) -> Result<Response, AppError> {
    let body = csv(header, rows).map_err(AppError::internal)?;
    Ok(attachment(
        body,
        "text/csv; charset=utf-8",
        &format!("{name}.csv"),
    ))
}

#[cfg(test)]
mod tests {
    /// Every cell, the header row too, comes back as written, with an
    /// apostrophe before what a spreadsheet would run.
    #[test]
    fn a_typed_formula_stays_text() {
        let risky = ["=1+1", "+31 6", "-1+1", "@x", "\t=1", "\r=1"];
        let header: Vec<String> = risky.iter().map(|s| s.to_string()).collect();
        let rows = vec![
            header.clone(),
            ["-12", "−0,5", "Jansen", "+3", "", "a=b"]
                .map(String::from)
                .to_vec(),
        ];
        let out = super::csv(&header, &rows).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(&out[3..]);
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let quoted: Vec<String> = risky.iter().map(|s| format!("'{s}")).collect();
        assert_eq!(records[0], quoted, "the header row");
        assert_eq!(records[1], quoted);
        assert_eq!(records[2], rows[1], "numbers and names stay");
    }
}
