//! Hostile requests against the real `restage serve` over TCP: each gets
//! the right 4xx quickly as problem+json (or the form again), the service
//! keeps answering other clients meanwhile, slow and idle connections are
//! cut off by the header timeout, and resident memory stays under
//! [`RSS_BOUND_MIB`] (SECURITY.md, "Hostile input").

mod process;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use process::{Response, Server, enc, exchange, request};
use serde_json::json;

/// Resident memory the server may use after the hostile batch (debug
/// build; measured 96 MiB, peak 100 MiB).
const RSS_BOUND_MIB: u64 = 200;

/// What "quickly" means in a debug build on two shared CPUs.
const QUICK: Duration = Duration::from_secs(10);

const PYTHON: &str = "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";

fn json_body(dockerfile: &str) -> Vec<u8> {
    json!({ "dockerfile": dockerfile }).to_string().into_bytes()
}

fn form_body(dockerfile: &str) -> Vec<u8> {
    format!("dockerfile={}&name=hostile", enc(dockerfile)).into_bytes()
}

/// Runs `hostile` while another client checks `/healthz` and a normal
/// lint request; asserts those kept answering, each quickly, and that the
/// hostile answer came quickly too.
fn while_others_are_served(server: &Server, hostile: impl FnOnce() -> Response) -> Response {
    let done = Arc::new(AtomicBool::new(false));
    let addr = server.addr;
    let checker = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let mut rounds = 0;
            loop {
                let start = Instant::now();
                let health = request(addr, "GET", "/healthz", &[], b"");
                assert_eq!(health.status, 200, "healthz during a hostile request");
                let lint = request(
                    addr,
                    "POST",
                    "/api/v1/lint",
                    &[("Content-Type", "text/plain")],
                    b"FROM alpine:3.20\nCMD [\"true\"]\n",
                );
                assert_eq!(lint.status, 200, "a normal lint: {}", lint.text());
                assert!(start.elapsed() < QUICK, "others wait {:?}", start.elapsed());
                rounds += 1;
                if done.load(Ordering::SeqCst) {
                    return rounds;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let start = Instant::now();
    let response = hostile();
    let took = start.elapsed();
    done.store(true, Ordering::SeqCst);
    let rounds = checker.join().expect("the checking client");
    assert!(rounds >= 1);
    assert!(took < QUICK, "the hostile request took {took:?}");
    response
}

#[test]
fn hostile_bodies_get_quick_4xx_and_memory_stays_bounded() {
    let server = Server::start("hostile-batch", &[]);
    let long_line = format!("FROM alpine\nRUN echo {}\n", "a".repeat(1024 * 1024));
    let many_lines = format!("FROM alpine\n{}", "RUN a\n".repeat(100_000));
    let stages: String = (0..10_000)
        .map(|i| format!("FROM alpine AS s{i}\nRUN echo {i}\n"))
        .collect();

    // Over the 256 KiB body limit: 413 on every route, form included.
    for (what, body) in [
        ("one 1 MiB line", &long_line),
        ("100,000 short lines", &many_lines),
        ("10,000 stages", &stages),
    ] {
        for path in ["/api/v1/reports", "/api/v1/lint", "/api/v1/convert"] {
            let r = while_others_are_served(&server, || {
                server.post(path, "text/plain", body.as_bytes())
            });
            let p = r.problem(413, "too-large");
            assert!(
                p["detail"].as_str().is_some_and(|d| d.contains("262144")),
                "{what}: {p}"
            );
            server
                .post(path, "application/json", &json_body(body))
                .problem(413, "too-large");
        }
        // The form allows room for manifests; the Dockerfile limit still holds.
        let r = while_others_are_served(&server, || {
            server.post(
                "/reports",
                "application/x-www-form-urlencoded",
                &form_body(body),
            )
        });
        assert_eq!(r.status, 413, "{what} through the form");
        assert!(r.text().contains("over the limit"), "{what}");
    }

    // A chunked body without a length is cut off at the limit too.
    let mut chunked = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        long_line.len()
    )
    .into_bytes();
    chunked.extend_from_slice(long_line.as_bytes());
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    exchange(server.addr, &chunked).problem(413, "too-large");

    // Within the limit and hard for the analysis: analysed, quickly.
    let continuation = format!(
        "FROM alpine\nRUN echo start \\\n{}  && true\n",
        (0..5_000)
            .map(|i| format!("  && echo {i} \\\n"))
            .collect::<String>()
    );
    let heredocs: String = std::iter::once("FROM alpine\n".to_string())
        .chain((0..3_000).map(|i| format!("RUN <<EOF{i}\necho {i}\nEOF{i}\n")))
        .collect();
    // What fuzzing found in the shell parser: unclosed parentheses and
    // unclosed `case` statements took time exponential in their number
    // (the analysis workers would stay busy for days, one per request;
    // 24 `case`s in 1.8 KB took over two minutes), a file descriptor
    // number past i32 made it panic, and a here-document with an empty
    // delimiter made its tokenizer take memory without bound (gigabytes a
    // second: the service would be killed).
    let parentheses: String = std::iter::once("FROM alpine\n".to_string())
        .chain((0..4).map(|_| format!("RUN x && {} y\n", "(".repeat(60))))
        .chain(std::iter::once(format!("RUN {}\n", "((x ".repeat(30))))
        .chain(std::iter::once(format!(
            "RUN true{}\n",
            " && case \"$a\" in x) B=1 && if [ -n \"$c\" ]; then echo".repeat(40)
        )))
        .chain(std::iter::once("RUN echo 99999999999>x\n".to_string()))
        .chain(std::iter::once("RUN x <<'' #\n".to_string()))
        .chain(std::iter::once("RUN x <<\u{c}<#\n".to_string()))
        .collect();
    // What fuzzing found in variable expansion: a value that doubles or
    // squares on every ENV took gigabytes (the service was killed), and
    // one that grows by a few bytes on each of thousands of ENVs kept a
    // quadratic amount of text (100 KB of them held 480 MB).
    // (Each is its own file: the first expansion past the bound ends a
    // file's resolution.)
    let env_lines = |first: &str, line: &str, n: usize| -> String {
        std::iter::once(format!("FROM alpine\nENV {first}\n"))
            .chain((0..n).map(|_| format!("ENV {line}\n")))
            .collect()
    };
    let doubling = env_lines("A=ab", "A=$A$A", 40);
    let squaring = env_lines("B=xxxxxxxxxx", "B=${B//x/$B}", 6);
    let growing = env_lines("P=/bin", "P=$P:abcdefghij", 5_000);
    for (what, body) in [
        ("a continuation of 5,000 lines", &continuation),
        ("3,000 heredocs", &heredocs),
        ("what fuzzing found in the shell parser", &parentheses),
        ("a value doubled by 40 ENVs", &doubling),
        ("a value squared by 6 ENVs", &squaring),
        ("a value grown by 5,000 ENVs", &growing),
    ] {
        stored_as_sent(&server, what, body);
    }
    // Not text.
    let invalid_utf8 = b"FROM alpine\nRUN echo \xff\xfe\n";
    let p = server
        .post("/api/v1/reports", "text/plain", invalid_utf8)
        .problem(400, "invalid-dockerfile");
    assert_eq!(
        (p["line"].clone(), p["column"].clone()),
        (json!(2), json!(10))
    );
    server
        .post("/api/v1/lint", "text/plain", invalid_utf8)
        .problem(400, "invalid-dockerfile");
    let mut bad_json = b"{\"dockerfile\": \"FROM a\n".to_vec();
    bad_json.extend_from_slice(b"\xff\"}");
    server
        .post("/api/v1/reports", "application/json", &bad_json)
        .problem(400, "malformed-json");
    // A multipart upload that is not UTF-8: the form again, 400.
    let mut multipart = b"--b\r\nContent-Disposition: form-data; name=\"dockerfile_file\"; filename=\"Dockerfile\"\r\n\r\n".to_vec();
    multipart.extend_from_slice(invalid_utf8);
    multipart.extend_from_slice(b"\r\n--b--\r\n");
    let form = server.post("/reports", "multipart/form-data; boundary=b", &multipart);
    assert_eq!(form.status, 400, "{}", form.text());
    assert!(form.text().contains("not UTF-8"), "{}", form.text());
    // A urlencoded form is decoded as browsers encode it: an invalid
    // escape becomes U+FFFD (the report is stored, nothing breaks).
    let form = server.post(
        "/reports",
        "application/x-www-form-urlencoded",
        b"dockerfile=FROM%20alpine%0ARUN%20echo%20%FF%0A",
    );
    assert_eq!(form.status, 303, "{}", form.text());

    // NUL bytes, raw and in JSON.
    let p = server
        .post("/api/v1/reports", "text/plain", b"FROM alpine\nRUN a\0b\n")
        .problem(400, "invalid-dockerfile");
    assert_eq!(p["line"], 2);
    server
        .post(
            "/api/v1/lint",
            "application/json",
            &json_body("FROM alpine\n\0\n"),
        )
        .problem(400, "invalid-dockerfile");

    // Deeply nested JSON: the request's shape is fixed, so the first
    // nested value is the wrong type and is refused there (422, or 400
    // where the parser cannot even start the value): nothing recurses.
    let nested = "[".repeat(100_000);
    server
        .post("/api/v1/reports", "application/json", nested.as_bytes())
        .problem(422, "invalid-request");
    let nested_option = format!("{{\"dockerfile\": \"FROM a\\n\", \"options\": {nested}");
    server
        .post("/api/v1/lint", "application/json", nested_option.as_bytes())
        .problem(400, "malformed-json");
    let nested_objects = format!("{}1{}", "{\"a\":".repeat(20_000), "}".repeat(20_000));
    server
        .post(
            "/api/v1/reports",
            "application/json",
            nested_objects.as_bytes(),
        )
        .problem(422, "invalid-request");

    // Huge and hostile manifests: within the limit they are read (or their
    // errors reported), over it 413.
    let requirements: String = (0..10_000).map(|i| format!("pkg{i}==1.0\n")).collect();
    let manifests = json!({
        "dockerfile": PYTHON,
        "manifests": {
            "requirements.txt": requirements,
            "package.json": "[".repeat(20_000),
            "pyproject.toml": format!("a = {}", "[".repeat(20_000)),
            "pom.xml": "<a>".repeat(10_000),
        }
    });
    let r = while_others_are_served(&server, || {
        server.post(
            "/api/v1/reports",
            "application/json",
            manifests.to_string().as_bytes(),
        )
    });
    assert_eq!(r.status, 201, "{}", r.text());
    let too_big = json!({
        "dockerfile": PYTHON,
        "manifests": { "requirements.txt": "x".repeat(300 * 1024) }
    });
    server
        .post(
            "/api/v1/reports",
            "application/json",
            too_big.to_string().as_bytes(),
        )
        .problem(413, "too-large");

    // Unknown content types.
    for path in ["/api/v1/reports", "/api/v1/lint", "/api/v1/convert"] {
        server
            .post(path, "image/png", PYTHON.as_bytes())
            .problem(415, "unsupported-media-type");
    }
    let form = server.post("/reports", "image/png", PYTHON.as_bytes());
    assert_eq!(form.status, 415);

    // Nothing hostile was stored; the service is still whole.
    assert_eq!(server.get("/readyz").status, 200);
    assert_eq!(
        server
            .post("/api/v1/reports", "text/plain", PYTHON.as_bytes())
            .status,
        201
    );
    let rss_mib = server.rss_kib() / 1024;
    let peak_mib = server.peak_rss_kib() / 1024;
    eprintln!("RSS after the hostile batch: {rss_mib} MiB (peak {peak_mib} MiB)");
    assert!(
        peak_mib < RSS_BOUND_MIB,
        "peak resident memory {peak_mib} MiB is over {RSS_BOUND_MIB} MiB"
    );
}

#[test]
fn inputs_past_the_analysis_limits_are_refused_with_where() {
    // A raised body limit lets the big inputs through to the analysis.
    let server = Server::start("hostile-limits", &["--max-body-bytes", "4194304"]);
    let long_line = format!("FROM alpine\nRUN echo {}\n", "a".repeat(1024 * 1024));
    let p = server
        .post("/api/v1/reports", "text/plain", long_line.as_bytes())
        .problem(400, "invalid-dockerfile");
    // BuildKit's scanner stops before the long line and names the line
    // before it; restage says the same.
    assert!(p["line"].is_number(), "{p}");
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("65535")),
        "{p}"
    );

    // 10,000 stages, each building on the one before: over the stage limit.
    let chain: String = std::iter::once("FROM alpine AS s0\n".to_string())
        .chain(
            (1..10_000).map(|i| format!("FROM s{} AS s{i}\nCOPY --from=s{} /a /a\n", i - 1, i - 1)),
        )
        .collect();
    for path in ["/api/v1/reports", "/api/v1/lint", "/api/v1/convert"] {
        let r = while_others_are_served(&server, || {
            server.post(path, "text/plain", chain.as_bytes())
        });
        let p = r.problem(400, "invalid-dockerfile");
        assert_eq!(p["line"], 2000, "the 1,001st FROM: {p}");
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.contains("1000 stages")),
            "{p}"
        );
    }
    // 100,000 short lines: analysed.
    let many = format!("FROM alpine\n{}", "# note\n".repeat(100_000));
    let r = while_others_are_served(&server, || {
        server.post("/api/v1/lint", "text/plain", many.as_bytes())
    });
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn deeply_nested_shell_scripts_are_analysed_without_a_crash() {
    // Each level of nesting is a level of recursion in a shell reader; a
    // request's analysis runs on a runtime thread with a 2 MiB stack.
    let server = Server::start("hostile-nesting", &[]);
    let n = 30_000;
    let scripts = [
        format!("{}a\n{}", "{\n".repeat(n), "}\n".repeat(n)),
        format!(
            "{}a\n{}",
            "if b; then\n".repeat(n / 2),
            "fi\n".repeat(n / 2)
        ),
        format!("{}a\n{}", "(\n".repeat(n), ")\n".repeat(n)),
        format!("echo {}a{}\n", "$(b ".repeat(10_000), ")".repeat(10_000)),
    ];
    for script in scripts {
        let dockerfile = format!("FROM alpine\nRUN <<EOF\n{script}EOF\n");
        let r = while_others_are_served(&server, || {
            server.post("/api/v1/lint", "text/plain", dockerfile.as_bytes())
        });
        assert_eq!(r.status, 200, "{}", r.text());
    }
}

