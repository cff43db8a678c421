//! Checkpoints the write-ahead log in the background, off the write path.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its
//! threshold: that commit copies the log into the database and syncs both
//! files while every report queued behind it waits. Under load this left
//! the CPUs idle 15% of the time (BENCHMARKS.md). Here the writing
//! connection never checkpoints (`wal_autocheckpoint = 0`); after a write,
//! a task checkpoints on a reading connection (`PASSIVE`: it waits for no
//! reader and no writer, and the writer goes on appending meanwhile), at
//! most once every [`PERIOD`]. SQLite starts the log over only when a write
//! begins with all of it copied, which unbroken writes or a long read can
//! prevent; so if the log still holds more than [`MAX_LOG_FRAMES`] after a
//! checkpoint, a `TRUNCATE` checkpoint waits for the readers and the writer
//! and empties it, and the log stays bounded.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use tokio::sync::Notify;

/// The least time between two checkpoints.
pub(super) const PERIOD: Duration = Duration::from_millis(200);

/// The log size (in frames, one page each) past which the checkpointer
/// stops the writer for a moment to empty the log: 64 MiB with the 16 KiB
/// pages of a new database.
pub(super) const MAX_LOG_FRAMES: i64 = 4096;

/// What the writing side tells the checkpointer (cheap to clone).
#[derive(Debug, Clone)]
pub(super) struct Checkpointer {
    written: Arc<Notify>,
}

impl Checkpointer {
    /// Starts the checkpointing task over `pool` (reading connections),
    /// emptying the log when it holds more than `max_log_frames`.
    pub(super) fn start(pool: SqlitePool, max_log_frames: i64) -> Self {
        let written = Arc::new(Notify::new());
        tokio::spawn(run(pool, Arc::clone(&written), max_log_frames));
        Self { written }
    }

    /// Something was committed: a checkpoint is due within [`PERIOD`].
    pub(super) fn written(&self) {
        self.written.notify_one();
    }
}

/// Checkpoints after writes until the pool closes.
async fn run(pool: SqlitePool, written: Arc<Notify>, max_log_frames: i64) {
    loop {
        written.notified().await;
        tokio::time::sleep(PERIOD).await;
        if pool.is_closed() {
            return;
        }
        match checkpoint(&pool, "PASSIVE").await {
            Ok(log) if log > max_log_frames => {
                if let Err(e) = checkpoint(&pool, "TRUNCATE").await {
                    tracing::warn!(error = %e, "cannot empty the write-ahead log");
                }
            }
            Ok(_) => {}
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => tracing::warn!(error = %e, "cannot checkpoint the write-ahead log"),
        }
    }
}

/// Runs one checkpoint of `mode`; returns the frames in the log.
pub(super) async fn checkpoint(pool: &SqlitePool, mode: &str) -> Result<i64, sqlx::Error> {
    let (_busy, log, _done): (i64, i64, i64) =
        sqlx::query_as(&format!("PRAGMA wal_checkpoint({mode})"))
            .fetch_one(pool)
            .await?;
    Ok(log)
}
