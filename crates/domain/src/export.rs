//! Export jobs: what is exported, in which file format, and where a job stands.

use crate::case::string_enum;

string_enum!(
    /// Where an export job stands: `running` until it is `done` with its file, or `failed`
    /// with the reason.
    ExportStatus {
        Running => "running",
        Done => "done",
        Failed => "failed",
    }
);

string_enum!(
    /// The file formats an export can take.
    ExportFormat {
        Xlsx => "xlsx",
        Csv => "csv",
    }
);

impl ExportFormat {
    /// The file's media type, for the download.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

string_enum!(
    /// What an export job exports: the case queue (with its filters).
    ExportSource {
        Queue => "queue",
    }
);