#[test]
fn a_chain_of_stages_that_copy_from_each_other_is_sized_quickly() {
    // Each COPY --from used to double the files the size estimate follows.
    let server = Server::start("hostile-chain", &[]);
    let chain: String = std::iter::once("FROM alpine AS s0\nRUN apk add curl\n".to_string())
        .chain((1..24).map(|i| format!("FROM s{} AS s{i}\nCOPY --from=s{} / /\n", i - 1, i - 1)))
        .collect();
    let r = while_others_are_served(&server, || {
        server.post("/api/v1/reports", "text/plain", chain.as_bytes())
    });
    assert_eq!(r.status, 201, "{}", r.text());
    let peak_mib = server.peak_rss_kib() / 1024;
    assert!(peak_mib < RSS_BOUND_MIB, "peak {peak_mib} MiB");
}

#[test]
fn settings_every_instruction_holds_are_shared_not_copied() {
    // Every instruction holds the USER, WORKDIR and SHELL in effect: a
    // 60 KB value before 5,000 instructions was copied into each, and
    // 20,000 relative WORKDIRs made a directory that grew on each (the
    // binary of 9157271 took 360 MB for each of the first three, 525 MB
    // for the last, through `restage report`).
    let server = Server::start("hostile-settings", &[]);
    let long_setting = |setting: String| -> String {
        std::iter::once(format!("FROM alpine\n{setting}\n"))
            .chain((0..5_000).map(|i| format!("RUN x{i}\n")))
            .collect()
    };
    let long_user = long_setting(format!("USER {}", "u".repeat(60_000)));
    let long_shell = long_setting(format!(
        "SHELL [\"/bin/sh\", \"-c\", \"{}\"]",
        "x".repeat(60_000)
    ));
    let long_workdir = long_setting(format!("WORKDIR /{}", "w/".repeat(30_000)));
    let relative_workdirs = format!("FROM alpine\n{}RUN pwd\n", "WORKDIR a\n".repeat(20_000));
    for (what, body) in [
        ("a 60 KB USER before 5,000 RUNs", &long_user),
        ("a 60 KB SHELL before 5,000 RUNs", &long_shell),
        ("a 60 KB WORKDIR before 5,000 RUNs", &long_workdir),
        ("20,000 relative WORKDIRs", &relative_workdirs),
    ] {
        stored_as_sent(&server, what, body);
    }
    // A build cannot create a directory past Linux's PATH_MAX, and the
    // directories of one file are followed up to 1 MiB in all: the lint
    // says where.
    for (body, message) in [
        (
            &long_workdir,
            "WORKDIR path longer than 4096 bytes: the build cannot create it",
        ),
        (
            &relative_workdirs,
            "WORKDIR paths over 1048576 bytes in all: restage stops following them here",
        ),
    ] {
        let r = server.post("/api/v1/lint", "text/plain", body.as_bytes());
        assert_eq!(r.status, 200);
        assert!(r.text().contains(message), "{}", r.text());
    }
    let peak_mib = server.peak_rss_kib() / 1024;
    eprintln!("peak resident memory: {peak_mib} MiB");
    assert!(peak_mib < RSS_BOUND_MIB, "peak {peak_mib} MiB");
}

