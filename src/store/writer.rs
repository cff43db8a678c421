//! The store's one writer: report inserts from every request are queued and
//! written in batches, one transaction per batch (group commit), so that a
//! burst of reports shares the cost of a commit and of the pages every
//! insert touches (index leaves, the table's last page). Each request is
//! answered only once the transaction holding its report has committed.

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::StoreError;
use super::checkpoint::Checkpointer;

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
    /// Whether the report has a converted Dockerfile to serve.
    pub has_dockerfile: bool,
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
    /// Starts the writing task over `pool` (its one connection), telling
    /// `checkpoints` after each write.
    pub(super) fn start(pool: SqlitePool, checkpoints: Checkpointer) -> Self {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(pool, queue, checkpoints));
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
async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>, checkpoints: Checkpointer) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        checkpoints.catch_up(&pool).await;
        if batch.len() > 1
            && insert(&pool, batch.iter().map(|job| &job.row))
                .await
                .is_ok()
        {
            checkpoints.written();
            for job in batch.drain(..) {
                let _ = job.done.send(Ok(job.row));
            }
            continue;
        }
        // One report, or a batch that failed: each in its own statement,
        // so a row that fails fails alone.
        for job in batch.drain(..) {
            let outcome = insert(&pool, [&job.row])
                .await
                .map(|()| job.row)
                .map_err(StoreError::Query);
            let _ = job.done.send(outcome);
        }
        checkpoints.written();
    }
}

/// Writes `rows` with one (multi-row) `INSERT`: one statement is one
/// transaction, and one round trip to the connection's thread instead of
/// one per row.
async fn insert<'r>(
    pool: &SqlitePool,
    rows: impl IntoIterator<Item = &'r NewReport>,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO reports (id, created_at, name, ecosystem, strategy, errors, warnings, infos, styles, converted, has_dockerfile, saving_percent, rule_codes, input, options, report) ",
    );
    query.push_values(rows, |mut values, row| {
        let [errors, warnings, infos, styles] = row.counts;
        values
            .push_bind(&row.id)
            .push_bind(row.created_at)
            .push_bind(&row.name)
            .push_bind(row.ecosystem)
            .push_bind(&row.strategy)
            .push_bind(errors)
            .push_bind(warnings)
            .push_bind(infos)
            .push_bind(styles)
            .push_bind(row.converted)
            .push_bind(row.has_dockerfile)
            .push_bind(row.saving_percent)
            .push_bind(&row.rule_codes)
            .push_bind(&row.input)
            .push_bind(&row.options)
            .push_bind(&row.report);
    });
    query.build().execute(pool).await.map(|_| ())
}
