//! Output formats of `restage lint`: hadolint's set (`tty`, `json`,
//! `sarif`, `gitlab_codeclimate`, `checkstyle`, `gnu`, `junit`).

mod checkstyle;
mod codeclimate;
mod gnu;
mod json;
mod junit;
mod sarif;
mod tty;
mod xml;

use super::finding::Finding;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// For people: `file:line:col CODE severity: message`, the source line
    /// and a marker; colour on a terminal.
    Tty,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitLab Code Quality (Code Climate JSON array).
    GitlabCodeclimate,
    /// Checkstyle XML.
    Checkstyle,
    /// `restage:file:line: CODE severity: message`, GNU style.
    Gnu,
    /// JUnit XML.
    Junit,
}

impl Format {
    /// Every format, by its name.
    pub const ALL: [(Format, &'static str); 7] = [
        (Self::Tty, "tty"),
        (Self::Json, "json"),
        (Self::Sarif, "sarif"),
        (Self::GitlabCodeclimate, "gitlab_codeclimate"),
        (Self::Checkstyle, "checkstyle"),
        (Self::Gnu, "gnu"),
        (Self::Junit, "junit"),
    ];

    /// The format with this name (hadolint's names).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("tty", |(_, n)| n)
    }
}

/// The findings of one file.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    /// The path shown in the output.
    pub path: &'a str,
    /// The file's text, for formats that quote the source.
    pub source: Option<&'a str>,
    /// Its findings, in order.
    pub findings: &'a [Finding],
}

/// Rendering options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colour (tty only).
    pub color: bool,
    /// Where rule pages live; a rule's page is this plus its code.
    pub rules_url: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            rules_url: "https://restage.dev/rules/".into(),
        }
    }
}

/// Renders the findings of every file.
pub fn render(format: Format, files: &[FileReport<'_>], options: &RenderOptions) -> String {
    match format {
        Format::Tty => tty::render(files, options),
        Format::Json => json::render(files),
        Format::Sarif => sarif::render(files, options),
        Format::GitlabCodeclimate => codeclimate::render(files),
        Format::Checkstyle => checkstyle::render(files),
        Format::Gnu => gnu::render(files),
        Format::Junit => junit::render(files),
    }
}

#[cfg(test)]
mod tests;
