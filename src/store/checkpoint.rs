//! Checkpoints the write-ahead log in the background, off the write path.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its
//! threshold: that commit copies the log into the database and syncs both
//! files while every report queued behind it waits. Under load this left
//! the CPUs idle 15% of the time (BENCHMARKS.md). Here the writing
//! connection never checkpoints on its own (`wal_autocheckpoint = 0`);
//! after a write, a task checkpoints on a reading connection (`PASSIVE`:
//! it waits for no reader and no writer, and the writer goes on appending
//! meanwhile), at most once every [`PERIOD`].
//!
//! SQLite starts the log over only when a write begins with all of it
//! copied, which unbroken writes prevent. So when the log holds more than
//! [`MAX_LOG_FRAMES`] after a checkpoint, the task tells the writer, which
//! copies the few frames written since between two batches
//! ([`Checkpointer::catch_up`]); its next write then starts the log over.
//! Nobody waits for a reader: a long read only lets the log grow until it
//! ends. `journal_size_limit` then gives the file back its space.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::Notify;

/// The page size of a new database: an 18 KB report takes two pages
/// (five of SQLite's default 4 KiB). SQLite keeps an existing database's.
pub(super) const PAGE_SIZE: u32 = 16384;

/// The least time between two checkpoints.
pub(super) const PERIOD: Duration = Duration::from_millis(200);

/// The log size (in frames, one page each) past which the writer copies
/// the rest itself: 64 MiB with the [`PAGE_SIZE`] of a new database.
pub(super) const MAX_LOG_FRAMES: i64 = 4096;

/// What the writing side tells the checkpointer (cheap to clone).
#[derive(Debug, Clone)]
pub(super) struct Checkpointer {
    written: Arc<Notify>,
    behind: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts the checkpointing task over `pool` (reading connections),
    /// asking the writer to catch up when the log holds more than
    /// `max_log_frames`.
    pub(super) fn start(pool: SqlitePool, max_log_frames: i64) -> Self {
        let this = Self {
            written: Arc::new(Notify::new()),
            behind: Arc::new(AtomicBool::new(false)),
        };
        tokio::spawn(run(pool, this.clone(), max_log_frames));
        this
    }

    /// Something was committed: a checkpoint is due within [`PERIOD`].
    pub(super) fn written(&self) {
        self.written.notify_one();
    }

    /// Called by the writer between batches, on its own connection
    /// (`writer`): when the log has grown past the limit, copies what the
    /// background checkpoint has not, so that the next write starts the
    /// log over.
    pub(super) async fn catch_up(&self, writer: &SqlitePool) {
        if self.behind.swap(false, Ordering::Relaxed)
            && let Err(e) = checkpoint(writer).await
        {
            tracing::warn!(error = %e, "cannot checkpoint the write-ahead log");
        }
    }
}

/// Checkpoints after writes until the pool closes.
async fn run(pool: SqlitePool, this: Checkpointer, max_log_frames: i64) {
    loop {
        this.written.notified().await;
        tokio::time::sleep(PERIOD).await;
        if pool.is_closed() {
            return;
        }
        match checkpoint(&pool).await {
            Ok(log) => this.behind.store(log > max_log_frames, Ordering::Relaxed),
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => tracing::warn!(error = %e, "cannot checkpoint the write-ahead log"),
        }
    }
}

/// Runs one `PASSIVE` checkpoint; returns the frames in the log.
async fn checkpoint(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let (_busy, log, _done): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    Ok(log)
}
