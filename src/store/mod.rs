//! Reports kept in SQLite (sqlx): WAL mode, migrations embedded and applied
//! when the store opens, random unguessable ids, cursor pagination.

mod checkpoint;
mod error;
mod migrations;
mod tokens;
mod writer;

pub use tokens::{hash_token, new_token};

use std::str::FromStr;
use std::time::Duration;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use error::StoreError;

use crate::convert::ConvertOptions;
use crate::report::Report;
use crate::report::redact::{Secrets, redact_text, redacted_json};
use checkpoint::Checkpointer;
use writer::{NewReport, Writer};

/// The most reports one page lists.
pub const MAX_PAGE: u32 = 100;

/// The reports database.
#[derive(Debug, Clone)]
pub struct Store {
    /// Connections that read (WAL lets them read while a write goes on).
    pool: SqlitePool,
    /// The one connection that writes: writers queue here instead of
    /// fighting over SQLite's write lock (whose busy handler sleeps).
    writer: SqlitePool,
    /// Report inserts, batched onto `writer`.
    inserts: Writer,
    /// Checkpoints the log after writes, on `pool`.
    checkpoints: Checkpointer,
}

/// One stored report, as JSON (the way it is served).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// Its id.
    pub id: String,
    /// When it was stored (unix milliseconds).
    pub created_at: i64,
    /// The report JSON.
    pub json: String,
    /// Whether it has a converted Dockerfile (its `conversion`), which
    /// `/api/v1/reports/{id}/dockerfile` serves.
    pub has_dockerfile: bool,
}

impl ReportSummary {
    /// When it was stored, for people ([`for_people`]).
    pub fn created_for_people(&self) -> String {
        for_people(&self.created_at)
    }
}

impl StoredReport {
    /// The report itself.
    pub fn report(&self) -> Result<Report, StoreError> {
        serde_json::from_str(&self.json).map_err(StoreError::Corrupt)
    }
}

/// What a report was made from that the report itself does not keep: the
/// request's lint settings and manifests. Stored beside it, so that "Run
/// again" analyses the same input with only the options changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Inputs {
    /// Rules switched off (codes or names).
    pub ignore: Vec<String>,
    /// Registries `FROM` may pull from (DL3026).
    pub trusted_registries: Vec<String>,
    /// Manifests by file name.
    pub manifests: BTreeMap<String, String>,
}

/// The `options` column: the conversion options (what it held first) and
/// the [`Inputs`].
#[derive(Serialize)]
struct StoredOptions<'a> {
    #[serde(flatten)]
    convert: &'a ConvertOptions,
    #[serde(flatten)]
    inputs: &'a Inputs,
}

/// A line of the history: what lists show without loading the report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReportSummary {
    /// The report's id.
    pub id: String,
    /// When it was stored (RFC 3339).
    pub created_at: String,
    /// The name given to it.
    pub name: Option<String>,
    /// The ecosystem detected; `null` when restage did not recognise one
    /// (listed with `ecosystem=unknown`).
    pub ecosystem: Option<String>,
    /// The conversion strategy used.
    pub strategy: Option<String>,
    /// `error` findings.
    pub errors: i64,
    /// `warning` findings.
    pub warnings: i64,
    /// `info` findings.
    pub infos: i64,
    /// `style` findings.
    pub styles: i64,
    /// Whether a multi-stage version was made.
    pub converted: bool,
    /// Estimated disk saving of the conversion, in percent.
    pub saving_percent: Option<f64>,
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    /// At most this many (1 to [`MAX_PAGE`]).
    pub limit: u32,
    /// Continue after this cursor (from the previous page).
    pub cursor: Option<String>,
    /// Search in names, strategies and rule codes.
    pub q: Option<String>,
    /// Only this ecosystem; [`UNKNOWN_ECOSYSTEM`] for the reports whose
    /// ecosystem restage did not recognise.
    pub ecosystem: Option<String>,
}

