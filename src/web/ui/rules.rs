//! `/rules` and `/rules/{code}`: every rule's documentation, from the same
//! metadata as the lint output (SARIF results link here).

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

use super::highlight::{Line, highlight};
use super::inline::parts;
use super::markdown::to_html;
use super::{Layout, UiError, render};
use crate::dockerfile::parse;
use crate::lint::registry;
use crate::lint::rule::{Origin, RuleMeta};

/// A row of the rules index.
pub struct RuleRow {
    code: &'static str,
    title: &'static str,
    severity: &'static str,
    category: String,
    enabled: bool,
}

/// A group of rules by where they come from.
pub struct RuleGroup {
    heading: &'static str,
    anchor: &'static str,
    rules: Vec<RuleRow>,
}

/// The rules index.
#[derive(Template)]
#[template(path = "rules.html")]
pub struct RulesPage {
    layout: Layout,
    groups: Vec<RuleGroup>,
    total: usize,
}

/// One rule's page.
#[derive(Template)]
#[template(path = "rule.html")]
pub struct RulePage {
    layout: Layout,
    code: &'static str,
    name: &'static str,
    title: &'static str,
    aliases: Vec<&'static str>,
    severity: &'static str,
    category: String,
    origin: &'static str,
    enabled: bool,
    doc_html: String,
    bad: Vec<Line>,
    good: Vec<Line>,
}

fn kebab<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn origin_label(origin: Origin) -> (&'static str, &'static str) {
    match origin {
        Origin::Hadolint => ("hadolint rules", "hadolint"),
        Origin::Buildkit => ("BuildKit build checks", "buildkit"),
        Origin::Restage => ("restage's size and structure rules", "restage"),
    }
}

fn example(text: &str) -> Vec<Line> {
    highlight(text, parse(text).ok().as_ref(), &[])
}

/// `GET /rules`.
pub async fn index() -> Response {
    let catalogue = registry::catalogue();
    let mut groups: Vec<RuleGroup> = Vec::new();
    for origin in [Origin::Restage, Origin::Hadolint, Origin::Buildkit] {
        let (heading, anchor) = origin_label(origin);
        let rules: Vec<RuleRow> = catalogue
            .iter()
            .filter(|m| m.origin == origin)
            .map(|m| RuleRow {
                code: m.code,
                title: m.title,
                severity: m.severity.as_str(),
                category: kebab(&m.category),
                enabled: m.enabled_by_default,
            })
            .collect();
        groups.push(RuleGroup {
            heading,
            anchor,
            rules,
        });
    }
    let page = RulesPage {
        layout: Layout::new("Rules", "rules"),
        total: catalogue.len(),
        groups,
    };
    render(StatusCode::OK, &page)
}

/// A rule title without its Markdown, for the page's `<title>`: the
/// backticks of code spans go, their text stays.
fn plain_title(title: &str) -> String {
    parts(title).into_iter().map(|(_, text)| text).collect()
}

fn rule_page(m: &'static RuleMeta) -> RulePage {
    RulePage {
        layout: Layout::new(format!("{} {}", m.code, plain_title(m.title)), "rules"),
        code: m.code,
        name: m.name,
        title: m.title,
        aliases: m.aliases.to_vec(),
        severity: m.severity.as_str(),
        category: kebab(&m.category),
        origin: origin_label(m.origin).0,
        enabled: m.enabled_by_default,
        doc_html: to_html(m.doc),
        bad: example(m.bad),
        good: example(m.good),
    }
}

/// `GET /rules/{code}`: by code, name or alias.
pub async fn page(Path(code): Path<String>) -> Result<Response, UiError> {
    let rule = registry::find(&code)
        .ok_or_else(|| UiError::NotFound(format!("There is no rule {code}.")))?;
    Ok(render(StatusCode::OK, &rule_page(rule.meta())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_page_renders_with_its_examples() {
        for meta in registry::catalogue() {
            let html = rule_page(meta).render().expect("renders");
            assert!(html.contains(meta.code), "{}", meta.code);
            assert!(html.contains("id=\"bad\""), "{}", meta.code);
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_default();
            assert!(
                title.starts_with(meta.code) && !title.contains('`'),
                "{}: {title}",
                meta.code
            );
        }
    }

    #[test]
    fn titles_lose_their_backticks() {
        assert_eq!(
            plain_title("Use `COPY` instead of `ADD` for files"),
            "Use COPY instead of ADD for files"
        );
        assert_eq!(plain_title("a `b"), "a `b");
    }
}
