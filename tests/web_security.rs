//! Web security over a real socket (what a browser or an attacker sends,
//! unnormalised): security headers on every route, stored XSS in every
//! field the UI shows, SQL metacharacters, path traversal, and every
//! token-protected route without, with a wrong and with a right token.
//! `tests/ui.rs` and `tests/api.rs` cover the in-process basics.

mod process;

use process::{Response, Server, enc, request};

const PYTHON: &str = "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";

const XSS: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
];

fn assert_headers(r: &Response, what: &str) {
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("default-src 'self'"), "{what}: CSP {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
}

fn assert_escaped(html: &str, what: &str) {
    for raw in ["<script>alert", "<img src=x", "</textarea><script>"] {
        assert!(!html.contains(raw), "{what}: `{raw}` came back raw");
    }
    assert!(
        !html.contains("href=\"javascript:"),
        "{what}: a javascript: link"
    );
}

#[test]
fn headers_xss_sql_and_traversal() {
    let server = Server::start("websec", &[]);
    // A stored report with hostile text in every field the UI shows.
    let mut manifests = serde_json::Map::new();
    manifests.insert("requirements.txt".into(), XSS.join("\n").into());
    manifests.insert("package.json".into(), XSS[1].into());
    let dockerfile = format!(
        "FROM python:3.12\nLABEL a=\"{}\"\n# {}\nRUN echo '{}'\nCMD [\"python\", \"app.py\"]\n",
        XSS[1].replace('"', "\\\""),
        XSS[0],
        XSS[3]
    );
    let body = serde_json::json!({
        "dockerfile": dockerfile,
        "name": XSS.join(" "),
        "manifests": manifests,
    });
    let created = server.post(
        "/api/v1/reports",
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_str().expect("id").to_string();

    let pages = [
        "/".to_string(),
        format!("/r/{id}"),
        format!("/history?q={}", enc(XSS[0])),
        format!("/history?q={}&ecosystem={}", enc(XSS[1]), enc(XSS[3])),
        format!("/rules/{}", enc(XSS[0])),
        format!("/login?next={}", enc(XSS[2])),
        "/rules".to_string(),
        "/api".to_string(),
    ];
    for page in &pages {
        let r = request(server.addr, "GET", page, &[("Accept", "text/html")], b"");
        assert!(r.status == 200 || r.status == 404, "{page}: {}", r.status);
        assert_headers(&r, page);
        assert_escaped(&r.text(), page);
    }
    let report = server.get(&format!("/r/{id}")).text();
    assert!(
        report.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "name escaped"
    );
    // The form on the page is refilled only on errors; a hostile paste shown
    // again is escaped too.
    let again = server.post(
        "/reports",
        "application/x-www-form-urlencoded",
        format!(
            "dockerfile={}&manifest:requirements.txt={}",
            enc(&format!("FROM alpine\nRUN <<EOF\n{}\n", XSS[3])),
            enc(XSS[3])
        )
        .as_bytes(),
    );
    assert_eq!(again.status, 400, "{}", again.text());
    assert_escaped(&again.text(), "the form shown again");

    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/openapi.json",
        "/api/v1/rules",
        "/api/v1/images",
        "/api/v1/reports",
        &format!("/api/v1/reports/{id}"),
        &format!("/api/v1/reports/{id}/dockerfile"),
        "/static/restage.css",
        "/nowhere",
    ] {
        assert_headers(&server.get(path), path);
    }
    assert_headers(
        &server.post("/api/v1/lint", "text/plain", PYTHON.as_bytes()),
        "lint",
    );

    // SQL metacharacters: parameters, not SQL; the table stays whole.
    for q in ["' OR 1=1 --", "%", "_", "\"; DROP TABLE reports; --", "\\"] {
        for param in ["q", "ecosystem"] {
            let r = server.get(&format!("/api/v1/reports?{param}={}", enc(q)));
            assert_eq!(r.status, 200, "{param}={q}");
            assert_eq!(r.json()["items"], serde_json::json!([]), "{param}={q}");
            let h = server.get(&format!("/history?{param}={}", enc(q)));
            assert_eq!(h.status, 200, "history {param}={q}");
        }
        for method in ["GET", "DELETE"] {
            let r = request(
                server.addr,
                method,
                &format!("/api/v1/reports/{}", enc(q)),
                &[],
                b"",
            );
            r.problem(404, "not-found");
        }
    }
    let cursor = server.get(&format!("/api/v1/reports?cursor={}", enc("1 OR 1=1")));
    cursor.problem(400, "bad-query");
    let list = server.get("/api/v1/reports").json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Path traversal on the static route, sent unnormalised.
    for path in [
        "/static/../Cargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/..%2fCargo.toml",
        "/static/..%5cCargo.toml",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/restage.css/../../Cargo.toml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("[package]"), "{path}");
    }
}

