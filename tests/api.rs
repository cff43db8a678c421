//! The REST API against a real SQLite file, through every layer
//! (in-process: the router is the whole service).

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use restage::store::Store;
use restage::web::{AppState, INLINE_MAX_BYTES, ServeConfig, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const PYTHON: &str = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
const GO: &str =
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\nCMD [\"/bin/app\"]\n";

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("restage-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("restage.db").to_string_lossy().into_owned()
}

async fn app_with(path: &str, config: ServeConfig) -> (Router, AppState) {
    let store = Store::open(path).await.expect("store opens");
    let metrics = restage::web::metrics::handle().unwrap_or_else(|| {
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle()
    });
    let state = AppState::new(store, config, metrics);
    (router(state.clone()), state)
}

async fn app(path: &str) -> Router {
    app_with(path, ServeConfig::default()).await.0
}

struct Answer {
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// A problem body with its type, status and detail.
    fn problem(&self, status: u16, kind: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert_eq!(self.content_type, "application/problem+json");
        let p = self.json();
        assert_eq!(p["type"], format!("https://restage.dev/problems/{kind}"));
        assert_eq!(p["status"], status);
        assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(p["detail"].as_str().is_some_and(|t| !t.is_empty()));
        p
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        content_type,
        location,
        body,
    }
}

fn post(uri: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .expect("request")
}

fn get(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request")
}

async fn create(app: &Router, dockerfile: &str, name: &str) -> Value {
    let answer = send(
        app,
        post(
            "/api/v1/reports",
            "application/json",
            json!({"dockerfile": dockerfile, "name": name}).to_string(),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let doc = answer.json();
    assert_eq!(
        answer.location.as_deref(),
        doc["links"]["self"].as_str(),
        "Location names the report"
    );
    doc
}

/// The answers that create and read a report hold to the schema the
/// OpenAPI document gives them (which starts with `id`, `created_at` and
/// `links`, and says `links.dockerfile` may be absent).
#[tokio::test]
async fn stored_reports_match_their_documented_schema() {
    let path = temp_db("stored-schema");
    let app = app(&path).await;
    let doc = send(&app, get("/api/openapi.json")).await.json();
    let answers = |path: &str, status: &str| {
        doc["paths"][path][if status == "201" { "post" } else { "get" }]["responses"][status]
            ["content"]["application/json"]["schema"]
            .clone()
    };
    let created_schema = answers("/api/v1/reports", "201");
    let read_schema = answers("/api/v1/reports/{id}", "200");
    assert_eq!(
        created_schema["$ref"], "#/components/schemas/StoredReportJson",
        "{created_schema}"
    );
    assert_eq!(created_schema, read_schema);
    let schema = json!({
        "$ref": "#/components/schemas/StoredReportJson",
        "components": doc["components"],
    });
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("the schema compiles: {e}"));
    for (text, name) in [(PYTHON, "api"), ("RUN echo hi\n", "refused")] {
        let created = create(&app, text, name).await;
        let id = created["id"].as_str().expect("id");
        let read = send(&app, get(&format!("/api/v1/reports/{id}")))
            .await
            .json();
        for answer in [&created, &read] {
            let errors: Vec<String> = validator
                .iter_errors(answer)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
    }
    // The schema is not vacuous: a report without its id does not match.
    let mut without_id = create(&app, PYTHON, "again").await;
    without_id.as_object_mut().map(|o| o.remove("id"));
    assert!(!validator.is_valid(&without_id));
}

#[tokio::test]
async fn a_method_a_route_does_not_take_gets_405_with_a_problem_and_allow() {
    let path = temp_db("method");
    let app = app(&path).await;
    let request = Request::builder()
        .method("PUT")
        .uri("/api/v1/reports/0123456789abcdef0123456789abcdef")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let allow = response
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");
    let problem = send(&app, get("/api/v1/lint"))
        .await
        .problem(405, "method-not-allowed");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("/api/v1/lint") && d.contains("GET")),
        "{problem}"
    );
    let request = Request::builder()
        .method("PUT")
        .uri("/r/0123456789abcdef0123456789abcdef/rerun")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        response.headers().get(header::ALLOW).map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );
}

/// A name is one line of at most 200 characters: it titles pages, heads
/// the text report and names the file in SARIF.
#[tokio::test]
async fn report_names_are_one_line_of_at_most_200_characters() {
    let path = temp_db("names");
    let app = app(&path).await;
    let json_post = |name: Value| {
        post(
            "/api/v1/reports",
            "application/json",
            json!({"dockerfile": "FROM alpine:3.20\n", "name": name}).to_string(),
        )
    };
    for bad in [json!("a\nfindings: 0"), json!("é".repeat(201))] {
        let p = send(&app, json_post(bad))
            .await
            .problem(422, "invalid-request");
        assert!(
            p["detail"].as_str().is_some_and(|d| d.contains("name")),
            "{p}"
        );
    }
    let ok = send(&app, json_post(json!("é".repeat(200)))).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let long = "x".repeat(201);
    send(
        &app,
        post(
            &format!("/api/v1/reports?name={long}"),
            "text/plain",
            "FROM alpine:3.20\n",
        ),
    )
    .await
    .problem(400, "bad-query");
    send(
        &app,
        post(
            "/api/v1/lint?name=a%0Ab",
            "text/plain",
            "FROM alpine:3.20\n",
        ),
    )
    .await
    .problem(400, "bad-query");
}

#[tokio::test]
async fn a_report_links_its_dockerfile_only_when_it_has_one() {
    let path = temp_db("dockerfile-link");
    let app = app(&path).await;
    let converted = create(&app, PYTHON, "api").await;
    let link = converted["links"]["dockerfile"]
        .as_str()
        .expect("a converted report links its Dockerfile")
        .to_string();
    assert_eq!(send(&app, get(&link)).await.status, StatusCode::OK);

    // No FROM: stored with its findings, but there is nothing to convert.
    let refused = create(&app, "RUN echo hi\n", "no-from").await;
    assert!(refused["refusal"]["reason"].is_string(), "{refused}");
    assert_eq!(refused["links"].get("dockerfile"), None, "{refused}");
    let id = refused["id"].as_str().expect("id");
    let again = send(&app, get(&format!("/api/v1/reports/{id}")))
        .await
        .json();
    assert_eq!(again["links"].get("dockerfile"), None, "{again}");
    assert!(again["links"]["self"].is_string());
    send(&app, get(&format!("/api/v1/reports/{id}/dockerfile")))
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn reports_are_created_read_listed_and_deleted() {
    let path = temp_db("crud");
    let app = app(&path).await;
    let py = create(&app, PYTHON, "api").await;
    let id = py["id"].as_str().expect("id").to_string();
    assert_eq!(id.len(), 32, "128 random bits");
    assert_eq!(py["summary"]["ecosystem"], "python");
    assert!(
        py["conversion"]["dockerfile"]
            .as_str()
            .is_some_and(|d| d.contains("python:3.12-slim"))
    );

    // Raw text with options in the query string, as curl --data-binary sends it.
    let answer = send(
        &app,
        post(
            "/api/v1/reports?name=svc&runtime=scratch",
            "application/x-www-form-urlencoded",
            GO,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let go = answer.json();
    assert_eq!(go["options"]["runtime"], "scratch");
    let go_id = go["id"].as_str().expect("id").to_string();

    // Each format.
    let json_doc = send(&app, get(&format!("/api/v1/reports/{id}"))).await;
    assert_eq!(json_doc.status, StatusCode::OK);
    assert_eq!(json_doc.json()["findings"], py["findings"]);
    let sarif = send(&app, get(&format!("/api/v1/reports/{id}?format=sarif"))).await;
    assert_eq!(sarif.content_type, "application/sarif+json");
    assert_eq!(sarif.json()["version"], "2.1.0");
    let accept = Request::builder()
        .uri(format!("/api/v1/reports/{id}"))
        .header(header::ACCEPT, "application/sarif+json")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&app, accept).await.json()["version"], "2.1.0");
    // `Accept` with q-values: the highest weighed representation wins; one
    // that allows none of them is a 406 problem.
    let with_accept = |accept: &str| {
        Request::builder()
            .uri(format!("/api/v1/reports/{id}"))
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .expect("request")
    };
    let weighed = send(
        &app,
        with_accept("application/json;q=0.4, text/plain;q=0.9"),
    )
    .await;
    assert!(
        weighed.content_type.starts_with("text/plain"),
        "{}",
        weighed.content_type
    );
    let refused = send(&app, with_accept("image/png"))
        .await
        .problem(406, "not-acceptable");
    assert!(
        refused["detail"]
            .as_str()
            .is_some_and(|d| d.contains("image/png") && d.contains("application/sarif+json")),
        "{refused}"
    );
    let text = send(&app, get(&format!("/api/v1/reports/{id}?format=text"))).await;
    assert!(text.content_type.starts_with("text/plain"));
    assert!(text.text().contains("ecosystem: python"));
    let dockerfile = send(&app, get(&format!("/api/v1/reports/{go_id}/dockerfile"))).await;
    assert_eq!(dockerfile.status, StatusCode::OK);
    assert!(
        dockerfile.text().contains("FROM scratch"),
        "{}",
        dockerfile.text()
    );

    // List, paginate, filter.
    let page = send(&app, get("/api/v1/reports?limit=1")).await.json();
    assert_eq!(page["items"][0]["id"], go_id.as_str(), "newest first");
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let next = send(
        &app,
        get(&format!("/api/v1/reports?limit=1&cursor={cursor}")),
    )
    .await
    .json();
    assert_eq!(next["items"][0]["id"], id.as_str());
    assert_eq!(next["next_cursor"], Value::Null);
    let go_only = send(&app, get("/api/v1/reports?ecosystem=go")).await.json();
    assert_eq!(go_only["items"].as_array().map(Vec::len), Some(1));
    let search = send(&app, get("/api/v1/reports?q=DL3042")).await.json();
    assert_eq!(search["items"][0]["name"], "api");

    // Delete.
    let delete = Request::builder()
        .method(Method::DELETE)
        .uri(format!("/api/v1/reports/{id}"))
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&app, delete).await.status, StatusCode::NO_CONTENT);
    send(&app, get(&format!("/api/v1/reports/{id}")))
        .await
        .problem(404, "not-found");

    // A restart reads back what was stored.
    drop(app);
    let again = self::app(&path).await;
    let back = send(&again, get(&format!("/api/v1/reports/{go_id}"))).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.json()["dockerfile"], GO);
}

