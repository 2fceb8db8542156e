//! A hearing's background files: PDFs, size-limited, served as attachments under a safe
//! name.
use crate::domain::ids::HearingFileId;
use serde::{Deserialize, Serialize};

/// One file as a page lists it (the bytes are fetched from `/filer/{id}/{name}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingFile {
    pub id: HearingFileId,
    /// The safe name it is served under (ends in `.pdf`).
    pub name: String,
    /// Size in bytes.
    pub size: i64,
}
