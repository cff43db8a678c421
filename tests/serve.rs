//! `restage serve` as a process: it creates and migrates its database,
//! answers, stops cleanly on SIGTERM, and reads back what it stored after a
//! restart; `restage healthcheck` and `restage token create` work beside it.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address")
}

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("restage-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("nested.db").to_string_lossy().into_owned()
}

fn start(addr: SocketAddr, db: &str, extra: &[&str]) -> Child {
    let mut child = Command::new(support::restage_bin())
        .args(["serve", "--bind", &addr.to_string(), "--database-url", db])
        .args(extra)
        .env_remove("RESTAGE_API_TOKENS")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("restage serve starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http(addr, "GET /readyz HTTP/1.1", "", "").0 == 200 {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the service did not become ready");
}

/// One HTTP/1.1 exchange: (status, body).
fn http(addr: SocketAddr, request_line: &str, headers: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return (0, String::new());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "{request_line}\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn terminate(mut child: Child) {
    let pid = child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "stops cleanly on SIGTERM: {status}");
            return;
        }
        assert!(Instant::now() < deadline, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_service_stores_stops_cleanly_and_reads_back() {
    let db = temp_db("lifecycle");
    let addr = free_port();
    let server = start(addr, &db, &[]);
    let health = Command::new(support::restage_bin())
        .args(["healthcheck", "--bind", &addr.to_string()])
        .status()
        .expect("healthcheck runs");
    assert!(health.success());
    let (status, body) = http(
        addr,
        "POST /api/v1/reports?name=web HTTP/1.1",
        "Content-Type: text/plain\r\n",
        "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
    );
    assert_eq!(status, 201, "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let id = doc["id"].as_str().expect("id").to_string();
    terminate(server);
    let down = Command::new(support::restage_bin())
        .args(["healthcheck", "--bind", &addr.to_string()])
        .stderr(Stdio::null())
        .status()
        .expect("healthcheck runs");
    assert!(!down.success(), "healthcheck fails when nothing answers");

    let server = start(addr, &db, &[]);
    let (status, body) = http(addr, &format!("GET /api/v1/reports/{id} HTTP/1.1"), "", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"name\":\"web\""));
    terminate(server);
}

#[test]
fn stored_tokens_guard_a_running_instance() {
    let db = temp_db("tokens");
    let out = Command::new(support::restage_bin())
        .args(["token", "create", "--name", "ci", "--database-url", &db])
        .output()
        .expect("token create runs");
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("rst_"));
    let addr = free_port();
    let server = start(addr, &db, &[]);
    let dockerfile = "FROM alpine:3.20\nCMD [\"true\"]\n";
    let (status, _) = http(
        addr,
        "POST /api/v1/reports HTTP/1.1",
        "Content-Type: text/plain\r\n",
        dockerfile,
    );
    assert_eq!(status, 401);
    let (status, _) = http(
        addr,
        "POST /api/v1/reports HTTP/1.1",
        &format!("Content-Type: text/plain\r\nAuthorization: Bearer {token}\r\n"),
        dockerfile,
    );
    assert_eq!(status, 201);
    terminate(server);
    let pruned = Command::new(support::restage_bin())
        .args(["prune", "--older-than", "0s", "--database-url", &db])
        .output()
        .expect("prune runs");
    assert!(pruned.status.success());
    assert_eq!(
        String::from_utf8_lossy(&pruned.stdout).trim(),
        "1 report(s) deleted"
    );
}

#[test]
fn a_team_s_restage_toml_adds_its_images_and_lint_settings() {
    let db = temp_db("team");
    let dir = std::path::Path::new(&db)
        .parent()
        .expect("db dir")
        .to_path_buf();
    let team = dir.join("team.toml");
    std::fs::write(
        &team,
        "ignored = [\"DL3006\"]\n\n[[images]]\nname = \"registry.example.com/platform/base\"\ntag = \"2.*\"\ndisk_bytes = 250000000\npull_bytes = 90000000\nsource = \"docker images on CI\"\ndate = \"2026-10-01\"\n",
    )
    .expect("write");
    let addr = free_port();
    let server = start(addr, &db, &["--config", &team.to_string_lossy()]);

    let (status, body) = http(addr, "GET /api/v1/images HTTP/1.1", "", "");
    assert_eq!(status, 200);
    assert!(
        body.contains("registry.example.com/platform/base"),
        "{body}"
    );

    let (status, body) = http(
        addr,
        "POST /api/v1/reports HTTP/1.1",
        "Content-Type: text/plain\r\n",
        "FROM registry.example.com/platform/base:2.4\nCMD [\"/app\"]\n",
    );
    assert_eq!(status, 201, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).expect("report JSON");
    assert_eq!(
        report["size"]["before"]["stages"][0]["layers"][0]["disk"]["estimate_bytes"], 250_000_000,
        "{body}"
    );

    // The team ignores DL3006 (untagged image); a request adds DL3000.
    let lint = |query: &str| {
        http(
            addr,
            &format!("POST /api/v1/lint{query} HTTP/1.1"),
            "Content-Type: text/plain\r\n",
            "FROM ubuntu\nWORKDIR app\n",
        )
    };
    let (status, body) = lint("");
    assert_eq!(status, 200, "{body}");
    assert!(
        !body.contains("DL3006") && body.contains("DL3000"),
        "{body}"
    );
    let (status, body) = lint("?ignore=DL3000");
    assert_eq!(status, 200, "{body}");
    assert!(
        !body.contains("DL3006") && !body.contains("DL3000"),
        "{body}"
    );
    terminate(server);

    // A broken file stops the service at start with where the problem is.
    std::fs::write(
        &team,
        "[[images]]\nname = \"x\"\ntag = \"*\"\ndisk_bytes = 1\n",
    )
    .expect("write");
    let out = Command::new(support::restage_bin())
        .args([
            "serve",
            "--bind",
            &free_port().to_string(),
            "--database-url",
            &db,
        ])
        .args(["--config", &team.to_string_lossy()])
        .output()
        .expect("serve runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("team.toml") && stderr.contains("row 1"),
        "{stderr}"
    );
}
