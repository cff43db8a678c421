//! The UI in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs), driven over WebDriver
//! with fantoccini: paste → submit → the report; hostile Dockerfiles shown
//! as text; the whole flow with JavaScript off; history pagination and
//! search. Each test saves a screenshot under `target/browser/`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Browser tests share two CPUs: one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

fn wait_for_port(addr: SocketAddr, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running restage with its own database.
struct Server {
    base: String,
    _process: Process,
}

fn server(name: &str) -> Server {
    let dir = std::env::temp_dir().join(format!("restage-browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let addr = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_restage"))
        .args(["serve", "--bind", &addr.to_string(), "--database-url"])
        .arg(dir.join("restage.db"))
        .env_remove("RESTAGE_API_TOKENS")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("restage serve starts");
    let process = Process(child);
    wait_for_port(addr, "restage");
    Server {
        base: format!("http://{addr}"),
        _process: process,
    }
}

fn chromedriver() -> (Process, String) {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    assert!(
        std::path::Path::new(&binary).exists(),
        "{binary} is missing: install Debian's chromium and chromium-driver (scripts/test does)"
    );
    let addr = free_port();
    let child = Command::new(&binary)
        .arg(format!("--port={}", addr.port()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let process = Process(child);
    wait_for_port(addr, "chromedriver");
    (process, format!("http://{addr}"))
}

async fn browser(driver: &str, javascript: bool) -> Client {
    let mut options = chromium_options("--window-size=1280,2000");
    if !javascript {
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    session(driver, options).await
}

/// A phone: 390 CSS pixels wide, with Chromium's mobile emulation (the
/// viewport meta tag applies, as on a real phone).
async fn phone(driver: &str) -> Client {
    let mut options = chromium_options("--window-size=390,844");
    options["mobileEmulation"] = json!({
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0, "mobile": true, "touch": true}
    });
    session(driver, options).await
}

fn chromium_options(window_size: &str) -> Value {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    json!({
        "binary": chromium,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", window_size],
    })
}

async fn session(driver: &str, options: Value) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("a Chromium session")
}

async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("save screenshot");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
        .text()
        .await
        .expect("text")
}

/// Pastes `dockerfile` and a name into the form and submits it.
async fn paste_and_submit(client: &Client, base: &str, name: &str, dockerfile: &str) {
    client.goto(&format!("{base}/")).await.expect("home page");
    client
        .find(Locator::Id("dockerfile"))
        .await
        .expect("paste area")
        .send_keys(dockerfile)
        .await
        .expect("typed");
    client
        .find(Locator::Id("name"))
        .await
        .expect("name field")
        .send_keys(name)
        .await
        .expect("typed");
    client
        .find(Locator::Css("form.paste button[type=submit]"))
        .await
        .expect("submit button")
        .click()
        .await
        .expect("submitted");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = client.current_url().await.expect("url");
        if url.path().starts_with("/r/") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no report page after submitting; at {url}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const PYTHON: &str = "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD [\"python\", \"main.py\"]\n";

#[tokio::test]
async fn paste_submit_and_read_the_report() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("report");
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, true).await;
    paste_and_submit(&client, &server.base, "payments-api", PYTHON).await;
    assert_eq!(text_of(&client, "h1").await, "payments-api");
    let band = text_of(&client, ".band").await;
    assert!(
        band.contains("python") && band.contains("Multi-stage"),
        "{band}"
    );
    // The size tables: before and after, both units, with bars.
    let compare = text_of(&client, "#sizes table.compare").await;
    assert!(
        compare.contains("Before") && compare.contains("After") && compare.contains("MB"),
        "{compare}"
    );
    let saving = text_of(&client, ".band .saving").await;
    assert!(saving.ends_with("% smaller"), "{saving}");
    assert!(
        client
            .find_all(Locator::Css(
                "#size-after + p + .table-wrap svg.bar, #sizes svg.bar rect"
            ))
            .await
            .expect("bars")
            .len()
            > 2
    );
    // The diff: the original's FROM on the left, the runtime stage on the right.
    let removed = text_of(&client, "tr.d-replace td.o, tr.d-delete td.o").await;
    assert!(removed.contains("FROM python:3.12"), "{removed}");
    let added = client
        .find_all(Locator::Css("tr.d-insert td.c, tr.d-replace td.c"))
        .await
        .expect("diff rows");
    let mut right = String::new();
    for cell in added {
        right.push_str(&cell.text().await.expect("text"));
        right.push('\n');
    }
    assert!(right.contains("AS runtime"), "{right}");
    // Findings link to their rule and to their line in the original.
    let finding = client
        .find(Locator::Css(".finding a.where"))
        .await
        .expect("a finding");
    let target = finding
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(target.starts_with("#L"), "{target}");
    client
        .find(Locator::Css(&format!("ol.code li{target}")))
        .await
        .expect("the line it points at");
    // JavaScript adds the copy buttons.
    let copy = client
        .find(Locator::Css("[data-copy='#converted-text']"))
        .await
        .expect("copy button");
    assert!(copy.is_displayed().await.expect("displayed"));
    // The permanent link (which Copy link copies) is a full URL, though
    // the server has no --public-url.
    let url = client.current_url().await.expect("url");
    let permalink = client
        .find(Locator::Id("permalink"))
        .await
        .expect("permanent link")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(permalink, format!("{}{}", server.base, url.path()));
    // The browser sent the text area's lines with CRLF; the report keeps
    // the file's LF.
    let stored = get_json(
        &server.base,
        &format!("/api/v1/reports/{}", url.path().trim_start_matches("/r/")),
    );
    assert_eq!(stored["dockerfile"], PYTHON);
    assert!(
        stored["conversion"]["dockerfile"]
            .as_str()
            .is_some_and(|d| !d.contains('\r')),
        "{stored}"
    );
    // The download is the converted Dockerfile.
    let href = client
        .find(Locator::Css("a[download]"))
        .await
        .expect("download link")
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(href.ends_with("/Dockerfile"), "{href}");
    screenshot(&client, "report").await;
    client.close().await.expect("closed");
}

