//! Conversion strategies, one file each: each detects its ecosystem with
//! evidence and plans the multi-stage build.

pub mod common;
mod cpp;
mod dotnet;
mod generic;
mod go;
mod java;
mod jvm_support;
mod nextjs;
mod node_api;
mod node_spa;
mod node_support;
mod php;
mod python;
pub mod root_start;
mod ruby;
mod rust;
mod shell_command;
mod system_files;

use serde::{Deserialize, Serialize};

use super::context::ConvertContext;
use super::plan::Plan;
use super::types::{Ecosystem, Refusal};

/// One fact a strategy relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    /// The line it was seen on.
    pub line: usize,
    /// What was seen.
    pub fact: String,
}

/// How strongly a stage matches a strategy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detection {
    /// Higher is stronger; the strongest strategy wins.
    pub score: u32,
    /// What was seen.
    pub evidence: Vec<Evidence>,
}

impl Detection {
    /// Adds evidence with a weight.
    pub fn add(&mut self, weight: u32, line: usize, fact: impl Into<String>) {
        self.score += weight;
        self.evidence.push(Evidence {
            line,
            fact: fact.into(),
        });
    }
}

/// A way to turn one ecosystem's single-stage build into a multi-stage one.
pub trait Strategy: Sync {
    /// The strategy's name (`python-venv`).
    fn name(&self) -> &'static str;

    /// The ecosystem it handles.
    fn ecosystem(&self) -> Ecosystem;

    /// Whether the stage builds this ecosystem, and the evidence.
    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection>;

    /// The multi-stage plan, or why it cannot be made.
    fn plan(&self, cx: &ConvertContext<'_>, detection: &Detection) -> Result<Plan, Refusal>;
}

/// Every strategy, most specific first (ties go to the earlier one).
pub fn all() -> &'static [&'static dyn Strategy] {
    &[
        &python::Python,
        &ruby::Ruby,
        &php::Php,
        &go::Go,
        &rust::Rust,
        &nextjs::Nextjs,
        &node_spa::NodeSpa,
        &node_api::NodeApi,
        &java::Java,
        &dotnet::Dotnet,
        &cpp::Cpp,
        &generic::Generic,
    ]
}
