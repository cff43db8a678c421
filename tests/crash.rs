//! Crash safety: `restage serve` killed with SIGKILL while reports are
//! being posted loses none that it answered with `201`, and its database
//! opens again intact.

mod process;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use process::{Server, request};

#[test]
fn every_answered_report_survives_sigkill() {
    let mut server = Server::start("crash", &[]);
    let (addr, db) = (server.addr, server.db.clone());
    let answered: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop_at = Instant::now() + Duration::from_secs(3);
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let answered = Arc::clone(&answered);
            std::thread::spawn(move || {
                let mut n = 0;
                // Keep posting past the kill: later attempts fail to connect.
                while Instant::now() < stop_at + Duration::from_secs(1) {
                    let dockerfile = format!(
                        "FROM python:3.12\nENV WRITER={t} N={n}\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
                    );
                    let r = request(
                        addr,
                        "POST",
                        &format!("/api/v1/reports?name=w{t}-{n}&redact=false"),
                        &[("Content-Type", "text/plain")],
                        dockerfile.as_bytes(),
                    );
                    if r.status == 201 {
                        let id = r.json()["id"].as_str().expect("id").to_string();
                        answered.lock().expect("lock").push((id, dockerfile));
                    }
                    n += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(stop_at - Instant::now());
    server.kill_hard();
    for w in writers {
        w.join().expect("writer");
    }
    let answered = answered.lock().expect("lock").clone();
    assert!(answered.len() >= 8, "only {} answered", answered.len());

    let server = Server::start_on(addr, &db, &[], &[]);
    assert_eq!(server.get("/readyz").status, 200);
    for (id, dockerfile) in &answered {
        let r = server.get(&format!("/api/v1/reports/{id}"));
        assert_eq!(r.status, 200, "report {id} answered 201 is gone");
        assert_eq!(r.json()["dockerfile"], dockerfile.as_str(), "{id} intact");
    }
    let list = server.get("/api/v1/reports?limit=100");
    assert_eq!(list.status, 200);
    assert!(
        list.json()["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    eprintln!(
        "{} reports answered before SIGKILL, all intact",
        answered.len()
    );
}
