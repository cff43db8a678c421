//! Why the store failed.

use thiserror::Error;

/// A store failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open the database: {0}")]
    Open(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[source] sqlx::Error),
    /// A stored report is not valid JSON of a report.
    #[error("a stored report is not readable: {0}")]
    Corrupt(#[source] serde_json::Error),
    /// A list cursor that no page handed out.
    #[error("`{0}` is not a cursor this service handed out")]
    BadCursor(String),
    /// The store is closed (the service is stopping).
    #[error("the database is closed")]
    Closed,
    /// The operating system gave no random bytes.
    #[error("no random bytes for an id: {0}")]
    Random(String),
}