#[tokio::test]
async fn two_hundred_concurrent_posts_are_all_stored() {
    let path = temp_db("concurrent");
    let config = ServeConfig {
        concurrency: 256,
        ..ServeConfig::default()
    };
    let (app, state) = app_with(&path, config).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"dockerfile": PYTHON, "name": format!("n{i}")}).to_string();
            send(&app, post("/api/v1/reports", "application/json", body)).await
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let answer = t.await.expect("task");
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        ids.push(answer.json()["id"].as_str().expect("id").to_string());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200);
    assert_eq!(state.store().count().await.expect("count"), 200);
    for id in &ids {
        assert_eq!(
            send(&app, get(&format!("/api/v1/reports/{id}")))
                .await
                .status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn every_error_is_a_problem_with_its_status() {
    let path = temp_db("errors");
    let config = ServeConfig {
        max_body_bytes: 1024,
        ..ServeConfig::default()
    };
    let (app, state) = app_with(&path, config).await;
    let json_post = |body: String| post("/api/v1/reports", "application/json", body);

    send(&app, json_post(json!({"dockerfile": ""}).to_string()))
        .await
        .problem(400, "empty-dockerfile");
    let p = send(
        &app,
        json_post(json!({"dockerfile": "FROM alpine\nRUN <<EOF\necho\n"}).to_string()),
    )
    .await
    .problem(400, "invalid-dockerfile");
    // The column is the unterminated heredoc's `<<EOF`.
    assert_eq!(p["line"], 2);
    assert_eq!(p["column"], 5);
    assert_eq!(p["detail"], "line 2, column 5: unterminated heredoc");
    // Every route that reads a Dockerfile says where, in characters: after
    // a tab and a two-byte `é`, the marker is at column 9.
    for route in ["/api/v1/lint", "/api/v1/convert", "/api/v1/reports"] {
        let p = send(
            &app,
            post(route, "text/plain", "FROM alpine\n\tCOPY \u{e9} <<EOF /x\n"),
        )
        .await
        .problem(400, "invalid-dockerfile");
        assert_eq!(
            (&p["line"], &p["column"]),
            (&json!(2), &json!(9)),
            "{route}: {p}"
        );
    }
    send(&app, json_post("{\"dockerfile\": ".into()))
        .await
        .problem(400, "malformed-json");
    send(&app, json_post(json!({"dockerfile": 3}).to_string()))
        .await
        .problem(422, "invalid-request");
    send(
        &app,
        json_post(json!({"dockerfile": "FROM a\n", "colour": "red"}).to_string()),
    )
    .await
    .problem(422, "invalid-request");
    send(&app, json_post(json!({"name": "x"}).to_string()))
        .await
        .problem(422, "invalid-request");
    send(
        &app,
        json_post(json!({"dockerfile": "FROM a\n", "options": {"runtime": "windows"}}).to_string()),
    )
    .await
    .problem(422, "invalid-request");
    // Valid JSON with the wrong type where a choice is expected: serde_json
    // calls these syntax errors; they are still 422.
    for runtime in [json!(null), json!(5), json!(["slim"])] {
        send(
            &app,
            json_post(
                json!({"dockerfile": "FROM a\n", "options": {"runtime": runtime}}).to_string(),
            ),
        )
        .await
        .problem(422, "invalid-request");
    }
    send(&app, post("/api/v1/reports", "image/png", "FROM a\n"))
        .await
        .problem(415, "unsupported-media-type");
    let big = format!("FROM alpine\n{}", "RUN true\n".repeat(200));
    send(&app, post("/api/v1/reports", "text/plain", big))
        .await
        .problem(413, "too-large");
    send(
        &app,
        post("/api/v1/reports", "text/plain", "FROM a\n\u{0}\n"),
    )
    .await
    .problem(400, "invalid-dockerfile");
    send(&app, get("/api/v1/reports?cursor=zzz"))
        .await
        .problem(400, "bad-query");
    send(&app, get("/api/v1/reports?limit=0"))
        .await
        .problem(400, "bad-query");
    let p = send(
        &app,
        post("/api/v1/reports?format=sarif", "text/plain", "FROM a\n"),
    )
    .await
    .problem(400, "bad-query");
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("Location")),
        "{p}"
    );
    send(
        &app,
        get("/api/v1/reports/0123456789abcdef0123456789abcdef"),
    )
    .await
    .problem(404, "not-found");
    send(&app, get("/api/v1/reports/not-an-id/dockerfile"))
        .await
        .problem(404, "not-found");
    send(&app, get("/api/nowhere"))
        .await
        .problem(404, "not-found");
    send(&app, get("/api/v1/rules/DL9999"))
        .await
        .problem(404, "not-found");
    send(
        &app,
        post(
            "/api/v1/convert?format=dockerfile",
            "text/plain",
            "FROM debian:12\nRUN make\n",
        ),
    )
    .await
    .problem(422, "not-convertible");
    // A refusal about a line says which, as parse errors do.
    let p = send(
        &app,
        post(
            "/api/v1/convert?format=dockerfile",
            "text/plain",
            "FROM python:3.12\nFOOBAR x\nCMD [\"python\"]\n",
        ),
    )
    .await
    .problem(422, "not-convertible");
    assert_eq!(p["line"], 2, "{p}");
    assert_eq!(p["column"], 1, "{p}");
    // ... and which column: the bad flag value, not the line's start.
    let p = send(
        &app,
        post(
            "/api/v1/convert?format=dockerfile",
            "text/plain",
            "FROM python:3.12\n  HEALTHCHECK --interval=abc CMD true\nCMD [\"python\"]\n",
        ),
    )
    .await
    .problem(422, "not-convertible");
    assert_eq!((&p["line"], &p["column"]), (&json!(2), &json!(26)), "{p}");

    // Nothing half-written: only valid requests were stored (none here).
    assert_eq!(state.store().count().await.expect("count"), 0);

    state.begin_shutdown();
    send(&app, get("/healthz"))
        .await
        .problem(503, "shutting-down");
}

