//! Every page of the HTML UI through the whole router (in-process) against
//! a real SQLite file: what it shows, its status, its errors, and that
//! pasted text is escaped.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use restage::store::Store;
use restage::web::{AppState, ServeConfig, router};
use tower::ServiceExt;

const PYTHON: &str = "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("restage-ui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("restage.db").to_string_lossy().into_owned()
}

async fn app_with(name: &str, config: ServeConfig) -> Router {
    let store = Store::open(&temp_db(name)).await.expect("store opens");
    let metrics = restage::web::metrics::handle().unwrap_or_else(|| {
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle()
    });
    router(AppState::new(store, config, metrics))
}

async fn app(name: &str) -> Router {
    app_with(name, ServeConfig::default()).await
}

struct Page {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    set_cookie: Option<String>,
    html: String,
}

async fn send(app: &Router, request: Request<Body>) -> Page {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let status = response.status();
    let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
    let location = header_text(header::LOCATION);
    let set_cookie = header_text(header::SET_COOKIE);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Page {
        status,
        content_type,
        location,
        set_cookie,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .expect("request")
}

/// A `GET` from a script: it asks for JSON.
fn get_json(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .expect("request")
}

fn get_with_cookie(uri: &str, cookie: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

fn form(uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .expect("request")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A multipart body: (field, file name, content).
fn multipart(uri: &str, parts: &[(&str, Option<&str>, &str)]) -> Request<Body> {
    let boundary = "restage-test-boundary";
    let mut body = String::new();
    for (name, file, content) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(file) = file {
            body.push_str(&format!(
                "; filename=\"{file}\"\r\nContent-Type: application/octet-stream"
            ));
        }
        body.push_str(&format!("\r\n\r\n{content}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

/// Submits the paste form and follows the redirect to the report page.
async fn submit(app: &Router, fields: &[(&str, &str)]) -> (String, Page) {
    let answer = send(app, form("/reports", fields)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let location = answer.location.expect("Location");
    assert!(location.starts_with("/r/"), "{location}");
    let page = send(app, get(&location)).await;
    assert_eq!(page.status, StatusCode::OK);
    (location, page)
}

fn assert_no_inline_code(html: &str) {
    assert!(!html.contains("<script>"), "inline script");
    assert!(!html.contains(" style="), "inline style");
    assert!(!html.contains(" onclick="), "inline handler");
}

#[tokio::test]
async fn the_home_page_has_a_labelled_form() {
    let app = app("home").await;
    let page = send(&app, get("/")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    for needle in [
        "<label for=\"dockerfile\">",
        "enctype=\"multipart/form-data\"",
        "<label for=\"runtime\">",
        "<label for=\"user\">",
        "<label for=\"cache_mounts\">",
        "name=\"manifest:requirements.txt\"",
        "name=\"manifest_files\" multiple",
        "<option value=\"distroless\"",
    ] {
        assert!(page.html.contains(needle), "missing {needle}");
    }
    assert_no_inline_code(&page.html);
}

#[tokio::test]
async fn a_submitted_form_becomes_a_report_page() {
    let app = app("submit").await;
    let (location, page) = submit(
        &app,
        &[
            ("dockerfile", PYTHON),
            ("name", "orders"),
            ("runtime", "slim"),
            ("cache_mounts", "on"),
        ],
    )
    .await;
    let html = &page.html;
    assert!(html.contains("<h1>orders</h1>"));
    assert!(html.contains("class=\"diff\""), "the diff");
    assert!(html.contains("id=\"sizes\""), "the size tables");
    assert!(html.contains("id=\"size-before\"") && html.contains("id=\"size-after\""));
    assert!(
        html.contains("<span class=\"saving\">"),
        "the saving in the summary band"
    );
    assert!(
        html.contains("FROM python:3.12-slim AS runtime"),
        "the conversion"
    );
    assert!(
        html.contains("href=\"/rules/DL3008\""),
        "findings link to rules"
    );
    assert!(html.contains("href=\"#L2\""), "findings link to lines");
    assert!(
        html.contains("id=\"L2\" class=\"flagged\""),
        "the flagged line"
    );
    assert!(
        html.contains("--mount=type=cache"),
        "the cache-mounts option was used"
    );
    assert!(html.contains(&format!("value=\"{location}\"")) || html.contains(&location));
    assert_no_inline_code(html);
    let download = send(&app, get(&format!("{location}/Dockerfile"))).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.html.contains("AS runtime"));
}

/// Stores a report through the API from a JSON request body; the report.
async fn store_json(app: &Router, body: &serde_json::Value) -> serde_json::Value {
    let created = send(
        app,
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/reports")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.html);
    serde_json::from_str(&created.html).expect("JSON")
}

/// Stores a report through the API; its id.
async fn store_report(app: &Router, name: &str, dockerfile: &str) -> String {
    let body = serde_json::json!({"name": name, "dockerfile": dockerfile});
    let json = store_json(app, &body).await;
    json["id"].as_str().expect("id").to_string()
}

/// A report's page, its text report and its JSON.
async fn three_views(app: &Router, id: &str) -> (String, String, serde_json::Value) {
    let page = send(app, get(&format!("/r/{id}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = send(app, get(&format!("/api/v1/reports/{id}?format=text"))).await;
    assert_eq!(text.status, StatusCode::OK);
    let json = send(app, get_json(&format!("/api/v1/reports/{id}"))).await;
    let json = serde_json::from_str(&json.html).expect("JSON");
    (page.html, text.html, json)
}

/// What a page reads as: its text without tags, entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
}

/// Every `≥ …)` or `at least …)` figure of a text report.
fn bounded_figures(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["≥ ", "at least "] {
        for (at, _) in text.match_indices(marker) {
            let rest = text.get(at..).unwrap_or_default();
            let end = rest.find([')', ',', '\n']).map_or(rest.len(), |e| e + 1);
            let figure = rest
                .get(..end)
                .unwrap_or_default()
                .trim_end_matches([',', '\n']);
            out.push(figure.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A stage built on one whose base is unknown: lower bounds (`≥` on the
/// base row, `at least` on the totals); already minimal, so not changed.
const BOUNDED: &str = "FROM mycorp/base:1 AS builder\nRUN pip install flask==3.0.0\nFROM builder\nCOPY app.py /app/app.py\nRUN echo \"say \\\"hi\\\" now\"\nCMD [\"python\", \"/app/app.py\"]\n";

#[tokio::test]
async fn the_report_page_words_figures_bounds_and_fixes_as_the_text_report() {
    let app = app("bounds").await;
    let id = store_report(&app, "bounds", BOUNDED).await;
    let (html, text, json) = three_views(&app, &id).await;
    let seen = visible_text(&html);
    // Lower bounds: the same figure, bound and range as the text report.
    let figures = bounded_figures(&text);
    assert!(
        figures.iter().any(|f| f.starts_with("≥ "))
            && figures.iter().any(|f| f.starts_with("at least ")),
        "{text}"
    );
    for figure in &figures {
        assert!(seen.contains(figure.as_str()), "the page lacks `{figure}`");
    }
    // Every finding shows its fix, code spans as code.
    let findings = json["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    assert_eq!(html.matches("<div class=\"fix\">").count(), findings.len());
    for f in findings {
        let fix = f["fix"]["title"].as_str().expect("a fix");
        assert!(
            seen.contains(&fix.replace('`', "")),
            "the page lacks the fix `{fix}`"
        );
    }
    assert!(
        html.contains("<code>--no-cache-dir</code>"),
        "fix code spans"
    );
    // No Markdown leaks: code spans (notes, basis, messages) are <code>.
    assert!(!html.contains('`'), "a raw backtick on the page");
    assert!(html.contains("built on stage <code>builder</code>"));
    // The basis carries the text report's trust letter, explained.
    assert!(text.contains("stage builder [D]"), "{text}");
    assert!(html.contains("[<abbr title=\"D: derived from source data\">D</abbr>]"));
    assert!(html.contains("<abbr>E</abbr> an estimate"), "the legend");
    // Already minimal: said once, as a success, not as a failure.
    assert_eq!(
        seen.matches(
            "The final stage builds nothing and holds nothing a build stage would keep back"
        )
        .count(),
        1
    );
    assert!(seen.contains("Already lean"));
    assert!(!seen.contains("Not converted"));
    assert!(!html.contains("class=\"alert"), "no alert for a lean file");
    // The highlighter keeps an escaped quote inside its string.
    assert!(
        html.contains("<span class=\"t-str\">&#34;say \\&#34;hi\\&#34; now&#34;</span>"),
        "escaped quotes"
    );
    assert_no_inline_code(&html);
}

/// A megabyte figure (before ` MB` or a range's `–`) with four digits or
/// more in a row: its thousands not grouped.
fn ungrouped_megabytes(text: &str) -> Option<String> {
    let mut ends: Vec<usize> = text.match_indices(" MB").map(|(i, _)| i).collect();
    ends.extend(text.match_indices('–').map(|(i, _)| i));
    ends.into_iter().find_map(|end| {
        let head = text.get(..end)?;
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let number = head.get(start..)?;
        let whole = number.split('.').next().unwrap_or_default();
        whole
            .split(',')
            .any(|group| group.len() > 3)
            .then(|| number.to_string())
    })
}

#[test]
fn ungrouped_megabytes_are_found() {
    assert_eq!(ungrouped_megabytes("a 1110 MB"), Some("1110".into()));
    assert_eq!(ungrouped_megabytes("(94–12345 MB)"), Some("12345".into()));
    assert_eq!(ungrouped_megabytes("(1077–2,087 MB)"), Some("1077".into()));
    assert_eq!(
        ungrouped_megabytes("1,110 MB (1,066–1,154 MB), uid 10001, 4.2 MB"),
        None
    );
}

#[tokio::test]
async fn the_report_page_formats_sizes_and_the_saving_as_the_text_report() {
    let app = app("units").await;
    let id = store_report(&app, "units", PYTHON).await;
    let (html, text, _) = three_views(&app, &id).await;
    let seen = visible_text(&html);
    // The saving reads as the text report's headline words it.
    let saving = text
        .lines()
        .find(|l| l.starts_with("size: "))
        .and_then(|l| l.split(" (").nth(1))
        .and_then(|s| s.split(')').next())
        .expect("a saving in the headline");
    assert!(saving.ends_with("% smaller"), "{saving}");
    assert!(
        html.contains(&format!("<span class=\"saving\">{saving}</span>")),
        "the band says {saving}"
    );
    // One rounding rule, thousands grouped: 1,110 MB, never 1110 MB.
    assert!(seen.contains("1,110 MB"), "python:3.12's base row");
    assert_eq!(ungrouped_megabytes(&seen), None);
    assert_eq!(ungrouped_megabytes(&text), None);
    // The totals are the text report's.
    for line in text.lines().filter(|l| l.starts_with("Image total: ")) {
        let figures = line.trim_start_matches("Image total: disk ");
        let (disk, pull) = figures.split_once(", pull ").expect("disk and pull");
        assert!(seen.contains(disk) && seen.contains(pull), "{line}");
    }
}

#[tokio::test]
async fn a_long_report_lists_the_first_findings_of_each_rule() {
    let app = app("long").await;
    let mut dockerfile = String::from("FROM debian:12\n");
    for i in 0..80 {
        dockerfile.push_str(&format!("RUN apt-get install -y pkg{i}\n"));
    }
    dockerfile.push_str("CMD [\"bash\"]\n");
    let id = store_report(&app, "long", &dockerfile).await;
    let (html, _, json) = three_views(&app, &id).await;
    let findings = json["findings"].as_array().expect("findings");
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(count("DL3008"), 80);
    let mut codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let listed: usize = codes.iter().map(|c| count(c).min(25)).sum();
    assert_eq!(html.matches("<li class=\"finding\">").count(), listed);
    assert!(html.contains("class=\"more-findings\""));
    assert!(
        visible_text(&html).contains("DL3008: 55 more (80 in all)"),
        "the rest is counted"
    );
    assert!(html.contains(&format!("href=\"/api/v1/reports/{id}?format=text\"")));
    assert!(
        visible_text(&html).contains("31 more layers of this stage"),
        "81 layers, 50 listed"
    );
    // The band still counts every finding.
    assert!(html.contains(&format!("<span class=\"value\">{}</span>", findings.len())));

    // A small report is listed whole.
    let small = store_report(&app, "small", PYTHON).await;
    let (html, _, json) = three_views(&app, &small).await;
    let all = json["findings"].as_array().map_or(0, Vec::len);
    assert_eq!(html.matches("<li class=\"finding\">").count(), all);
    assert!(!html.contains("more-findings") && !html.contains("class=\"more\""));
}

#[tokio::test]
async fn rule_titles_are_plain_in_the_title_and_code_on_the_page() {
    let app = app("rule-titles").await;
    let rule = send(&app, get("/rules/DL3033")).await;
    assert_eq!(rule.status, StatusCode::OK);
    let title = rule
        .html
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .expect("a title");
    assert!(
        title.starts_with("DL3033 ") && !title.contains('`'),
        "{title}"
    );
    assert!(
        rule.html
            .contains("<h1><code>DL3033</code> Specify version with <code>yum install")
    );
    let index = send(&app, get("/rules")).await;
    assert!(
        !index.html.contains('`'),
        "titles in the index show code as code"
    );
}

#[tokio::test]
async fn uploads_and_manifests_are_read_from_multipart() {
    let app = app("multipart").await;
    let answer = send(
        &app,
        multipart(
            "/reports",
            &[
                ("dockerfile", None, ""),
                ("dockerfile_file", Some("api.Dockerfile"), PYTHON),
                (
                    "manifest_files",
                    Some("requirements.txt"),
                    "flask\npsycopg2\n",
                ),
                ("runtime", None, "auto"),
            ],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let page = send(&app, get(&answer.location.expect("Location"))).await;
    assert!(
        page.html.contains("<h1>api.Dockerfile</h1>"),
        "the file names the report"
    );
    let bad = send(
        &app,
        multipart(
            "/reports",
            &[
                ("dockerfile", None, PYTHON),
                ("manifest_files", Some("notes.md"), "x"),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.html.contains("notes.md"), "{}", bad.html);

    // A manifest that does not read is stored with the report, and its page
    // says so (as the JSON and text do), once.
    let unread = send(
        &app,
        multipart(
            "/reports",
            &[
                ("dockerfile", None, "FROM node:20\nCOPY package.json .\nRUN npm install\nCMD [\"node\", \"i.js\"]\n"),
                ("manifest_files", Some("package.json"), "{not json"),
            ],
        ),
    )
    .await;
    assert_eq!(unread.status, StatusCode::SEE_OTHER, "{}", unread.html);
    let page = send(&app, get(&unread.location.expect("Location"))).await;
    assert_eq!(
        page.html.matches("Manifest not read: package.json").count(),
        1,
        "{}",
        page.html
    );

    // A name is one line of at most 200 characters.
    let long = "n".repeat(201);
    let named = send(
        &app,
        form("/reports", &[("dockerfile", PYTHON), ("name", &long)]),
    )
    .await;
    assert_eq!(named.status, StatusCode::BAD_REQUEST);
    assert!(named.html.contains("at most 200"), "{}", named.html);
}

#[tokio::test]
async fn bad_input_shows_the_form_again_with_what_and_where() {
    let app = app("errors").await;
    let empty = send(&app, form("/reports", &[("dockerfile", "  \n")])).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.html.contains("role=\"alert\""));
    assert!(empty.html.contains("Paste a Dockerfile"));
    let broken = "FROM alpine\nRUN <<EOF\necho unterminated </textarea><b>x</b>\n";
    let page = send(
        &app,
        form("/reports", &[("dockerfile", broken), ("name", "keep me")]),
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(
        page.html.contains("Line 2, column 5:"),
        "says where: {}",
        page.html
    );
    assert!(
        page.html
            .contains("echo unterminated &#60;/textarea&#62;&#60;b&#62;x&#60;/b&#62;"),
        "the paste comes back, escaped"
    );
    assert!(page.html.contains("value=\"keep me\""));
    let runtime = send(
        &app,
        form(
            "/reports",
            &[("dockerfile", PYTHON), ("runtime", "windows")],
        ),
    )
    .await;
    assert_eq!(runtime.status, StatusCode::BAD_REQUEST);
    assert!(runtime.html.contains("unknown runtime"));
    let user = send(
        &app,
        form("/reports", &[("dockerfile", PYTHON), ("user", "app user")]),
    )
    .await;
    assert_eq!(user.status, StatusCode::BAD_REQUEST, "{}", user.html);
    assert!(user.html.contains("is not a user"), "{}", user.html);
    assert!(
        user.html.contains("value=\"app user\""),
        "the field comes back"
    );
}

#[tokio::test]
async fn unknown_reports_and_pages_are_html_404s() {
    let app = app("notfound").await;
    for uri in [
        "/r/00000000000000000000000000000000",
        "/r/not-an-id",
        "/r/00000000000000000000000000000000/Dockerfile",
        "/rules/NOPE1234",
        "/static/nope.css",
        "/static/..%2FCargo.toml",
        "/nothing/here",
    ] {
        let page = send(&app, get(uri)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.content_type.starts_with("text/html"), "{uri}");
        assert!(page.html.contains("Not found"), "{uri}");
    }
    // The API keeps answering problem+json.
    let api = send(&app, get("/api/v1/nothing")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.content_type, "application/problem+json");
}

#[tokio::test]
async fn pasted_text_is_escaped_everywhere() {
    let app = app("escape").await;
    let name = "\"><script>alert(1)</script>";
    let dockerfile = "FROM alpine:3.20\nLABEL a=\"<img src=x onerror=alert(2)>\"\nCMD [\"sh\"]\n";
    let (_, page) = submit(&app, &[("dockerfile", dockerfile), ("name", name)]).await;
    assert!(!page.html.contains("<script>alert"), "name");
    assert!(!page.html.contains("<img src=x"), "Dockerfile");
    assert!(
        page.html
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    assert!(page.html.contains("&#60;img src=x onerror=alert(2)&#62;"));
    let history = send(&app, get("/history?q=%3Cscript%3E")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(!history.html.contains("<script>alert"));
    assert!(
        history.html.contains("value=\"&#60;script&#62;\""),
        "the search box echoes escaped"
    );
}

#[tokio::test]
async fn history_paginates_filters_and_rejects_bad_cursors() {
    let app = app("history").await;
    let empty = send(&app, get("/history")).await;
    assert!(empty.html.contains("No reports yet"));
    for i in 0..22 {
        let answer = send(
            &app,
            form(
                "/reports",
                &[("dockerfile", PYTHON), ("name", &format!("py-{i:02}"))],
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }
    let go = "FROM golang:1.22\nCOPY . .\nRUN go build -o /a .\nCMD [\"/a\"]\n";
    send(
        &app,
        form("/reports", &[("dockerfile", go), ("name", "edge")]),
    )
    .await;
    let first = send(&app, get("/history")).await;
    assert_eq!(
        first.html.matches("<tr>").count() - 1,
        20,
        "20 rows and a header"
    );
    let next = first
        .html
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a next link")
        .replace("&amp;", "&");
    let second = send(&app, get(&next)).await;
    assert_eq!(second.html.matches("<tr>").count() - 1, 3);
    assert!(!second.html.contains("rel=\"next\""));
    assert!(second.html.contains(">Newest</a>"));
    let go_only = send(&app, get("/history?ecosystem=go")).await;
    assert!(go_only.html.contains(">edge</a>") && !go_only.html.contains("py-0"));
    let by_rule = send(&app, get("/history?q=DL3008")).await;
    assert!(by_rule.html.contains(">py-21</a>") && !by_rule.html.contains(">edge</a>"));
    let bad = send(&app, get("/history?cursor=abc")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn rules_api_and_static_pages() {
    let app = app("static").await;
    let rules = send(&app, get("/rules")).await;
    assert_eq!(rules.status, StatusCode::OK);
    for code in ["DL3008", "BK001", "RS001"] {
        assert!(
            rules.html.contains(&format!("href=\"/rules/{code}\"")),
            "{code}"
        );
    }
    let rule = send(&app, get("/rules/DL3008")).await;
    assert!(rule.html.contains("<code>DL3008</code>"));
    assert!(rule.html.contains("id=\"bad\"") && rule.html.contains("id=\"good\""));
    let alias = send(&app, get("/rules/JSONArgsRecommended")).await;
    assert_eq!(alias.status, StatusCode::OK, "a rule by its BuildKit name");
    let api = send(&app, get("/api")).await;
    assert!(api.html.contains("curl -s --data-binary @Dockerfile"));
    assert!(api.html.contains("/api/openapi.json"));
    for (path, kind) in [
        ("/static/restage.css", "text/css"),
        ("/static/restage.js", "text/javascript"),
        ("/static/favicon.svg", "image/svg+xml"),
    ] {
        let asset = send(&app, get(path)).await;
        assert_eq!(asset.status, StatusCode::OK, "{path}");
        assert!(asset.content_type.starts_with(kind), "{path}");
    }
}

#[tokio::test]
async fn run_again_makes_a_new_report_with_the_new_options() {
    let app = app("rerun").await;
    let (location, _) = submit(&app, &[("dockerfile", PYTHON), ("name", "again")]).await;
    let answer = send(
        &app,
        form(
            &format!("{location}/rerun"),
            &[("runtime", "alpine"), ("user", "worker")],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let new = answer.location.expect("Location");
    assert_ne!(new, location);
    let page = send(&app, get(&new)).await;
    assert!(page.html.contains("<option value=\"alpine\" selected>"));
    assert!(page.html.contains("value=\"worker\""));
    assert!(page.html.contains("<h1>again</h1>"));
    let missing = send(
        &app,
        form(
            "/r/00000000000000000000000000000000/rerun",
            &[("runtime", "auto")],
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// "Run again" changes only the options on its form: the manifests and
/// the rules switched off when the report was made still apply.
#[tokio::test]
async fn run_again_keeps_the_manifests_and_the_rules_switched_off() {
    let app = app("rerun-inputs").await;
    let body = serde_json::json!({
        "name": "svc",
        "dockerfile": PYTHON,
        "manifests": {"requirements.txt": "torch==2.3.0\nnumpy==1.26.4\n"},
        "options": {"ignore": ["DL3008"]},
    });
    let first = store_json(&app, &body).await;
    let id = first["id"].as_str().expect("id");
    let again = send(
        &app,
        form(&format!("/r/{id}/rerun"), &[("runtime", "slim")]),
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.html);
    let new_id = again
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/r/"))
        .expect("a report page")
        .to_string();
    let second = send(&app, get_json(&format!("/api/v1/reports/{new_id}"))).await;
    let second: serde_json::Value = serde_json::from_str(&second.html).expect("JSON");
    for report in [&first, &second] {
        assert_eq!(
            report["size"]["before"]["manifests_used"],
            serde_json::json!(["requirements.txt"]),
            "{report}"
        );
        let codes = report["summary"]["rule_codes"].as_array().expect("codes");
        assert!(!codes.contains(&serde_json::json!("DL3008")), "{codes:?}");
        assert!(codes.contains(&serde_json::json!("DL3042")), "{codes:?}");
    }
    assert_eq!(
        first["size"]["before"]["disk"],
        second["size"]["before"]["disk"]
    );
}

#[tokio::test]
async fn a_team_instance_asks_for_a_token_in_the_browser() {
    let config = ServeConfig {
        api_tokens: vec!["rst_team_secret".into()],
        ..ServeConfig::default()
    };
    let app = app_with("tokens", config).await;
    let history = send(&app, get("/history")).await;
    assert_eq!(history.status, StatusCode::SEE_OTHER);
    assert_eq!(history.location.as_deref(), Some("/login?next=/history"));
    // The paste form comes back with the paste and a token field.
    let refused = send(&app, form("/reports", &[("dockerfile", PYTHON)])).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.location.is_none());
    assert!(refused.html.contains("name=\"token\""));
    assert!(refused.html.contains("libpq-dev"));
    let wrong = send(
        &app,
        form("/login", &[("token", "nope"), ("next", "/history")]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.set_cookie.is_none());
    let open_redirect = send(
        &app,
        form(
            "/login",
            &[("token", "rst_team_secret"), ("next", "//evil.example")],
        ),
    )
    .await;
    assert_eq!(open_redirect.location.as_deref(), Some("/"));
    let right = send(
        &app,
        form(
            "/login",
            &[("token", "rst_team_secret"), ("next", "/history")],
        ),
    )
    .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some("/history"));
    let cookie = right.set_cookie.expect("a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().expect("name=value").to_string();
    let signed_in = send(&app, get_with_cookie("/history", &cookie)).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    let stored = send(
        &app,
        Request::builder()
            .method(Method::POST)
            .uri("/reports")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("dockerfile={}", enc(PYTHON))))
            .expect("request"),
    )
    .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER);
    let report = stored.location.expect("Location");
    // A report stays readable by its link without a token.
    assert_eq!(send(&app, get(&report)).await.status, StatusCode::OK);
}

/// The `href` of the first link whose text is `label`.
fn link(html: &str, label: &str) -> Option<String> {
    let end = html.find(&format!("\">{label}</a>"))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&amp;", "&"))
}

const TEAM_TOKEN: &str = "rst_team_secret";

fn team() -> ServeConfig {
    ServeConfig {
        api_tokens: vec![TEAM_TOKEN.into()],
        ..ServeConfig::default()
    }
}

/// What the paste form sends on a team instance, everything filled in.
fn full_form(token: Option<&str>) -> Request<Body> {
    let mut parts: Vec<(&str, Option<&str>, &str)> = vec![
        ("dockerfile", None, PYTHON),
        ("name", None, "orders"),
        ("runtime", None, "alpine"),
        ("user", None, "worker"),
        ("cache_mounts", None, "on"),
        ("manifest:requirements.txt", None, "flask==3.0.0\n"),
    ];
    if let Some(token) = token {
        parts.push(("token", None, token));
    }
    multipart("/reports", &parts)
}

/// Everything `full_form` sent is on the page again.
fn assert_form_kept(page: &Page) {
    let html = &page.html;
    assert!(
        html.contains("apt-get install -y gcc libpq-dev"),
        "the paste: {html}"
    );
    assert!(html.contains("value=\"orders\""), "the name");
    assert!(
        html.contains("<option value=\"alpine\" selected>"),
        "the runtime"
    );
    assert!(html.contains("value=\"worker\""), "the user");
    assert!(
        html.contains("name=\"cache_mounts\" value=\"on\" checked"),
        "the cache mounts"
    );
    assert!(html.contains(">flask==3.0.0\n</textarea>"), "the manifest");
}

#[tokio::test]
async fn a_team_instance_keeps_the_paste_until_the_user_signs_in() {
    let app = app_with("team-paste", team()).await;
    // The form says a sign-in is needed, and has a field for the token.
    let home = send(&app, get("/")).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("needs an API token"), "{}", home.html);
    assert!(home.html.contains("name=\"token\""), "{}", home.html);
    assert_eq!(
        link(&home.html, "Sign in").as_deref(),
        Some("/login?next=/")
    );
    assert!(!home.html.contains("Sign out"));

    // Without a session or a token: the form again, nothing lost.
    let refused = send(&app, full_form(None)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.html);
    assert!(
        refused.location.is_none(),
        "no redirect that loses the paste"
    );
    assert!(refused.set_cookie.is_none());
    assert_form_kept(&refused);
    assert!(refused.html.contains("name=\"token\""));
    assert!(
        refused.html.contains("Sign in to analyse"),
        "{}",
        refused.html
    );

    // A wrong token: the same, saying so.
    let wrong = send(&app, full_form(Some("rst_wrong"))).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.set_cookie.is_none());
    assert_form_kept(&wrong);
    assert!(
        wrong.html.contains("not valid on this instance"),
        "{}",
        wrong.html
    );

    // The right token signs in and analyses in one step.
    let stored = send(&app, full_form(Some(TEAM_TOKEN))).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.html);
    let cookie = stored.set_cookie.expect("signed in");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let report = stored.location.expect("the report");
    let page = send(&app, get(&report)).await;
    assert!(page.html.contains("<h1>orders</h1>"));
    assert!(
        page.html.contains("FROM python:3.12-alpine AS runtime"),
        "the options were used"
    );

    // Signed in: no token field, no notice, and the navigation signs out.
    let cookie = cookie.split(';').next().expect("name=value").to_string();
    let home = send(&app, get_with_cookie("/", &cookie)).await;
    assert!(!home.html.contains("name=\"token\""));
    assert!(!home.html.contains("needs an API token"));
    assert!(home.html.contains("action=\"/logout\""));
    assert!(link(&home.html, "Sign in").is_none());
}

/// `%2F` and the like back to bytes, for reading a `next=` parameter.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], text.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// On a team instance, "Run again" without a session goes through the
/// sign-in page and back to the report with the options just chosen on
/// its form: nothing the user picked is lost.
#[tokio::test]
async fn run_again_on_a_team_instance_keeps_the_options_through_the_sign_in() {
    let app = app_with("team-rerun", team()).await;
    let stored = send(&app, full_form(Some(TEAM_TOKEN))).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.html);
    let report = stored.location.expect("the report");
    let id = report.strip_prefix("/r/").expect("a report page");

    let again = send(
        &app,
        form(
            &format!("{report}/rerun"),
            &[
                ("runtime", "distroless"),
                ("user", "ops team"),
                ("cache_mounts", "on"),
            ],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let login = again.location.expect("the sign-in page");
    let next = percent_decoded(login.strip_prefix("/login?next=").expect("a next page"));
    assert_eq!(
        next,
        format!("/r/{id}?runtime=distroless&user=ops%20team&cache_mounts=on#rerun")
    );

    let signed_in = send(
        &app,
        form("/login", &[("token", TEAM_TOKEN), ("next", &next)]),
    )
    .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.location.as_deref(), Some(next.as_str()));
    let cookie = signed_in.set_cookie.expect("signed in");
    let cookie = cookie.split(';').next().expect("name=value").to_string();
    let page = send(&app, get_with_cookie(&next, &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("<option value=\"distroless\" selected>"),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("id=\"rerun-user\" name=\"user\" value=\"ops team\"")
    );
    assert!(
        page.html
            .contains("name=\"cache_mounts\" value=\"on\" checked")
    );

    // An address without a choice the form offers shows the report's own
    // options.
    let plain = send(&app, get(&format!("{report}?runtime=bogus&user=x"))).await;
    assert!(
        plain.html.contains("<option value=\"alpine\" selected>"),
        "{}",
        plain.html
    );
    assert!(
        plain
            .html
            .contains("id=\"rerun-user\" name=\"user\" value=\"worker\"")
    );
    assert!(
        plain
            .html
            .contains("name=\"cache_mounts\" value=\"on\" checked")
    );
}

#[tokio::test]
async fn the_sign_in_page_says_what_the_instance_needs() {
    // An open instance: nothing to sign in to.
    let open = app("login-open").await;
    let page = send(&open, get("/login")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("needs no token"), "{}", page.html);
    assert!(!page.html.contains("name=\"token\""), "no token form");
    assert!(!page.html.contains("Sign out"));
    let home = send(&open, get("/")).await;
    assert!(
        link(&home.html, "Sign in").is_none(),
        "no Sign in in the navigation"
    );
    assert!(!home.html.contains("Sign out"));
    assert!(!home.html.contains("name=\"token\""));
    let any = send(
        &open,
        form("/login", &[("token", "x"), ("next", "/history")]),
    )
    .await;
    assert_eq!(any.status, StatusCode::SEE_OTHER, "{}", any.html);
    assert_eq!(any.location.as_deref(), Some("/history"));
    assert!(any.set_cookie.is_none());

    // A team instance: the form, and Sign out only once signed in.
    let app = app_with("login-team", team()).await;
    let page = send(&app, get("/login?next=/history")).await;
    assert!(page.html.contains("name=\"token\""));
    assert!(!page.html.contains("Sign out"), "{}", page.html);
    let history = send(&app, get("/history")).await;
    assert_eq!(history.location.as_deref(), Some("/login?next=/history"));
    let signed_in = send(
        &app,
        get_with_cookie("/login", &format!("restage_token={TEAM_TOKEN}")),
    )
    .await;
    assert!(
        signed_in.html.contains("You are signed in"),
        "{}",
        signed_in.html
    );
    assert!(signed_in.html.contains("Sign out"));
    // A cookie the instance does not know is no session.
    let stale = send(&app, get_with_cookie("/rules", "restage_token=rst_old")).await;
    assert_eq!(
        link(&stale.html, "Sign in").as_deref(),
        Some("/login?next=/rules")
    );
    assert!(!stale.html.contains("Sign out"));
}

/// Browsers send a textarea's lines with CRLF: the form stores LF, as the
/// file was, and counts its size so; the API keeps what it is sent.
#[tokio::test]
async fn form_submissions_are_stored_with_lf() {
    let config = ServeConfig {
        max_body_bytes: PYTHON.len() + 2,
        ..ServeConfig::default()
    };
    let app = app_with("crlf", config).await;
    let crlf = PYTHON.replace('\n', "\r\n");
    assert!(crlf.len() > PYTHON.len() + 2, "over the limit with CRs");
    let (location, _) = submit(
        &app,
        &[
            ("dockerfile", &crlf),
            ("manifest:requirements.txt", "flask\r\npsycopg2\r\n"),
        ],
    )
    .await;
    let id = location.trim_start_matches("/r/");
    let json = send(&app, get_json(&format!("/api/v1/reports/{id}"))).await;
    let report: serde_json::Value = serde_json::from_str(&json.html).expect("JSON");
    assert_eq!(report["dockerfile"], PYTHON);
    let converted = report["conversion"]["dockerfile"]
        .as_str()
        .expect("converted");
    assert!(!converted.contains('\r'), "{converted:?}");
    let download = send(&app, get(&format!("{location}/Dockerfile"))).await;
    assert!(!download.html.contains('\r'));
    let text = send(&app, get(&format!("/api/v1/reports/{id}?format=text"))).await;
    assert!(!text.html.contains('\r'));

    // The size limit counts the file as LF too: one byte over says so.
    let over = format!("{PYTHON}#x\n").replace('\n', "\r\n");
    let page = send(&app, form("/reports", &[("dockerfile", &over)])).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    let lf_len = PYTHON.len() + 3;
    assert!(
        page.html.contains(&format!("{lf_len} bytes")),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn unsupported_manifest_uploads_show_the_form_again() {
    let app = app("manifest-names").await;
    for name in ["package-lock.json", "go.sum", "Cargo.lock", "Gemfile.lock"] {
        let page = send(
            &app,
            multipart(
                "/reports",
                &[
                    ("dockerfile", None, PYTHON),
                    ("name", None, "orders"),
                    ("runtime", None, "alpine"),
                    ("user", None, "worker"),
                    ("cache_mounts", None, "on"),
                    ("manifest:requirements.txt", None, "flask==3.0.0\n"),
                    ("manifest_files", Some(name), "{}\n"),
                ],
            ),
        )
        .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{name}");
        assert_form_kept(&page);
        assert!(
            page.html
                .contains(&format!("{name}</code> is not a manifest")),
            "{}",
            page.html
        );
        assert!(
            page.html.contains("requirements*.txt"),
            "the accepted names"
        );
        assert!(
            page.html.contains("<form class=\"paste\""),
            "the form, not a dead end"
        );
    }
    // requirements*.txt is a manifest, as on the command line.
    let answer = send(
        &app,
        multipart(
            "/reports",
            &[
                ("dockerfile", None, "FROM python:3.12\nCOPY requirements-dev.txt .\nRUN pip install -r requirements-dev.txt\nCMD [\"python\", \"app.py\"]\n"),
                ("manifest_files", Some("requirements-dev.txt"), "flask\n"),
            ],
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.html);
    let id = answer
        .location
        .expect("Location")
        .trim_start_matches("/r/")
        .to_string();
    let json = send(&app, get_json(&format!("/api/v1/reports/{id}"))).await;
    let report: serde_json::Value = serde_json::from_str(&json.html).expect("JSON");
    assert_eq!(
        report["size"]["before"]["manifests_used"],
        serde_json::json!(["requirements-dev.txt"])
    );
    // Shown again after an error, an uploaded requirements file keeps its
    // own field.
    let again = send(
        &app,
        multipart(
            "/reports",
            &[
                ("dockerfile", None, "FROM alpine\nRUN <<EOF\n"),
                ("manifest_files", Some("requirements-dev.txt"), "flask\n"),
            ],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again
            .html
            .contains("name=\"manifest:requirements-dev.txt\""),
        "{}",
        again.html
    );
}

#[tokio::test]
async fn form_errors_say_what_and_quote_the_line() {
    let app = app("form-errors").await;
    let empty = send(&app, form("/reports", &[("dockerfile", "  \r\n")])).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.html.contains("The Dockerfile is empty"),
        "{}",
        empty.html
    );
    assert!(!empty.html.contains("could not analyse"), "{}", empty.html);
    assert!(
        !empty.html.contains("<title>Paste a Dockerfile"),
        "the title says it failed"
    );
    let broken = send(
        &app,
        form(
            "/reports",
            &[("dockerfile", "FROM alpine\nRUN <<EOF\necho x\n")],
        ),
    )
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert!(!broken.html.contains("See line 2 below"), "{}", broken.html);
    // The line quoted, the heredoc marker (column 5) marked, a caret under
    // it.
    assert!(broken.html.contains("Line 2, column 5"), "{}", broken.html);
    assert!(
        broken
            .html
            .contains("<code>RUN <mark>&#60;</mark>&#60;EOF</code>\n<span class=\"caret\" aria-hidden=\"true\">    ^</span>"),
        "the line quoted with its column marked: {}",
        broken.html
    );
    // An indented instruction: the caret is under the second, unterminated
    // heredoc, the tab kept.
    let second = send(
        &app,
        form(
            "/reports",
            &[("dockerfile", "FROM alpine\n\tCOPY <<A <<B /x\nhi\nA\n")],
        ),
    )
    .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert!(second.html.contains("Line 2, column 11"), "{}", second.html);
    assert!(
        second.html.contains(
            "<code>\tCOPY &#60;&#60;A <mark>&#60;</mark>&#60;B /x</code>\n<span class=\"caret\" aria-hidden=\"true\">\t         ^</span>"
        ),
        "{}",
        second.html
    );
    assert!(
        broken.html.contains("<title>Could not analyse"),
        "{}",
        broken.html
    );
}

#[tokio::test]
async fn history_goes_newer_and_older_and_finds_unknown_ecosystems() {
    let app = app("history-nav").await;
    let page = send(&app, get("/history")).await;
    assert!(
        !page.html.contains("python-pip"),
        "a placeholder that finds nothing"
    );
    assert!(page.html.contains("python-venv"));
    assert!(
        page.html.contains("<option value=\"unknown\""),
        "{}",
        page.html
    );
    // An analysis with errors recognises no ecosystem.
    let (unknown, _) = submit(
        &app,
        &[("dockerfile", "FROM alpine\nCOPY\n"), ("name", "odd")],
    )
    .await;
    for i in 0..44 {
        let answer = send(
            &app,
            form(
                "/reports",
                &[("dockerfile", PYTHON), ("name", &format!("py-{i:02}"))],
            ),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }
    let first = send(&app, get("/history")).await;
    assert!(link(&first.html, "Newer reports").is_none());
    let second = send(
        &app,
        get(&link(&first.html, "Older reports").expect("older")),
    )
    .await;
    assert!(second.html.contains(">py-23</a>"), "{}", second.html);
    let third = send(
        &app,
        get(&link(&second.html, "Older reports").expect("older")),
    )
    .await;
    assert!(third.html.contains(">odd</a>") && third.html.contains(">py-03</a>"));
    let back = send(
        &app,
        get(&link(&third.html, "Newer reports").expect("newer")),
    )
    .await;
    assert_eq!(back.html, second.html, "Newer goes back a page");
    let top = send(
        &app,
        get(&link(&second.html, "Newer reports").expect("newer")),
    )
    .await;
    assert_eq!(top.html, first.html);
    // The reports without an ecosystem, by the word the table shows.
    let odd = send(&app, get("/history?ecosystem=unknown")).await;
    assert!(
        odd.html.contains(&format!("href=\"{unknown}\"")),
        "{}",
        odd.html
    );
    assert!(!odd.html.contains(">py-00</a>"));
    assert!(odd.html.contains("<option value=\"unknown\" selected>"));
}

/// Signing in with the paste form holds even when the Dockerfile then
/// cannot be analysed: the form comes back signed in, without the token
/// field.
#[tokio::test]
async fn a_token_sent_with_a_broken_dockerfile_still_signs_in() {
    let app = app_with("team-broken", team()).await;
    let page = send(
        &app,
        form(
            "/reports",
            &[
                ("dockerfile", "FROM alpine\nRUN <<EOF\n"),
                ("token", TEAM_TOKEN),
            ],
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.set_cookie
            .is_some_and(|c| c.starts_with("restage_token="))
    );
    assert!(!page.html.contains("name=\"token\""), "{}", page.html);
    assert!(page.html.contains("action=\"/logout\""));
}
