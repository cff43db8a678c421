//! `/api/v1/images`: the base image catalog the size estimates use, every
//! row with its figures, source and date.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::size::{ImageEntry, Range, Trust};
use crate::web::state::AppState;

/// One catalog row: a tag family of an image with its sizes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogImage {
    /// The normalised name (`python`, `gcr.io/distroless/static`).
    pub name: String,
    /// The tag family, as a user writes it (`3.12-slim`, `22-alpine`,
    /// `debian12`), or the team row's tag glob.
    pub tag: String,
    /// The variant (`slim`, `alpine`; empty for the default image).
    pub variant: String,
    /// Versions the figures were read on (each also matches its more precise
    /// versions; `=1` only the floating tag, `*` globs).
    pub versions: Vec<String>,
    /// Versions that use this row's figures with a wider range.
    pub older: Vec<String>,
    /// Unpacked size in bytes (what `docker images` shows).
    pub disk_bytes: Range,
    /// Compressed size in bytes (what `docker pull` downloads).
    pub pull_bytes: Range,
    /// How far the figures can be trusted (S source, D derived, M measured,
    /// T third party, E estimate).
    pub trust: Trust,
    /// Which exact image the figures were read from.
    pub measured: Option<String>,
    /// Where the figures come from.
    pub source: String,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// Anything a reader should know (for instance why a current image
    /// differs from an older article's figure).
    pub note: String,
}

impl From<&ImageEntry> for CatalogImage {
    fn from(e: &ImageEntry) -> Self {
        let (disk, pull) = e.ranges();
        let tag = match (&e.tag, e.versions.first()) {
            (Some(glob), _) => glob.clone(),
            (None, Some(v)) => {
                let v = v.trim_start_matches('=');
                if e.variant.is_empty() {
                    v.to_string()
                } else {
                    format!("{v}-{}", e.variant)
                }
            }
            (None, None) => e.variant.clone(),
        };
        Self {
            name: e.name.clone(),
            tag,
            variant: e.variant.clone(),
            versions: e.versions.clone(),
            older: e.older.clone(),
            disk_bytes: disk,
            pull_bytes: pull,
            trust: e.effective_trust(),
            measured: e.measured.clone(),
            source: e.source.clone(),
            date: e.date.clone(),
            note: e.note.clone(),
        }
    }
}

/// Every row of the base image catalog.
#[utoipa::path(
    get,
    path = "/api/v1/images", operation_id = "listImages",
    tag = "sizes",
    responses((status = 200, description = "Every catalog row: name, tag family, disk and pull bytes, source and date", body = Vec<CatalogImage>))
)]
pub async fn list(State(state): State<AppState>) -> Json<Vec<CatalogImage>> {
    Json(
        state
            .config()
            .catalog
            .entries()
            .map(CatalogImage::from)
            .collect(),
    )
}