#[tokio::test]
async fn overload_gets_429() {
    let path = temp_db("overload");
    let config = ServeConfig {
        concurrency: 1,
        ..ServeConfig::default()
    };
    let (app, _) = app_with(&path, config).await;
    // A request whose body has not arrived yet holds the only slot.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    let held = {
        let app = app.clone();
        tokio::spawn(async move { send(&app, post("/api/v1/lint", "text/plain", body)).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    send(
        &app,
        post("/api/v1/lint", "text/plain", "FROM alpine:3.20\n"),
    )
    .await
    .problem(429, "overloaded");
    // The limit is one for every route that analyses, not one per route.
    for (uri, content_type) in [
        ("/api/v1/convert", "text/plain"),
        ("/api/v1/reports", "text/plain"),
        ("/reports", "application/x-www-form-urlencoded"),
    ] {
        let body = if content_type == "text/plain" {
            "FROM alpine:3.20\n"
        } else {
            "dockerfile=FROM+alpine%3A3.20"
        };
        let answer = send(&app, post(uri, content_type, body)).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{uri}");
    }
    // A browser's form gets a page, not a problem body.
    let mut form = post(
        "/reports",
        "application/x-www-form-urlencoded",
        "dockerfile=FROM+alpine%3A3.20",
    );
    form.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html,application/xhtml+xml"),
    );
    let page = send(&app, form).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert!(page.text().contains("Try again"), "{}", page.text());
    tx.send(Ok("FROM alpine:3.20\n".into()))
        .await
        .expect("send");
    drop(tx);
    assert_eq!(held.await.expect("task").status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_guard_writes_listing_and_deletes() {
    let path = temp_db("tokens");
    let config = ServeConfig {
        api_tokens: vec!["secret-token".into()],
        ..ServeConfig::default()
    };
    let (app, _) = app_with(&path, config).await;
    let body = json!({"dockerfile": PYTHON}).to_string();
    send(
        &app,
        post("/api/v1/reports", "application/json", body.clone()),
    )
    .await
    .problem(401, "unauthorized");
    send(&app, get("/api/v1/reports"))
        .await
        .problem(401, "unauthorized");
    let mut request = post("/api/v1/reports", "application/json", body);
    request.headers_mut().insert(
        header::AUTHORIZATION,
        "Bearer secret-token".parse().expect("header"),
    );
    let created = send(&app, request).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_str().expect("id").to_string();
    // Readable by its id without a token.
    assert_eq!(
        send(&app, get(&format!("/api/v1/reports/{id}")))
            .await
            .status,
        StatusCode::OK
    );
    // Lint and convert store nothing and stay open.
    assert_eq!(
        send(&app, post("/api/v1/lint", "text/plain", PYTHON))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn lint_convert_rules_openapi_health_and_metrics() {
    let path = temp_db("engine");
    let app = app(&path).await;
    let lint = send(
        &app,
        post("/api/v1/lint", "text/plain", "FROM alpine\nWORKDIR app\n"),
    )
    .await;
    assert_eq!(lint.status, StatusCode::OK);
    let findings = lint.json();
    assert!(
        findings
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f["code"] == "DL3000"))
    );
    let sarif = send(
        &app,
        post(
            "/api/v1/lint?format=sarif",
            "text/plain",
            "FROM alpine\nWORKDIR app\n",
        ),
    )
    .await;
    let results = sarif.json()["runs"][0]["results"].clone();
    assert!(
        results
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x["ruleId"] == "DL3000")),
        "{results}"
    );

    let convert = send(
        &app,
        post(
            "/api/v1/convert",
            "application/json",
            json!({"dockerfile": GO}).to_string(),
        ),
    )
    .await;
    assert_eq!(convert.json()["conversion"]["ecosystem"], "go");
    let text = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/convert")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::ACCEPT, "text/plain")
        .body(Body::from(GO))
        .expect("request");
    let dockerfile = send(&app, text).await;
    assert!(
        dockerfile.text().starts_with("FROM golang:1.22 AS builder"),
        "{}",
        dockerfile.text()
    );

    let rules = send(&app, get("/api/v1/rules")).await.json();
    assert!(rules.as_array().is_some_and(|r| r.len() > 100));
    let rule = send(&app, get("/api/v1/rules/UndefinedVar")).await.json();
    assert_eq!(rule["code"], "BK011");

    let openapi = send(&app, get("/api/openapi.json")).await.json();
    assert!(
        openapi["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    assert!(openapi["paths"]["/api/v1/reports"]["post"].is_object());
    assert!(openapi["components"]["schemas"]["Report"].is_object());

    assert_eq!(send(&app, get("/healthz")).await.text(), "ok\n");
    assert_eq!(send(&app, get("/readyz")).await.text(), "ready\n");
    let metrics = send(&app, get("/metrics")).await.text();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("restage_reports_stored 0"), "{metrics}");
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let path = temp_db("headers");
    let app = app(&path).await;
    let response = app
        .clone()
        .oneshot(get("/healthz"))
        .await
        .expect("infallible");
    let h = response.headers();
    assert_eq!(
        h.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert!(h.get("referrer-policy").is_some());
}

#[tokio::test]
async fn stored_reports_mask_secrets_unless_asked_not_to() {
    let app = app(&temp_db("redact")).await;
    let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let dockerfile = format!(
        "FROM python:3.12\nENV GITHUB_TOKEN={token}\nRUN pip install git+https://bot:{token}@github.com/o/l.git\nCMD [\"python\", \"app.py\"]\n"
    );
    let doc = create(&app, &dockerfile, "with-secret").await;
    let id = doc["id"].as_str().expect("id");
    for uri in [
        format!("/api/v1/reports/{id}"),
        format!("/api/v1/reports/{id}?format=sarif"),
        format!("/api/v1/reports/{id}?format=text"),
        format!("/api/v1/reports/{id}/dockerfile"),
        format!("/r/{id}"),
    ] {
        let answer = send(&app, get(&uri)).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        let text = answer.text();
        assert!(
            !text.contains("abcdefghijklmnopqrstuvwxyz0123456789"),
            "{uri}: {text}"
        );
    }
    let stored = send(&app, get(&format!("/api/v1/reports/{id}")))
        .await
        .json();
    assert!(
        stored["dockerfile"]
            .as_str()
            .is_some_and(|d| d.contains("GITHUB_TOKEN=ghp_****")
                && d.contains("https://bot:****@github.com")),
        "{stored}"
    );
    let kept = send(
        &app,
        post(
            "/api/v1/reports?redact=false",
            "text/plain",
            dockerfile.clone(),
        ),
    )
    .await;
    assert_eq!(kept.status, StatusCode::CREATED);
    assert!(
        kept.json()["dockerfile"]
            .as_str()
            .is_some_and(|d| d.contains(token))
    );

    // A key's BEGIN line with no key after it: nothing to mask, and nothing
    // after it is lost from the stored file or its conversion.
    let pem = "FROM python:3.12\nRUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > /k\nCOPY . /app\nEXPOSE 8000\nCMD [\"python\",\"/app/app.py\"]\n";
    let stored = send(&app, post("/api/v1/reports", "text/plain", pem)).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    let stored = stored.json();
    assert_eq!(stored["dockerfile"], pem);
    let converted = stored["conversion"]["dockerfile"]
        .as_str()
        .unwrap_or_default();
    assert!(
        converted.contains("EXPOSE 8000") && converted.contains("CMD [\"python\""),
        "{converted}"
    );
}

#[tokio::test]
async fn the_image_catalog_is_served_with_sources_and_dates() {
    let path = temp_db("images");
    let app = app(&path).await;
    let answer = send(&app, get("/api/v1/images")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let rows = answer.json();
    let rows = rows.as_array().expect("a list");
    assert!(rows.len() >= 60, "{} rows", rows.len());
    for row in rows {
        for key in ["name", "tag", "source", "date"] {
            assert!(
                row[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} of {row}"
            );
        }
        let disk = row["disk_bytes"]["estimate_bytes"].as_u64().expect("disk");
        let pull = row["pull_bytes"]["estimate_bytes"].as_u64().expect("pull");
        assert!(pull <= disk, "{row}");
    }
    let slim = rows
        .iter()
        .find(|r| r["name"] == "python" && r["tag"] == "3.12-slim")
        .expect("python:3.12-slim");
    assert_eq!(slim["disk_bytes"]["estimate_bytes"], 119_200_000);
    assert_eq!(slim["pull_bytes"]["estimate_bytes"], 43_200_000);
    let openapi = send(&app, get("/api/openapi.json")).await.json();
    assert!(openapi["paths"]["/api/v1/images"]["get"].is_object());
    assert!(openapi["components"]["schemas"]["CatalogImage"].is_object());
    assert!(openapi["components"]["schemas"]["SizeReport"].is_object());
}

#[tokio::test]
async fn reports_carry_sizes_and_manifests_change_the_estimate() {
    let path = temp_db("sizes");
    let app = app(&path).await;
    let dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    let plain = create(&app, dockerfile, "no manifest").await;
    let size = &plain["size"];
    for side in ["before", "after"] {
        for unit in ["disk", "pull"] {
            let r = &size[side][unit];
            let (lo, est, hi) = (
                r["low_bytes"].as_u64().expect("low"),
                r["estimate_bytes"].as_u64().expect("estimate"),
                r["high_bytes"].as_u64().expect("high"),
            );
            assert!(lo <= est && est <= hi, "{side} {unit}: {r}");
        }
        let layer = &size[side]["stages"][0]["layers"][0];
        for key in ["instruction_line", "kind", "disk", "pull", "basis", "note"] {
            assert!(!layer[key].is_null(), "{side}: {key} of {layer}");
        }
        assert!(size[side]["stages"][0]["name"].is_string());
        assert!(size[side]["stages"][0]["base"].is_string());
    }
    let saving = size["saving_percent"].as_f64().expect("a saving");
    assert!(saving > 50.0, "{saving}");

    let heavy = send(
        &app,
        post(
            "/api/v1/reports",
            "application/json",
            json!({
                "dockerfile": dockerfile,
                "name": "with a manifest",
                "manifests": {"requirements.txt": "torch==2.5.0\npandas\n"},
            })
            .to_string(),
        ),
    )
    .await;
    assert_eq!(heavy.status, StatusCode::CREATED, "{}", heavy.text());
    let heavy = heavy.json();
    let before = |doc: &Value| {
        doc["size"]["before"]["disk"]["estimate_bytes"]
            .as_u64()
            .expect("bytes")
    };
    assert!(
        before(&heavy) > before(&plain) + 1_000_000_000,
        "torch makes it bigger: {} vs {}",
        before(&heavy),
        before(&plain)
    );
    assert_eq!(
        heavy["size"]["before"]["manifests_used"][0],
        "requirements.txt"
    );

    // The convert endpoint sizes with the request's manifests too.
    let convert = send(
        &app,
        post(
            "/api/v1/convert",
            "application/json",
            json!({
                "dockerfile": dockerfile,
                "manifests": {"requirements.txt": "torch==2.5.0\npandas\n"},
            })
            .to_string(),
        ),
    )
    .await;
    assert_eq!(convert.status, StatusCode::OK, "{}", convert.text());
    assert_eq!(before(&convert.json()), before(&heavy));

    // The text rendering has the size tables, both units labelled.
    let id = plain["id"].as_str().expect("id");
    let text = Request::builder()
        .uri(format!("/api/v1/reports/{id}"))
        .header(header::ACCEPT, "text/plain")
        .body(Body::empty())
        .expect("request");
    let text = send(&app, text).await.text();
    assert!(text.contains("== Size =="), "{text}");
    assert!(
        text.contains("disk = unpacked") && text.contains("pull = compressed"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_analysis_keeps_its_slot_until_it_ends_and_stores_nothing() {
    // The timeout must not fire before the analysis has even started (a
    // 20 ms one did, on a loaded machine, and the slot was never taken);
    // the analysis must outlast it by far: 3,000 instructions take about a
    // second in a test build and a tenth of one in a release build.
    let config = ServeConfig {
        request_timeout: std::time::Duration::from_millis(250),
        analysis_workers: 1,
        ..ServeConfig::default()
    };
    let (app, state) = app_with(&temp_db("timeout-slot"), config).await;
    let mut dockerfile = String::from("FROM python:3.12\n");
    for i in 0..3000 {
        dockerfile.push_str(&format!(
            "RUN apt-get install -y pkg{i} && pip install mod{i}\n"
        ));
    }
    // Large enough to run on the blocking pool: an input analysed on the
    // runtime thread has its answer before the timeout is looked at.
    assert!(dockerfile.len() > INLINE_MAX_BYTES);
    let request = tokio::spawn({
        let app = app.clone();
        async move { send(&app, post("/api/v1/reports", "text/plain", dockerfile)).await }
    });
    // The analysis takes its slot...
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while state.analysis_slots().available_permits() != 0 && !request.is_finished() {
        assert!(
            std::time::Instant::now() < deadline,
            "the analysis never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let answer = request.await.expect("the request task ends");
    answer.problem(408, "timeout");
    // ...and the request is over while its analysis is not: the slot stays
    // taken until it ends.
    assert_eq!(state.analysis_slots().available_permits(), 0);
    while state.analysis_slots().available_permits() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the slot never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(state.analysis_slots().available_permits(), 1);
    // The timed-out report was not stored.
    let list = Request::builder()
        .uri("/api/v1/reports")
        .body(Body::empty())
        .expect("request");
    let list = send(&app, list).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");
}

/// What a client generator (or a fuzzer such as schemathesis) reads off the
/// OpenAPI document: every parameter where the request carries it, one
/// name per operation, the bounds the server enforces, and links from a
/// created report to the operations that take its id.
#[tokio::test]
async fn the_openapi_document_says_where_each_parameter_goes() {
    let path = temp_db("openapi-parameters");
    let app = app(&path).await;
    let doc = send(&app, get("/api/openapi.json")).await.json();
    let paths = doc["paths"].as_object().expect("paths");
    let mut ids = std::collections::BTreeMap::new();
    for (template, operations) in paths {
        let in_template: std::collections::BTreeSet<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        for (method, operation) in operations.as_object().expect("operations") {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {template} has no operationId");
            // Any request may run out of time or meet a stopping service.
            for status in ["408", "503"] {
                assert_eq!(
                    operation["responses"][status]["content"]["application/problem+json"]["schema"]
                        ["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {template} does not document {status}"
                );
            }
            // The analyses share a concurrency limit.
            if ["lint", "convert", "createReport"].contains(&id) {
                assert!(
                    operation["responses"]["429"].is_object(),
                    "{id} does not document 429"
                );
            }
            if let Some(other) = ids.insert(id.to_string(), format!("{method} {template}")) {
                panic!("operationId `{id}` names both {other} and {method} {template}");
            }
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut in_path = std::collections::BTreeSet::new();
            for p in &parameters {
                let name = p["name"].as_str().unwrap_or_default();
                match p["in"].as_str() {
                    Some("path") => {
                        assert_eq!(p["required"], true, "{method} {template}: {name}");
                        in_path.insert(name);
                    }
                    Some("query") => assert_ne!(
                        p["required"], true,
                        "{method} {template}: the query parameter {name} is optional"
                    ),
                    other => panic!("{method} {template}: {name} is in {other:?}"),
                }
            }
            assert_eq!(in_path, in_template, "{method} {template}: path parameters");
            let formats = parameters.iter().filter(|p| p["name"] == "format").count();
            assert!(
                formats <= 1,
                "{method} {template}: format given {formats} times"
            );
            for p in parameters.iter().filter(|p| p["name"] == "format") {
                assert!(
                    p["schema"]["pattern"].is_string(),
                    "{method} {template}: which formats? {p}"
                );
            }
        }
    }

    let list = &paths["/api/v1/reports"]["get"]["parameters"];
    let limit = list
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "limit"))
        .expect("limit");
    assert_eq!(limit["in"], "query");
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], restage::store::MAX_PAGE);
    assert_eq!(
        doc["components"]["schemas"]["AnalyzeRequest"]["properties"]["dockerfile"]["minLength"],
        1
    );

    // The user option's pattern, in the query string and in JSON, is the
    // one the server checks.
    let pattern = restage::convert::user::USER_PATTERN;
    for (method, template) in [("post", "/api/v1/reports"), ("post", "/api/v1/lint")] {
        let user = paths[template][method]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "user"))
            .expect("user");
        assert_eq!(user["in"], "query");
        assert_eq!(user["schema"]["pattern"], pattern, "{method} {template}");
    }
    assert_eq!(
        doc["components"]["schemas"]["RequestOptions"]["properties"]["user"]["pattern"],
        pattern
    );

    let links = doc["paths"]["/api/v1/reports"]["post"]["responses"]["201"]["links"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let targets: std::collections::BTreeSet<&str> = links
        .values()
        .filter(|l| l["parameters"]["id"] == "$response.body#/id")
        .filter_map(|l| l["operationId"].as_str())
        .collect();
    for target in ["getReport", "getReportDockerfile", "deleteReport"] {
        assert!(targets.contains(target), "no link to {target}: {links:?}");
        assert!(
            ids.contains_key(target),
            "the link names no operation: {target}"
        );
    }
}

/// The user a conversion runs as goes into `USER` and the `useradd` that
/// creates it: anything but a name or id is refused with what is accepted,
/// and an empty one (a form's or a query string's unset field) lets
/// restage pick, as an absent one does.
#[tokio::test]
async fn the_user_option_is_a_name_or_an_id() {
    let path = temp_db("user-option");
    let (app, state) = app_with(&path, ServeConfig::default()).await;
    for user in ["app%20user", "app%0ARUN%20id", "app;id", "-o", "a:b:c"] {
        let p = send(
            &app,
            post(
                &format!("/api/v1/reports?user={user}"),
                "text/plain",
                PYTHON,
            ),
        )
        .await
        .problem(400, "bad-query");
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.contains("is not a user")),
            "{p}"
        );
    }
    let p = send(
        &app,
        post(
            "/api/v1/convert",
            "application/json",
            json!({"dockerfile": PYTHON, "options": {"user": "app\nRUN id"}}).to_string(),
        ),
    )
    .await
    .problem(422, "invalid-request");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("is not a user")),
        "{p}"
    );
    // Nothing stored for the refused requests.
    assert_eq!(state.store().count().await.expect("count"), 0);

    let converted = |uri: &str, body: Body| {
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::ACCEPT, "text/plain")
            .body(body)
            .expect("request");
        let app = app.clone();
        async move { send(&app, request).await.text() }
    };
    let picked = converted("/api/v1/convert", Body::from(PYTHON)).await;
    assert!(picked.contains("\nUSER appuser\n"), "{picked}");
    assert_eq!(
        converted("/api/v1/convert?user=", Body::from(PYTHON)).await,
        picked
    );
    let asked = converted("/api/v1/convert?user=10001:10001", Body::from(PYTHON)).await;
    assert!(asked.contains("\nUSER 10001:10001\n"), "{asked}");
}