/// Posts `body` as a report while other clients are served, and checks
/// that it is stored as sent.
fn stored_as_sent(server: &Server, what: &str, body: &str) {
    let r = while_others_are_served(server, || {
        server.post("/api/v1/reports", "text/plain", body.as_bytes())
    });
    assert_eq!(r.status, 201, "{what}: {}", r.text());
    assert_eq!(r.json()["dockerfile"], body, "{what} stored as sent");
}

/// Whether the server closed `stream` (end of file or a reset; a read that
/// times out means it is still open).
/// Sends `GET /healthz` on a kept-alive connection and reads the answer
/// (by its length, leaving the connection open); whether it was `200`.
fn served_keeping_alive(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    if stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut bytes = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return head.starts_with("http/1.1 200");
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return false,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
}

fn is_closed(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn slow_clients_are_cut_off_by_the_timeouts() {
    let server = Server::start(
        "hostile-slow",
        &["--header-timeout", "2s", "--request-timeout", "3s"],
    );
    // Headers one byte a second: the connection is closed after the header
    // timeout, with no request ever reaching the service.
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout");
    let start = Instant::now();
    let head = b"POST /api/v1/lint HTTP/1.1\r\nHost: x\r\n";
    let mut closed = false;
    for byte in head {
        if slow.write_all(&[*byte]).is_err() || is_closed(&mut slow) {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
        assert_eq!(server.get("/healthz").status, 200, "others are served");
    }
    assert!(
        closed,
        "a client sending headers at one byte a second is cut off"
    );
    assert!(
        start.elapsed() < QUICK,
        "cut off after {:?}",
        start.elapsed()
    );

    // Headers at once, the body one byte a second: 408 after the request
    // timeout.
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.write_all(
        b"POST /api/v1/lint HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n",
    )
    .expect("headers");
    let writer = {
        let mut slow = slow.try_clone().expect("clone");
        std::thread::spawn(move || {
            for _ in 0..8 {
                if slow.write_all(b"F").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    let start = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let r = process::read_response(&mut slow);
    r.problem(408, "timeout");
    assert!(start.elapsed() < QUICK, "408 after {:?}", start.elapsed());
    writer.join().expect("writer");
}

#[test]
fn connections_over_the_limit_get_503_and_the_rest_are_served() {
    let server = Server::start("hostile-conn-cap", &["--max-connections", "3"]);
    // Three connections, each served once and kept open, so each surely
    // holds a slot (a connection of the start-up probe may still hold one
    // for a moment: then retry).
    let mut held: Vec<TcpStream> = Vec::new();
    let deadline = Instant::now() + QUICK;
    while held.len() < 3 {
        assert!(Instant::now() < deadline, "could not open 3 connections");
        let mut stream = TcpStream::connect(server.addr).expect("connect");
        if served_keeping_alive(&mut stream) {
            held.push(stream);
        } else {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let start = Instant::now();
    let over = process::exchange(server.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    over.problem(503, "too-many-connections");
    assert_eq!(over.header("connection"), Some("close"));
    assert!(start.elapsed() < QUICK, "503 after {:?}", start.elapsed());
    // A held connection is still served.
    let mut first = held.remove(0);
    first
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    assert_eq!(process::read_response(&mut first).status, 200);
    drop(first);
    // Once one closes, a new client gets its slot (each of these closes
    // its connection too, which the server notices a moment later).
    let get_when_free = |path: &str| {
        let deadline = Instant::now() + QUICK;
        loop {
            let r = server.get(path);
            if r.status == 200 {
                return r;
            }
            assert_eq!(r.status, 503, "{}", r.text());
            assert!(Instant::now() < deadline, "no slot came free");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    get_when_free("/healthz");
    let metrics = get_when_free("/metrics").text();
    drop(held);
    let refused = metrics
        .lines()
        .find_map(|l| l.strip_prefix("restage_connections_refused_total "))
        .and_then(|v| v.trim().parse::<f64>().ok());
    assert!(refused.is_some_and(|n| n >= 1.0), "{metrics}");
}

#[test]
fn many_idle_connections_do_not_stop_other_clients() {
    let server = Server::start("hostile-idle", &["--header-timeout", "3s"]);
    let idle: Vec<TcpStream> = (0..500)
        .map(|_| TcpStream::connect(server.addr).expect("connect"))
        .collect();
    let start = Instant::now();
    assert_eq!(server.get("/healthz").status, 200);
    let r = server.post("/api/v1/reports", "text/plain", PYTHON.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(start.elapsed() < QUICK);
    // After the header timeout the server has closed every idle one.
    std::thread::sleep(Duration::from_secs(4));
    let mut closed = 0;
    for mut s in idle {
        s.set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        if is_closed(&mut s) {
            closed += 1;
        }
    }
    assert_eq!(closed, 500, "idle connections are closed by the server");
    let rss_mib = server.rss_kib() / 1024;
    assert!(rss_mib < RSS_BOUND_MIB, "{rss_mib} MiB");
    assert_eq!(server.get("/healthz").status, 200);
}