/// The ecosystem filter for reports whose ecosystem restage did not
/// recognise (`null` in their JSON): the word the UI and the text report
/// show for them.
pub const UNKNOWN_ECOSYSTEM: &str = "unknown";

/// One page of summaries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Page {
    /// The summaries.
    pub items: Vec<ReportSummary>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// A new random report id: 128 bits from the operating system, as 32
/// lowercase hex digits.
pub fn new_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `id` has the shape of a report id (anything else is not looked up).
pub fn is_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
}

/// A time [`rfc3339`] wrote, for people: `2026-11-30 10:53 UTC` (the
/// text as it is when it is not one).
pub fn for_people(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(minute)) if rfc3339.ends_with('Z') => format!("{day} {minute} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// RFC 3339 for unix milliseconds.
pub fn rfc3339(ms: i64) -> String {
    // Always three fraction digits: times of the same width sort as text,
    // which clients do (`…:31.120Z`, not `…:31.12Z` before `…:14Z`).
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            )
        })
        .unwrap_or_default()
}

/// `sqlite://path`, `sqlite:path` or a plain path.
///
/// Temporary tables, indices and sorts stay in memory (`temp_store =
/// MEMORY`): SQLite would otherwise want a temporary directory (`/tmp`),
/// which a `FROM scratch` image does not have. Only the database, its WAL
/// and its shared-memory file are written, all beside the database.
fn connect_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).map_err(StoreError::Open)?
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    Ok(options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .page_size(checkpoint::PAGE_SIZE)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .pragma("temp_store", "MEMORY"))
}