/// A query parameter sent empty (`?cursor=&q=`, as forms and scripts with
/// unset fields send them) means the same as one not sent.
#[tokio::test]
async fn empty_query_parameters_are_not_given() {
    let path = temp_db("empty-query");
    let app = app(&path).await;
    for body in [PYTHON, GO] {
        let created = send(&app, post("/api/v1/reports", "text/plain", body)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    }
    let all = send(&app, get("/api/v1/reports")).await.json();
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2), "{all}");
    let empty = send(&app, get("/api/v1/reports?cursor=&q=&ecosystem=")).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert_eq!(empty.json(), all);

    let lint = send(&app, post("/api/v1/lint?format=", "text/plain", PYTHON)).await;
    assert_eq!(lint.status, StatusCode::OK, "{}", lint.text());
    assert_eq!(lint.content_type, "application/json");
    let plain = send(&app, post("/api/v1/lint", "text/plain", PYTHON)).await;
    assert_eq!(lint.body, plain.body);

    // A form's unset choices and flags, as an HTML form or a script sends
    // them: the defaults (runtime auto, no cache mounts, secrets masked).
    let unset = send(
        &app,
        post(
            "/api/v1/reports?runtime=&cache_mounts=&redact=&user=&name=",
            "text/plain",
            PYTHON,
        ),
    )
    .await;
    assert_eq!(unset.status, StatusCode::CREATED, "{}", unset.text());
    let unset = unset.json();
    assert_eq!(unset["options"]["runtime"], "auto");
    assert_eq!(unset["options"]["cache_mounts"], false);
    for bad in ["runtime=windows", "cache_mounts=yes", "redact=1"] {
        send(
            &app,
            post(&format!("/api/v1/reports?{bad}"), "text/plain", PYTHON),
        )
        .await
        .problem(400, "bad-query");
    }
    let kept = send(
        &app,
        post(
            "/api/v1/reports?runtime=scratch&cache_mounts=true&redact=false",
            "text/plain",
            GO,
        ),
    )
    .await
    .json();
    assert_eq!(kept["options"]["runtime"], "scratch");
    assert_eq!(kept["options"]["cache_mounts"], true);
    // A route that takes no parameters refuses them, as the others refuse
    // unknown ones.
    let id = kept["id"].as_str().unwrap_or_default();
    send(
        &app,
        get(&format!("/api/v1/reports/{id}/dockerfile?format=sarif")),
    )
    .await
    .problem(400, "bad-query");
    let dockerfile = send(&app, get(&format!("/api/v1/reports/{id}/dockerfile"))).await;
    assert_eq!(dockerfile.status, StatusCode::OK);
}

