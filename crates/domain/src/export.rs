//! Export jobs: where a job stands.

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