/// `value` as the JSON the store keeps: with its secrets masked or as is.
fn stored_json<T: Serialize + ?Sized>(value: &T, secrets: Secrets) -> Result<String, StoreError> {
    match secrets {
        Secrets::Mask => redacted_json(value).map(|(json, _)| json),
        Secrets::Keep => serde_json::to_string(value),
    }
    .map_err(StoreError::Corrupt)
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, checkpoint::MAX_LOG_FRAMES).await
    }

    /// [`Store::open`], with the writer catching up on checkpoints once
    /// the write-ahead log holds more than `max_log_frames` pages.
    async fn open_with(url: &str, max_log_frames: i64) -> Result<Self, StoreError> {
        let options = connect_options(url)?;
        // The writer never checkpoints on its own: `checkpoint` does, off
        // its path, and asks it to catch up between batches.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .pragma("wal_autocheckpoint", "0")
                    // The bytes SQLite leaves the WAL file when it starts
                    // the log over (it truncates a larger one): what a long
                    // read let it grow to is given back.
                    .pragma(
                        "journal_size_limit",
                        (checkpoint::MAX_LOG_FRAMES * i64::from(checkpoint::PAGE_SIZE)).to_string(),
                    ),
            )
            .await
            .map_err(StoreError::Open)?;
        sqlx::migrate::Migrator::new(migrations::Embedded)
            .await
            .map_err(StoreError::Migrate)?
            .run(&writer)
            .await
            .map_err(StoreError::Migrate)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(StoreError::Open)?;
        let checkpoints = Checkpointer::start(pool.clone(), max_log_frames);
        let inserts = Writer::start(writer.clone(), checkpoints.clone());
        Ok(Self {
            pool,
            writer,
            inserts,
            checkpoints,
        })
    }

    /// Closes every connection (after in-flight queries finish).
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(StoreError::Query)
    }

    /// Stores a report, and the [`Inputs`] it was made from, under a new
    /// id; returns the id. With [`Secrets::Mask`] every secret is masked in
    /// everything stored (the report, its name, its input, options and
    /// manifests).
    pub async fn insert(
        &self,
        report: &Report,
        inputs: &Inputs,
        secrets: Secrets,
    ) -> Result<StoredReport, StoreError> {
        let id = new_id()?;
        let created_at = now_ms();
        let masked = |text: &str| match secrets {
            Secrets::Mask => redact_text(text),
            Secrets::Keep => None,
        };
        let json = stored_json(report, secrets)?;
        let options = stored_json(
            &StoredOptions {
                convert: &report.options,
                inputs,
            },
            secrets,
        )?;
        let s = &report.summary;
        let row = NewReport {
            id,
            created_at,
            name: report
                .name
                .as_deref()
                .map(|n| masked(n).unwrap_or_else(|| n.to_owned())),
            ecosystem: s.ecosystem.map(|e| e.name()),
            strategy: s.strategy.clone(),
            counts: [
                s.findings.error,
                s.findings.warning,
                s.findings.info,
                s.findings.style,
            ]
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
            converted: s.converted,
            has_dockerfile: report.conversion.is_some(),
            saving_percent: report.saving_percent(),
            rule_codes: format!(" {} ", s.rule_codes.join(" ")),
            input: masked(&report.dockerfile).unwrap_or_else(|| report.dockerfile.clone()),
            options,
            report: json,
        };
        let row = self.inserts.insert(row).await?;
        Ok(StoredReport {
            id: row.id,
            created_at: row.created_at,
            json: row.report,
            has_dockerfile: row.has_dockerfile,
        })
    }

    /// The report with `id`, if there is one.
    pub async fn get(&self, id: &str) -> Result<Option<StoredReport>, StoreError> {
        if !is_id(id) {
            return Ok(None);
        }
        let row =
            sqlx::query("SELECT id, created_at, report, has_dockerfile FROM reports WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::Query)?;
        Ok(row.map(|r| StoredReport {
            id: r.get("id"),
            created_at: r.get("created_at"),
            json: r.get("report"),
            has_dockerfile: r.get("has_dockerfile"),
        }))
    }

    /// The [`Inputs`] the report with `id` was made from, if there is such
    /// a report. Reports stored before inputs were kept (or whose options
    /// do not read) have none: empty lists.
    pub async fn inputs(&self, id: &str) -> Result<Option<Inputs>, StoreError> {
        if !is_id(id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT options FROM reports WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::Query)?;
        Ok(row.map(|r| {
            let options: String = r.get("options");
            serde_json::from_str(&options).unwrap_or_default()
        }))
    }

    /// Deletes the report with `id`; whether there was one.
    pub async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        if !is_id(id) {
            return Ok(false);
        }
        let done = sqlx::query("DELETE FROM reports WHERE id = ?")
            .bind(id)
            .execute(&self.writer)
            .await
            .map_err(StoreError::Query)?;
        self.checkpoints.written();
        Ok(done.rows_affected() > 0)
    }

    /// Deletes every report stored before `before_ms`; how many.
    pub async fn prune(&self, before_ms: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM reports WHERE created_at < ?")
            .bind(before_ms)
            .execute(&self.writer)
            .await
            .map_err(StoreError::Query)?;
        self.checkpoints.written();
        Ok(done.rows_affected())
    }

    /// How many reports are stored.
    pub async fn count(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM reports")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::Query)
    }

    /// A page of summaries, newest first.
    pub async fn list(&self, query: &ListQuery) -> Result<Page, StoreError> {
        let limit = query.limit.clamp(1, MAX_PAGE);
        let cursor = cursor_seq(query)?.unwrap_or(i64::MAX);
        let filter = Filter::of(query);
        let sql = format!(
            "SELECT seq, id, created_at, name, ecosystem, strategy, errors, warnings, infos, styles, converted, saving_percent
             FROM reports WHERE seq < ?{} ORDER BY seq DESC LIMIT ?",
            filter.sql()
        );
        let select = filter.bind(sqlx::query(&sql).bind(cursor));
        let rows = select
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::Query)?;
        let more = rows.len() > limit as usize;
        let mut items = Vec::with_capacity(rows.len());
        let mut last_seq = None;
        for r in rows.iter().take(limit as usize) {
            last_seq = Some(r.get::<i64, _>("seq"));
            items.push(ReportSummary {
                id: r.get("id"),
                created_at: rfc3339(r.get("created_at")),
                name: r.get("name"),
                ecosystem: r.get("ecosystem"),
                strategy: r.get("strategy"),
                errors: r.get("errors"),
                warnings: r.get("warnings"),
                infos: r.get("infos"),
                styles: r.get("styles"),
                converted: r.get("converted"),
                saving_percent: r.get("saving_percent"),
            });
        }
        Ok(Page {
            items,
            next_cursor: if more {
                last_seq.map(|s| s.to_string())
            } else {
                None
            },
        })
    }

    /// The cursor of the page before `query`'s (the newer reports, with
    /// the same search), `None` when that page is the first. Cursors are
    /// positions, so this is one look at the `limit` reports just above
    /// the cursor, oldest first.
    pub async fn newer_cursor(&self, query: &ListQuery) -> Result<Option<String>, StoreError> {
        let Some(cursor) = cursor_seq(query)? else {
            return Ok(None);
        };
        let limit = query.limit.clamp(1, MAX_PAGE);
        let filter = Filter::of(query);
        let sql = format!(
            "SELECT seq FROM reports WHERE seq >= ?{} ORDER BY seq ASC LIMIT ?",
            filter.sql()
        );
        let seqs: Vec<i64> = filter
            .bind(sqlx::query(&sql).bind(cursor))
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::Query)?
            .iter()
            .map(|r| r.get::<i64, _>("seq"))
            .collect();
        // With more than a page above the cursor, the newer page ends just
        // above its `limit`-th report; otherwise it is the first page.
        Ok(if seqs.len() > limit as usize {
            seqs.get(limit as usize - 1).map(|s| (s + 1).to_string())
        } else {
            None
        })
    }
}