#[tokio::test]
async fn hostile_dockerfiles_show_as_text_and_run_nothing() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("xss");
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, true).await;
    let payload = "FROM alpine:3.20\nLABEL x=\"<script>window.__pwned=1</script>\"\nRUN echo '\"><img src=x onerror=\"window.__pwned=2\">'\nCMD [\"sh\", \"-c\", \"echo </textarea><script>window.__pwned=3</script>\"]\n";
    paste_and_submit(
        &client,
        &server.base,
        "<img src=x onerror=\"window.__pwned=4\">",
        payload,
    )
    .await;
    let pwned = client
        .execute("return window.__pwned === undefined;", vec![])
        .await
        .expect("script runs");
    assert_eq!(pwned, Value::Bool(true), "a pasted payload ran");
    assert!(
        client
            .find_all(Locator::Css("main img, main script"))
            .await
            .expect("query")
            .is_empty(),
        "pasted markup became elements"
    );
    let heading = text_of(&client, "h1").await;
    assert_eq!(heading, "<img src=x onerror=\"window.__pwned=4\">");
    let original = text_of(&client, "#original").await;
    assert!(
        original.contains("<script>window.__pwned=1</script>"),
        "{original}"
    );
    // The history lists it by name, as text.
    client
        .goto(&format!("{}/history", server.base))
        .await
        .expect("history");
    let row = text_of(&client, "table.history tbody").await;
    assert!(row.contains("<img src=x"), "{row}");
    let still = client
        .execute("return window.__pwned === undefined;", vec![])
        .await
        .expect("script runs");
    assert_eq!(still, Value::Bool(true));
    screenshot(&client, "hostile").await;
    client.close().await.expect("closed");
}

#[tokio::test]
async fn everything_works_without_javascript() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("nojs");
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, false).await;
    paste_and_submit(
        &client,
        &server.base,
        "no-js",
        "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/server\nEXPOSE 8080\nCMD [\"/app\"]\n",
    )
    .await;
    assert_eq!(text_of(&client, "h1").await, "no-js");
    // Without JavaScript, copy buttons stay hidden; download and plain text remain.
    let copy = client
        .find(Locator::Css("[data-copy='#converted-text']"))
        .await
        .expect("copy button in the markup");
    assert!(!copy.is_displayed().await.expect("displayed?"));
    client
        .find(Locator::Css("details.plain-text summary"))
        .await
        .expect("plain text disclosure")
        .click()
        .await
        .expect("opens");
    let converted = text_of(&client, "#converted-text").await;
    assert!(
        converted.contains("FROM scratch") || converted.contains("distroless"),
        "{converted}"
    );
    // Run again with other options: a new report.
    let first = client.current_url().await.expect("url");
    client
        .find(Locator::Css("#rerun-runtime option[value='alpine']"))
        .await
        .expect("alpine option")
        .click()
        .await
        .expect("chosen");
    client
        .find(Locator::Css("form.rerun button[type=submit]"))
        .await
        .expect("run again")
        .click()
        .await
        .expect("submitted");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = client.current_url().await.expect("url");
        if url.path().starts_with("/r/") && url != first {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "run again did not make a new report"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let selected = client
        .find(Locator::Css("#rerun-runtime option[selected]"))
        .await
        .expect("selected runtime")
        .attr("value")
        .await
        .expect("value");
    assert_eq!(selected.as_deref(), Some("alpine"));
    screenshot(&client, "no-javascript").await;
    client.close().await.expect("closed");
}

