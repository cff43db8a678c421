//! `/api/v1/rules`: every rule's documentation, from the same metadata as
//! the lint output.

use axum::Json;
use axum::extract::Path;
use serde::Serialize;

use crate::lint::registry;
use crate::lint::rule::{Category, Origin, RuleMeta, Severity};
use crate::web::problem::{ApiError, Problem};

/// A rule's documentation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleDoc {
    /// Its code (`DL3008`, `BK011`, `RS001`).
    pub code: String,
    /// Other names it answers to (BuildKit check names, old codes).
    pub aliases: Vec<String>,
    /// Its kebab-case name.
    pub name: String,
    /// One line.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// What it is about.
    pub category: Category,
    /// Which rule set it comes from.
    pub origin: Origin,
    /// Whether it runs unless configured.
    pub enabled_by_default: bool,
    /// Why it matters (Markdown).
    pub doc: String,
    /// A Dockerfile it reports.
    pub bad: String,
    /// The same Dockerfile, fixed.
    pub good: String,
}

impl From<&RuleMeta> for RuleDoc {
    fn from(m: &RuleMeta) -> Self {
        Self {
            code: m.code.into(),
            aliases: m.aliases.iter().map(|a| (*a).to_string()).collect(),
            name: m.name.into(),
            title: m.title.into(),
            severity: m.severity,
            category: m.category,
            origin: m.origin,
            enabled_by_default: m.enabled_by_default,
            doc: m.doc.into(),
            bad: m.bad.into(),
            good: m.good.into(),
        }
    }
}

/// Every rule.
#[utoipa::path(
    get,
    path = "/api/v1/rules", operation_id = "listRules",
    tag = "rules",
    responses((status = 200, description = "Every rule, by code", body = Vec<RuleDoc>))
)]
pub async fn list() -> Json<Vec<RuleDoc>> {
    Json(
        registry::catalogue()
            .into_iter()
            .map(RuleDoc::from)
            .collect(),
    )
}

/// One rule, by code, name or alias.
#[utoipa::path(
    get,
    path = "/api/v1/rules/{code}", operation_id = "getRule",
    tag = "rules",
    params(("code" = String, Path, description = "A code (`DL3008`), name or alias")),
    responses(
        (status = 200, description = "The rule", body = RuleDoc),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(Path(code): Path<String>) -> Result<Json<RuleDoc>, ApiError> {
    registry::find(&code)
        .map(|r| Json(RuleDoc::from(r.meta())))
        .ok_or_else(|| ApiError::NotFound(format!("there is no rule `{code}`")))
}
