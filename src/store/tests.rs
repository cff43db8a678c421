use super::*;
use crate::report::{AnalysisOptions, analyze};

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("restage-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("restage.db").to_string_lossy().into_owned()
}

fn report(text: &str, name: &str) -> Report {
    let options = AnalysisOptions {
        name: Some(name.into()),
        ..AnalysisOptions::default()
    };
    analyze(text.as_bytes(), &options).expect("analyses")
}

#[tokio::test]
async fn reports_are_stored_listed_and_deleted() {
    let path = temp_db("crud");
    let store = Store::open(&path).await.expect("opens");
    let py = report(
        "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "api",
    );
    let go = report(
        "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
        "svc",
    );
    let a = store
        .insert(&py, &Inputs::default(), Secrets::Keep)
        .await
        .expect("stores");
    let b = store
        .insert(&go, &Inputs::default(), Secrets::Keep)
        .await
        .expect("stores");
    assert!(is_id(&a.id) && is_id(&b.id) && a.id != b.id);
    let got = store.get(&a.id).await.expect("reads").expect("exists");
    assert_eq!(got.report().expect("parses"), py);

    let page = store
        .list(&ListQuery {
            limit: 1,
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.items.first().map(|s| s.id.as_str()),
        Some(b.id.as_str()),
        "newest first"
    );
    let next = store
        .list(&ListQuery {
            limit: 1,
            cursor: page.next_cursor.clone(),
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert_eq!(
        next.items.first().map(|s| s.id.as_str()),
        Some(a.id.as_str())
    );
    assert_eq!(next.next_cursor, None);

    let go_only = store
        .list(&ListQuery {
            limit: 10,
            ecosystem: Some("go".into()),
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert_eq!(go_only.items.len(), 1);
    let by_code = store
        .list(&ListQuery {
            limit: 10,
            q: Some("dl3042".into()),
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert_eq!(
        by_code.items.first().map(|s| s.name.as_deref()),
        Some(Some("api"))
    );
    let by_name = store
        .list(&ListQuery {
            limit: 10,
            q: Some("sv".into()),
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert_eq!(by_name.items.len(), 1);
    let wildcard = store
        .list(&ListQuery {
            limit: 10,
            q: Some("%".into()),
            ..ListQuery::default()
        })
        .await
        .expect("lists");
    assert!(wildcard.items.is_empty(), "LIKE wildcards are literal");
    assert!(matches!(
        store
            .list(&ListQuery {
                limit: 10,
                cursor: Some("abc".into()),
                ..ListQuery::default()
            })
            .await,
        Err(StoreError::BadCursor(_))
    ));

    assert!(store.delete(&a.id).await.expect("deletes"));
    assert!(!store.delete(&a.id).await.expect("deletes"));
    assert_eq!(store.get(&a.id).await.expect("reads"), None);
    assert_eq!(store.count().await.expect("counts"), 1);
    store.close().await;

    // Reopening migrates nothing and keeps everything.
    let again = Store::open(&path).await.expect("reopens");
    assert!(again.get(&b.id).await.expect("reads").is_some());
    assert_eq!(again.prune(now_ms() + 1).await.expect("prunes"), 1);
    assert_eq!(again.count().await.expect("counts"), 0);
}

#[tokio::test]
async fn tokens_are_kept_hashed() {
    let path = temp_db("tokens");
    let store = Store::open(&path).await.expect("opens");
    assert!(!store.has_tokens().await.expect("reads"));
    let token = store.create_token("ci").await.expect("creates");
    assert!(token.starts_with("rst_") && token.len() == 68);
    assert!(store.token_valid(&token).await.expect("reads"));
    assert!(!store.token_valid("rst_nope").await.expect("reads"));
    let raw: Vec<String> = sqlx::query_scalar("SELECT hash FROM tokens")
        .fetch_all(&store.pool)
        .await
        .expect("reads");
    assert_eq!(raw, vec![hash_token(&token)]);
}

#[test]
fn ids_are_random_hex() {
    let a = new_id().expect("random");
    let b = new_id().expect("random");
    assert!(is_id(&a) && is_id(&b) && a != b);
    assert!(!is_id("../../etc/passwd"));
    assert!(!is_id(&a.to_uppercase()));
}

#[tokio::test]
async fn every_connection_keeps_temporary_data_in_memory() {
    // `FROM scratch` has no `/tmp`: temporary tables and sorts must not
    // need a file. `temp_store` 2 is MEMORY; check several pooled
    // connections, since the pragma is per connection.
    let path = temp_db("temp-store");
    let store = Store::open(&path).await.expect("opens");
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = store.pool.acquire().await.expect("connects");
        let mode: i64 = sqlx::query_scalar("PRAGMA temp_store")
            .fetch_one(&mut *conn)
            .await
            .expect("reads");
        assert_eq!(mode, 2);
        held.push(conn);
    }
}

/// The size of the file at `path` (0 if there is none).
fn file_len(path: &str) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Polls `done` every 50 ms for up to 10 s; whether it came true.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    done()
}

#[tokio::test]
async fn new_databases_use_16_kib_pages() {
    let path = temp_db("pages");
    let store = Store::open(&path).await.expect("opens");
    let size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&store.pool)
        .await
        .expect("reads");
    assert_eq!(size, 16384);
    store.close().await;
}

#[tokio::test]
async fn the_log_is_checkpointed_in_the_background() {
    let path = temp_db("checkpoint");
    let store = Store::open(&path).await.expect("opens");
    let r = report(
        "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "api",
    );
    let json_len = serde_json::to_string(&r).expect("serialises").len() as u64;
    // The writer never checkpoints, so until the checkpointer copies the
    // log in, the reports are only in the `-wal` file.
    for _ in 0..20 {
        store
            .insert(&r, &Inputs::default(), Secrets::Keep)
            .await
            .expect("stores");
    }
    assert!(
        eventually(|| file_len(&path) > 20 * json_len).await,
        "the database file is still {} bytes",
        file_len(&path)
    );
    store.close().await;
}

#[tokio::test]
async fn a_log_a_long_read_kept_growing_starts_over_once_it_ends() {
    let path = temp_db("restart");
    let store = Store::open_with(&path, 8).await.expect("opens");
    let wal = format!("{path}-wal");
    let r = report("FROM alpine:3.20\nRUN apk add curl\n", "small");
    store
        .insert(&r, &Inputs::default(), Secrets::Keep)
        .await
        .expect("stores");
    // A read transaction that stays open keeps every later frame in the
    // log: no checkpoint can copy past its snapshot.
    let mut reader = store.pool.acquire().await.expect("connects");
    sqlx::query("BEGIN")
        .execute(&mut *reader)
        .await
        .expect("begins");
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports")
        .fetch_one(&mut *reader)
        .await
        .expect("reads");
    for _ in 0..20 {
        store
            .insert(&r, &Inputs::default(), Secrets::Keep)
            .await
            .expect("stores");
    }
    tokio::time::sleep(checkpoint::PERIOD * 3).await;
    let grown = file_len(&wal);
    assert!(grown > 0, "the log holds the new reports");
    sqlx::query("COMMIT")
        .execute(&mut *reader)
        .await
        .expect("ends");
    drop(reader);
    // Once the read ends, a checkpoint copies everything and the next
    // writes start the log over instead of appending to it.
    store
        .insert(&r, &Inputs::default(), Secrets::Keep)
        .await
        .expect("stores");
    tokio::time::sleep(checkpoint::PERIOD * 3).await;
    for _ in 0..20 {
        store
            .insert(&r, &Inputs::default(), Secrets::Keep)
            .await
            .expect("stores");
    }
    assert!(
        file_len(&wal) <= grown,
        "the log grew from {grown} to {} bytes",
        file_len(&wal)
    );
    assert_eq!(store.count().await.expect("counts"), 42);
    store.close().await;
}

/// Stored times are RFC 3339 with milliseconds, always three digits, so
/// that they sort as text.
#[test]
fn times_have_a_fixed_width() {
    for (ms, want) in [
        (0, "1970-01-01T00:00:00.000Z"),
        (1_764_500_014_000, "2025-11-30T10:53:34.000Z"),
        (1_764_500_031_120, "2025-11-30T10:53:51.120Z"),
        (1_764_500_031_007, "2025-11-30T10:53:51.007Z"),
    ] {
        assert_eq!(rfc3339(ms), want, "{ms}");
    }
    assert!(rfc3339(1_764_500_031_120) > rfc3339(1_764_500_014_000));
}

#[test]
fn times_for_people_are_to_the_minute_in_utc() {
    assert_eq!(
        for_people("2025-11-30T10:53:51.120Z"),
        "2025-11-30 10:53 UTC"
    );
    assert_eq!(for_people(""), "");
    assert_eq!(for_people("yesterday"), "yesterday");
}

/// The inputs a report was made from come back as they went in (secrets
/// masked when asked), and a report stored before they were kept has none.
#[tokio::test]
async fn inputs_are_kept_beside_the_report() {
    let path = temp_db("inputs");
    let store = Store::open(&path).await.expect("opens");
    let r = report("FROM python:3.12\nCMD [\"python\"]\n", "a");
    let inputs = Inputs {
        ignore: vec!["DL3008".into()],
        trusted_registries: vec!["docker.io".into()],
        manifests: [(
            "requirements.txt".to_string(),
            "flask\n--index-url https://u:s3cr3tPa55@pypi.example.com/simple\n".to_string(),
        )]
        .into(),
    };
    let kept = store
        .insert(&r, &inputs, Secrets::Keep)
        .await
        .expect("stores");
    assert_eq!(
        store.inputs(&kept.id).await.expect("reads"),
        Some(inputs.clone())
    );
    let masked = store
        .insert(&r, &inputs, Secrets::Mask)
        .await
        .expect("stores");
    let back = store
        .inputs(&masked.id)
        .await
        .expect("reads")
        .unwrap_or_default();
    assert_eq!(back.ignore, inputs.ignore);
    assert!(
        back.manifests
            .values()
            .all(|m| m.contains("u:****@") && !m.contains("s3cr3t")),
        "{back:?}"
    );
    // A row whose options hold only the conversion options, as before.
    sqlx::query("UPDATE reports SET options = '{\"runtime\":\"auto\",\"user\":null,\"cache_mounts\":false}' WHERE id = ?")
        .bind(&kept.id)
        .execute(&store.writer)
        .await
        .expect("updates");
    assert_eq!(
        store.inputs(&kept.id).await.expect("reads"),
        Some(Inputs::default())
    );
    assert_eq!(store.inputs(&"f".repeat(32)).await.expect("reads"), None);
}