/// A `GET` over a plain socket, answered in JSON.
fn get_json(base: &str, path: &str) -> Value {
    let addr = base.trim_start_matches("http://");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut stream = TcpStream::connect(addr).expect("connect");
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("send");
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Stores a report through the API; its id.
fn post_report(base: &str, name: &str, dockerfile: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let body = json!({"dockerfile": dockerfile, "name": name}).to_string();
    let request = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect");
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("send");
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json: Value = serde_json::from_str(body).unwrap_or_default();
    json["id"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn history_pages_and_searches() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("history");
    for i in 0..23 {
        post_report(
            &server.base,
            &format!("svc-{i:02}"),
            "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        );
    }
    post_report(
        &server.base,
        "gateway",
        "FROM golang:1.22\nCOPY . .\nRUN go build -o /gw .\nCMD [\"/gw\"]\n",
    );
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, true).await;
    client
        .goto(&format!("{}/history", server.base))
        .await
        .expect("history");
    let rows = client
        .find_all(Locator::Css("table.history tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 20);
    assert!(
        text_of(&client, "table.history tbody tr")
            .await
            .contains("gateway"),
        "newest first"
    );
    client
        .find(Locator::Css("a[rel=next]"))
        .await
        .expect("older link")
        .click()
        .await
        .expect("next page");
    let rows = client
        .find_all(Locator::Css("table.history tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 4);
    assert!(
        client.find(Locator::Css("a[rel=next]")).await.is_err(),
        "no page after the last"
    );
    // And back to the newer page.
    client
        .find(Locator::Css("a[rel=prev]"))
        .await
        .expect("newer link")
        .click()
        .await
        .expect("newer page");
    let rows = client
        .find_all(Locator::Css("table.history tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 20);
    // Search by name, then by ecosystem.
    client
        .goto(&format!("{}/history", server.base))
        .await
        .expect("history");
    let q = client.find(Locator::Id("q")).await.expect("search box");
    q.send_keys("svc-1").await.expect("typed");
    client
        .find(Locator::Css("form.search button"))
        .await
        .expect("search button")
        .click()
        .await
        .expect("searched");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rows = client
        .find_all(Locator::Css("table.history tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 10, "svc-10 to svc-19");
    client
        .goto(&format!("{}/history?ecosystem=go", server.base))
        .await
        .expect("filtered");
    let body = text_of(&client, "table.history tbody").await;
    assert!(body.contains("gateway") && !body.contains("svc-"), "{body}");
    screenshot(&client, "history").await;
    client.close().await.expect("closed");
}

/// `[scrollWidth, innerWidth]` of the page.
async fn page_widths(client: &Client) -> (u64, u64) {
    let widths = client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("script runs");
    let at = |i: usize| widths.get(i).and_then(Value::as_u64).unwrap_or(u64::MAX);
    (at(0), at(1))
}

/// How many of the elements `css` matches end right of the viewport.
async fn beyond_the_right_edge(client: &Client, css: &str) -> u64 {
    client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).length;",
            vec![json!(css)],
        )
        .await
        .expect("script runs")
        .as_u64()
        .unwrap_or(u64::MAX)
}

#[tokio::test]
async fn every_page_fits_a_phone_and_its_figures_are_in_view() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("phone");
    let converted = post_report(&server.base, "converted", PYTHON);
    let refused = post_report(
        &server.base,
        "refused",
        "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y gcc\nCMD [\"bash\"]\n",
    );
    let lean = post_report(
        &server.base,
        "lean",
        "FROM mycorp/base:1 AS builder\nRUN pip install flask==3.0.0\nFROM builder\nCOPY app.py /app/app.py\nCMD [\"python\", \"/app/app.py\"]\n",
    );
    let (_driver, driver_url) = chromedriver();
    let client = phone(&driver_url).await;
    for path in [
        format!("/r/{converted}"),
        format!("/r/{refused}"),
        format!("/r/{lean}"),
        "/rules/DL3008".to_string(),
        "/rules".to_string(),
        "/api".to_string(),
        "/history".to_string(),
    ] {
        client
            .goto(&format!("{}{path}", server.base))
            .await
            .expect("page");
        // A page wider than the phone zooms the layout viewport out.
        let (scroll, inner) = page_widths(&client).await;
        assert_eq!(
            inner, 390,
            "{path} pushed the phone's viewport to {inner} px"
        );
        assert!(
            scroll <= inner,
            "{path} is {scroll} px wide on a {inner} px phone"
        );
    }
    // The report's figures and the conversion are on screen, not beyond
    // the right edge: size rows become cards, the diff one column.
    client
        .goto(&format!("{}/r/{converted}", server.base))
        .await
        .expect("report");
    for css in [
        "#sizes table.compare td.num",
        "#sizes table.sizes td.num",
        "#sizes table.sizes td.basis",
        "table.diff td.c:not(.empty)",
        ".finding .fix",
    ] {
        let found = client
            .find_all(Locator::Css(css))
            .await
            .expect("query")
            .len();
        assert!(found > 0, "no `{css}`");
        assert_eq!(
            beyond_the_right_edge(&client, css).await,
            0,
            "`{css}` is cut off"
        );
    }
    screenshot(&client, "phone-report").await;
    // The history's reports are cards that need no sideways scrolling.
    client
        .goto(&format!("{}/history", server.base))
        .await
        .expect("history");
    assert_eq!(
        beyond_the_right_edge(&client, "table.history td").await,
        0,
        "history cells are cut off"
    );
    let scrolled = client
        .execute(
            "return [...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth + 1).length;",
            vec![],
        )
        .await
        .expect("script runs");
    assert_eq!(scrolled, json!(0), "the history table scrolls sideways");
    screenshot(&client, "phone-history").await;
    client.close().await.expect("closed");
}

/// Presses `key` on the keyboard (with Shift held when `shift`).
async fn press(client: &Client, key: Key, shift: bool) {
    let mut keys = KeyActions::new("keyboard".into());
    if shift {
        keys = keys.then(KeyAction::Down {
            value: Key::Shift.into(),
        });
    }
    keys = keys
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    if shift {
        keys = keys.then(KeyAction::Up {
            value: Key::Shift.into(),
        });
    }
    client.perform_actions(keys).await.expect("keys pressed");
}

/// The `id` of the element with the focus.
async fn focused_id(client: &Client) -> Option<String> {
    client
        .active_element()
        .await
        .expect("focus")
        .attr("id")
        .await
        .expect("id")
}

#[tokio::test]
async fn tab_moves_on_from_the_paste_area() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("tab");
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, true).await;
    client
        .goto(&format!("{}/", server.base))
        .await
        .expect("home page");
    let area = client
        .find(Locator::Id("dockerfile"))
        .await
        .expect("paste area");
    area.send_keys("FROM alpine").await.expect("typed");
    press(&client, Key::Tab, false).await;
    assert_ne!(
        focused_id(&client).await.as_deref(),
        Some("dockerfile"),
        "Tab stayed in the paste area"
    );
    let value = client
        .execute(
            "return document.getElementById('dockerfile').value;",
            vec![],
        )
        .await
        .expect("script runs");
    assert_eq!(value, json!("FROM alpine"), "Tab typed into the paste area");
    // Shift+Tab comes back, and leaves backwards too.
    press(&client, Key::Tab, true).await;
    assert_eq!(focused_id(&client).await.as_deref(), Some("dockerfile"));
    press(&client, Key::Tab, true).await;
    assert_ne!(focused_id(&client).await.as_deref(), Some("dockerfile"));
    client.close().await.expect("closed");
}

#[tokio::test]
async fn nothing_is_cut_off_at_desktop_width() {
    let _guard = ONE_AT_A_TIME.lock().await;
    let server = server("desktop");
    let report = post_report(&server.base, "desktop", PYTHON);
    let (_driver, driver_url) = chromedriver();
    let client = browser(&driver_url, true).await;
    // Long example lines wrap inside their box on a rule page.
    client
        .goto(&format!("{}/rules/DL3008", server.base))
        .await
        .expect("rule page");
    let hidden = "return [...document.querySelectorAll(arguments[0])].filter(e => e.scrollWidth > e.clientWidth + 1).length;";
    let count = |css: &'static str| {
        let client = client.clone();
        async move {
            client
                .execute(hidden, vec![json!(css)])
                .await
                .expect("script runs")
                .as_u64()
                .unwrap_or(u64::MAX)
        }
    };
    let examples = client
        .find_all(Locator::Css(".examples ol.code"))
        .await
        .expect("examples");
    assert_eq!(examples.len(), 2, "the reported and the fixed example");
    assert_eq!(
        count(".examples ol.code").await,
        0,
        "an example line is cut off"
    );
    screenshot(&client, "rule-examples").await;
    // The size tables fit the page: the basis column is not cut off.
    client
        .goto(&format!("{}/r/{report}", server.base))
        .await
        .expect("report");
    assert_eq!(
        count("#sizes .table-wrap").await,
        0,
        "a size table is cut off"
    );
    let (scroll, inner) = page_widths(&client).await;
    assert!(scroll <= inner, "{scroll} > {inner}");
    client.close().await.expect("closed");
}
