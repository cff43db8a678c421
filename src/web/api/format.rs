//! Which representation a client asked for: `?format=` first, then the
//! `Accept` header with its q-values (RFC 9110 §12.5.1), the route's first
//! representation (JSON) when it sends none.

use axum::http::{HeaderMap, header};

use crate::web::problem::ApiError;

/// A representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `application/json`.
    Json,
    /// `application/sarif+json`.
    Sarif,
    /// `text/plain` for people.
    Text,
    /// The converted Dockerfile as `text/plain`.
    Dockerfile,
}

/// The representation for a request; `allowed` lists what the route has,
/// the one to give when the client does not say first. An `Accept` that
/// allows none of them is a 406.
pub fn negotiate(
    headers: &HeaderMap,
    format: Option<&str>,
    allowed: &[Output],
) -> Result<Output, ApiError> {
    // `?format=` (a form's or a script's unset field) asks for nothing.
    let wanted = match format.filter(|f| !f.is_empty()) {
        Some(f) => match f {
            "json" => Output::Json,
            "sarif" => Output::Sarif,
            "text" => Output::Text,
            "dockerfile" => Output::Dockerfile,
            other => {
                return Err(ApiError::BadQuery(format!(
                    "format `{other}` is not one of {}",
                    names(allowed)
                )));
            }
        },
        None => match headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().is_empty())
        {
            None => allowed.first().copied().unwrap_or(Output::Json),
            Some(accept) => best(accept, allowed).ok_or_else(|| {
                ApiError::NotAcceptable(format!(
                    "`Accept: {}` allows none of {}",
                    accept.chars().take(200).collect::<String>(),
                    media_types(allowed)
                ))
            })?,
        },
    };
    if allowed.contains(&wanted) {
        Ok(wanted)
    } else {
        Err(ApiError::BadQuery(format!(
            "this resource is available as {}",
            names(allowed)
        )))
    }
}

fn names(allowed: &[Output]) -> String {
    allowed
        .iter()
        .map(|o| match o {
            Output::Json => "`json`",
            Output::Sarif => "`sarif`",
            Output::Text => "`text`",
            Output::Dockerfile => "`dockerfile`",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Output {
    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Sarif => "application/sarif+json",
            Self::Text | Self::Dockerfile => "text/plain",
        }
    }
}

fn media_types(allowed: &[Output]) -> String {
    let mut types: Vec<&str> = allowed.iter().map(|o| o.media_type()).collect();
    types.dedup();
    types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How well `range` (`type/subtype`, `type/*` or `*/*`) matches
/// `media_type`: 3 exactly, 2 by type, 1 by `*/*`, `None` not at all.
fn specificity(range: &str, media_type: &str) -> Option<u8> {
    let (kind, subtype) = range.split_once('/')?;
    let (want_kind, want_subtype) = media_type.split_once('/')?;
    match (kind.trim(), subtype.trim()) {
        ("*", "*") => Some(1),
        (k, "*") if k.eq_ignore_ascii_case(want_kind) => Some(2),
        (k, s) if k.eq_ignore_ascii_case(want_kind) && s.eq_ignore_ascii_case(want_subtype) => {
            Some(3)
        }
        _ => None,
    }
}

/// The weight `accept` gives `media_type`: the `q` of its most specific
/// matching range (1 when a range has none; a malformed `q` counts as 0),
/// 0 when no range matches.
fn weight(accept: &str, media_type: &str) -> f32 {
    let mut best: Option<(u8, f32)> = None;
    for item in accept.split(',') {
        let mut params = item.split(';');
        let range = params.next().unwrap_or_default();
        let Some(rank) = specificity(range, media_type) else {
            continue;
        };
        let q = params
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, v)| {
                v.trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|q| (0.0..=1.0).contains(q))
                    .unwrap_or(0.0)
            });
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// The representation of `allowed` that `accept` weighs highest (the
/// earlier on a tie), `None` when it weighs them all 0.
fn best(accept: &str, allowed: &[Output]) -> Option<Output> {
    let mut chosen: Option<(Output, f32)> = None;
    for &output in allowed {
        let q = weight(accept, output.media_type());
        if q > 0.0 && chosen.is_none_or(|(_, best)| q > best) {
            chosen = Some((output, q));
        }
    }
    chosen.map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &[Output] = &[Output::Json, Output::Sarif, Output::Text];
    const CONVERSION: &[Output] = &[Output::Json, Output::Dockerfile];

    fn with_accept(accept: Option<&str>, allowed: &[Output]) -> Result<Output, u16> {
        let mut headers = HeaderMap::new();
        if let Some(a) = accept {
            headers.insert(header::ACCEPT, a.parse().expect("header"));
        }
        negotiate(&headers, None, allowed).map_err(|e| {
            axum::response::IntoResponse::into_response(e)
                .status()
                .as_u16()
        })
    }

    #[test]
    fn accept_with_q_values() {
        use Output::*;
        type Case<'a> = (Option<&'a str>, &'a [Output], Result<Output, u16>);
        let cases: &[Case<'_>] = &[
            (None, REPORT, Ok(Json)),
            (Some(""), REPORT, Ok(Json)),
            (Some("*/*"), REPORT, Ok(Json)),
            (Some("application/sarif+json"), REPORT, Ok(Sarif)),
            (Some("text/plain"), REPORT, Ok(Text)),
            (Some("TEXT/PLAIN"), REPORT, Ok(Text)),
            (Some("text/*"), REPORT, Ok(Text)),
            (Some("application/*"), REPORT, Ok(Json)),
            (Some("text/plain, application/json;q=0.5"), REPORT, Ok(Text)),
            (
                Some("application/json;q=0.2, text/plain;q=0.9"),
                REPORT,
                Ok(Text),
            ),
            (
                Some("application/json; q=0.2, */*; q=0.1"),
                REPORT,
                Ok(Json),
            ),
            // A more specific range decides, even with a lower q.
            (
                Some("application/*;q=0.9, application/json;q=0.1"),
                REPORT,
                Ok(Sarif),
            ),
            (Some("*/*;q=0.5, application/json;q=0"), REPORT, Ok(Sarif)),
            // A browser.
            (
                Some("text/html,application/xhtml+xml,*/*;q=0.8"),
                REPORT,
                Ok(Json),
            ),
            (Some("text/plain"), CONVERSION, Ok(Dockerfile)),
            (Some("application/json"), CONVERSION, Ok(Json)),
            // Nothing acceptable.
            (Some("image/png"), REPORT, Err(406)),
            (Some("application/json;q=0"), CONVERSION, Err(406)),
            (Some("application/sarif+json"), CONVERSION, Err(406)),
            (Some("application/json;q=nope"), &[Json], Err(406)),
            (Some("text/html"), REPORT, Err(406)),
        ];
        for (accept, allowed, want) in cases {
            assert_eq!(&with_accept(*accept, allowed), want, "{accept:?}");
        }
    }

    #[test]
    fn format_comes_before_accept() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, "image/png".parse().expect("header"));
        assert_eq!(
            negotiate(&headers, Some("sarif"), REPORT).ok(),
            Some(Output::Sarif)
        );
        assert!(negotiate(&headers, Some("dockerfile"), REPORT).is_err());
    }
}