fn with_host(uri: &str, host: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::HOST, host)
        .body(Body::empty())
        .expect("request")
}

/// SARIF 2.1.0 wants absolute URIs for `helpUri` and `informationUri`:
/// the public URL when one is configured, else the address the request
/// was sent to.
#[tokio::test]
async fn sarif_links_rules_with_absolute_uris() {
    let path = temp_db("sarif-uris");
    let app = app(&path).await;
    let id = create(&app, PYTHON, "svc").await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let sarif = send(
        &app,
        with_host(
            &format!("/api/v1/reports/{id}?format=sarif"),
            "restage.internal:8080",
        ),
    )
    .await
    .json();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], "http://restage.internal:8080");
    let help = driver["rules"][0]["helpUri"].as_str().expect("helpUri");
    assert!(
        help.starts_with("http://restage.internal:8080/rules/"),
        "{help}"
    );
    // The same for lint.
    let lint = send(
        &app,
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/lint?format=sarif")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("FROM alpine\nWORKDIR app\n"))
            .expect("request"),
    )
    .await
    .json();
    assert_eq!(
        lint["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"],
        "http://127.0.0.1:8080/rules/DL3000"
    );
    // A Host that is not a host name and port is not copied into links.
    let odd = send(
        &app,
        with_host(
            &format!("/api/v1/reports/{id}?format=sarif"),
            "evil.example/x?\"<",
        ),
    )
    .await
    .json();
    let home = odd["runs"][0]["tool"]["driver"]["informationUri"]
        .as_str()
        .expect("informationUri");
    assert_eq!(home, "http://127.0.0.1:8080", "the bind address");
    drop(app);

    // The public URL wins over the request's Host.
    let config = ServeConfig {
        public_url: "https://restage.example.com/".into(),
        ..ServeConfig::default()
    };
    let (app, _) = app_with(&path, config).await;
    let sarif = send(
        &app,
        with_host(&format!("/api/v1/reports/{id}?format=sarif"), "other:1"),
    )
    .await
    .json();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], "https://restage.example.com");
    assert!(
        driver["rules"][0]["helpUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://restage.example.com/rules/")),
        "{driver}"
    );
}

