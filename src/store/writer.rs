//! The store's one writer: report inserts from every request are queued and
//! written in batches, one transaction per batch (group commit), so that a
//! burst of reports shares the cost of a commit and of the pages every
//! insert touches (index leaves, the table's last page). Each request is
//! answered only once the transaction holding its report has committed.

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::StoreError;

/// The most reports one transaction writes.
const MAX_BATCH: usize = 64;

/// A report row, ready to insert.
#[derive(Debug)]
pub(super) struct NewReport {
    pub id: String,
    pub created_at: i64,
    pub name: Option<String>,
    pub ecosystem: Option<&'static str>,
    pub strategy: Option<String>,
    pub counts: [i64; 4],
    pub converted: bool,
    pub saving_percent: Option<f64>,
    pub rule_codes: String,
    pub input: String,
    pub options: String,
    pub report: String,
}

/// One queued insert and where its outcome goes.
struct Job {
    row: NewReport,
    done: oneshot::Sender<Result<NewReport, StoreError>>,
}

/// The handle requests queue their inserts on (cheap to clone).
#[derive(Debug, Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writing task over `pool` (its one connection).
    pub(super) fn start(pool: SqlitePool) -> Self {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(pool, queue));
        Self { jobs }
    }

    /// Inserts `row`; returns it once it is committed.
    pub(super) async fn insert(&self, row: NewReport) -> Result<NewReport, StoreError> {
        let (done, outcome) = oneshot::channel();
        self.jobs
            .send(Job { row, done })
            .await
            .map_err(|_| StoreError::Closed)?;
        outcome.await.map_err(|_| StoreError::Closed)?
    }
}

/// Writes batches until every handle is gone.
async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if batch.len() > 1 && write_batch(&pool, &batch).await.is_ok() {
            for job in batch.drain(..) {
                let _ = job.done.send(Ok(job.row));
            }
            continue;
        }
        // One report, or a batch that failed: each in its own transaction,
        // so a row that fails fails alone.
        for job in batch.drain(..) {
            let outcome = insert(&pool, &job.row)
                .await
                .map(|()| job.row)
                .map_err(StoreError::Query);
            let _ = job.done.send(outcome);
        }
    }
}

/// Writes every row of `batch` in one transaction.
async fn write_batch(pool: &SqlitePool, batch: &[Job]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for job in batch {
        insert(&mut *tx, &job.row).await?;
    }
    tx.commit().await
}

/// Inserts one row through `db` (the pool or an open transaction).
async fn insert<'c, E>(db: E, row: &NewReport) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    let [errors, warnings, infos, styles] = row.counts;
    sqlx::query(
        "INSERT INTO reports (id, created_at, name, ecosystem, strategy, errors, warnings, infos, styles, converted, saving_percent, rule_codes, input, options, report)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&row.id)
    .bind(row.created_at)
    .bind(&row.name)
    .bind(row.ecosystem)
    .bind(&row.strategy)
    .bind(errors)
    .bind(warnings)
    .bind(infos)
    .bind(styles)
    .bind(row.converted)
    .bind(row.saving_percent)
    .bind(&row.rule_codes)
    .bind(&row.input)
    .bind(&row.options)
    .bind(&row.report)
    .execute(db)
    .await
    .map(|_| ())
}