#[test]
fn every_protected_route_needs_the_right_token() {
    let token = "rst_websec_right";
    let server = Server::start_with("websec-tokens", &[], &[("RESTAGE_API_TOKENS", token)]);
    let right = format!("Bearer {token}");
    let created = request(
        server.addr,
        "POST",
        "/api/v1/reports",
        &[("Content-Type", "text/plain"), ("Authorization", &right)],
        PYTHON.as_bytes(),
    );
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_str().expect("id").to_string();
    let routes: Vec<(&str, String, &str, Vec<u8>)> = vec![
        (
            "POST",
            "/api/v1/reports".into(),
            "text/plain",
            PYTHON.into(),
        ),
        ("GET", "/api/v1/reports".into(), "", Vec::new()),
        ("DELETE", format!("/api/v1/reports/{id}"), "", Vec::new()),
    ];
    for (method, path, ct, body) in &routes {
        let mut headers = vec![];
        if !ct.is_empty() {
            headers.push(("Content-Type", *ct));
        }
        let none = request(server.addr, method, path, &headers, body);
        none.problem(401, "unauthorized");
        assert!(none.header("www-authenticate").is_some());
        let mut wrong = headers.clone();
        wrong.push(("Authorization", "Bearer rst_wrong"));
        request(server.addr, method, path, &wrong, body).problem(401, "unauthorized");
        let mut cookie_wrong = headers.clone();
        cookie_wrong.push(("Cookie", "restage_token=rst_wrong"));
        request(server.addr, method, path, &cookie_wrong, body).problem(401, "unauthorized");
        let mut ok = headers.clone();
        ok.push(("Authorization", &right));
        let r = request(server.addr, method, path, &ok, body);
        assert!(
            matches!(r.status, 200 | 201 | 204),
            "{method} {path}: {}",
            r.status
        );
    }
    // UI routes: without or with a wrong cookie, the history redirects to
    // sign in and the paste form comes back asking for a token (nothing
    // stored); with the right cookie, the page or the new report.
    let cookie_right = format!("restage_token={token}");
    for (method, path, body) in [
        ("GET", "/history", Vec::new()),
        (
            "POST",
            "/reports",
            format!("dockerfile={}", enc(PYTHON)).into_bytes(),
        ),
    ] {
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        for cookie in [None, Some("restage_token=rst_wrong")] {
            let mut headers = form.to_vec();
            if let Some(c) = cookie {
                headers.push(("Cookie", c));
            }
            let r = request(server.addr, method, path, &headers, &body);
            if path == "/reports" {
                assert_eq!(r.status, 401, "{method} {path} {cookie:?}");
                assert!(r.header("location").is_none());
                assert!(r.header("set-cookie").is_none());
                assert!(r.text().contains("name=\"token\""), "{path}");
                continue;
            }
            assert_eq!(r.status, 303, "{method} {path} {cookie:?}");
            assert!(
                r.header("location")
                    .is_some_and(|l| l.starts_with("/login")),
                "{method} {path}"
            );
        }
        let mut headers = form.to_vec();
        headers.push(("Cookie", &cookie_right));
        let r = request(server.addr, method, path, &headers, &body);
        assert!(
            matches!(r.status, 200 | 303),
            "{method} {path}: {}",
            r.status
        );
        if r.status == 303 {
            assert!(r.header("location").is_some_and(|l| l.starts_with("/r/")));
        }
    }
    let wrong_login = server.post(
        "/login",
        "application/x-www-form-urlencoded",
        b"token=rst_wrong&next=/history",
    );
    assert_eq!(wrong_login.status, 401);
    assert!(wrong_login.header("set-cookie").is_none());
    // Reads by id stay open; lint and convert store nothing and stay open.
    let created = request(
        server.addr,
        "POST",
        "/api/v1/reports",
        &[("Content-Type", "text/plain"), ("Authorization", &right)],
        PYTHON.as_bytes(),
    );
    let id = created.json()["id"].as_str().expect("id").to_string();
    assert_eq!(server.get(&format!("/api/v1/reports/{id}")).status, 200);
    assert_eq!(server.get(&format!("/r/{id}")).status, 200);
    assert_eq!(
        server
            .post("/api/v1/lint", "text/plain", PYTHON.as_bytes())
            .status,
        200
    );
}