/// A name of only spaces is no name, on every way in.
#[tokio::test]
async fn blank_names_are_no_names() {
    let path = temp_db("blank-names");
    let app = app(&path).await;
    let json_blank = create(&app, PYTHON, "    ").await;
    assert_eq!(json_blank["name"], Value::Null, "{json_blank}");
    let padded = create(&app, PYTHON, "  web  ").await;
    assert_eq!(padded["name"], "web");
    let query = send(
        &app,
        post("/api/v1/reports?name=%20%20%20", "text/plain", PYTHON),
    )
    .await;
    assert_eq!(query.status, StatusCode::CREATED);
    assert_eq!(query.json()["name"], Value::Null);
    let id = json_blank["id"].as_str().expect("id");
    let page = send(
        &app,
        Request::builder()
            .uri(format!("/r/{id}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(!page.text().contains("<title>    ·"), "{}", page.text());
    assert!(!page.text().contains("<h1></h1>"));
    let list = send(&app, get("/api/v1/reports")).await.json();
    let names: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| &i["name"])
        .collect();
    assert_eq!(names, [&Value::Null, &json!("web"), &Value::Null]);
}

/// Outside `/api/`, an unknown address is the HTML "Not found" page, as
/// an unknown report is; under `/api/` it stays a problem.
#[tokio::test]
async fn unknown_paths_outside_the_api_are_pages() {
    let path = temp_db("unknown-paths");
    let app = app(&path).await;
    for uri in ["/nope", "/r/abc", "/healthz/x"] {
        let page = send(&app, get(uri)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(page.content_type, "text/html; charset=utf-8", "{uri}");
        assert!(page.text().contains("Not found"), "{uri}");
    }
    send(&app, get("/api/nope")).await.problem(404, "not-found");
    send(&app, get("/api/v1/nope"))
        .await
        .problem(404, "not-found");
}

/// Reports whose ecosystem restage does not recognise have `null` in JSON
/// and are listed with `ecosystem=unknown`, the word the UI and the text
/// report use.
#[tokio::test]
async fn the_unknown_ecosystem_filter_lists_unrecognised_reports() {
    let path = temp_db("unknown-ecosystem");
    let app = app(&path).await;
    let odd = create(&app, "FROM alpine\nCOPY\n", "odd").await;
    assert_eq!(odd["summary"]["ecosystem"], Value::Null, "{odd}");
    create(&app, PYTHON, "py").await;
    let list = send(&app, get("/api/v1/reports?ecosystem=unknown"))
        .await
        .json();
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["name"], "odd");
    let text = send(
        &app,
        get(&format!(
            "/api/v1/reports/{}?format=text",
            odd["id"].as_str().expect("id")
        )),
    )
    .await;
    assert!(
        text.text().contains("ecosystem: unknown\n"),
        "{}",
        text.text()
    );
    let doc = send(&app, get("/api/openapi.json")).await.json();
    let params = doc["paths"]["/api/v1/reports"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let ecosystem = params
        .iter()
        .find(|p| p["name"] == "ecosystem")
        .expect("the ecosystem parameter");
    assert!(
        ecosystem["description"]
            .as_str()
            .is_some_and(|d| d.contains("`unknown`")),
        "{ecosystem}"
    );
}

/// An already multi-stage Go build (`golang` builder, `FROM scratch`) is
/// found by the Go filter of the list, as the history page's filter finds it.
#[tokio::test]
async fn multi_stage_go_builds_are_listed_as_go() {
    let app = app(&temp_db("eco")).await;
    let go = create(
        &app,
        "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\nFROM scratch\nCOPY --from=builder /app/server /server\nCMD [\"/server\"]\n",
        "go-ms",
    )
    .await;
    assert_eq!(go["summary"]["ecosystem"], "go", "{go}");
    let go_only = send(&app, get("/api/v1/reports?ecosystem=go")).await.json();
    assert_eq!(go_only["items"][0]["name"], "go-ms", "{go_only}");
    let generic = send(&app, get("/api/v1/reports?ecosystem=generic"))
        .await
        .json();
    assert_eq!(generic["items"].as_array().map(Vec::len), Some(0));
}