/// The position a list query's cursor names, `None` without one.
fn cursor_seq(query: &ListQuery) -> Result<Option<i64>, StoreError> {
    query
        .cursor
        .as_ref()
        .map(|c| {
            c.parse()
                .ok()
                .filter(|n: &i64| *n > 0)
                .ok_or_else(|| StoreError::BadCursor(c.clone()))
        })
        .transpose()
}

/// The search and ecosystem conditions of a list query, in SQL with their
/// values (bound in the order they appear).
struct Filter {
    /// `q`, `LIKE`-escaped.
    q: Option<String>,
    /// The ecosystem: `Some(None)` for the reports with none.
    ecosystem: Option<Option<String>>,
}

impl Filter {
    fn of(query: &ListQuery) -> Self {
        Self {
            q: query
                .q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(like_escape),
            ecosystem: query
                .ecosystem
                .as_ref()
                .map(|e| (e != UNKNOWN_ECOSYSTEM).then(|| e.clone())),
        }
    }

    /// The conditions, each starting with ` AND`.
    fn sql(&self) -> String {
        let mut sql = String::new();
        if self.q.is_some() {
            sql.push_str(
                " AND (name LIKE ? ESCAPE '\\' OR strategy LIKE ? ESCAPE '\\' OR ecosystem LIKE ? ESCAPE '\\' OR rule_codes LIKE ? ESCAPE '\\')",
            );
        }
        match &self.ecosystem {
            Some(Some(_)) => sql.push_str(" AND ecosystem = ?"),
            Some(None) => sql.push_str(" AND ecosystem IS NULL"),
            None => {}
        }
        sql
    }

    /// Binds the conditions' values after those already bound.
    fn bind<'q>(
        &self,
        mut select: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
        if let Some(q) = &self.q {
            let anywhere = format!("%{q}%");
            let code = format!("% {} %", q.to_ascii_uppercase());
            select = select
                .bind(anywhere.clone())
                .bind(anywhere.clone())
                .bind(anywhere)
                .bind(code);
        }
        if let Some(Some(e)) = &self.ecosystem {
            select = select.bind(e.clone());
        }
        select
    }
}

#[cfg(test)]
mod tests;
