//! The schema migrations (`migrations/*.sql`), compiled into the binary.
//!
//! Listed here rather than embedded by `sqlx::migrate!`: the macro needs
//! sqlx's procedural macros, which build a second copy of SQLite for the
//! compiler's own use. Each migration is made exactly as sqlx makes one
//! from its file (version and description from the file name, checksum of
//! the text), so databases migrated either way agree; a test checks the
//! list against the directory.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

/// Version, description (the file name's words) and text of each migration.
const MIGRATIONS: [(i64, &str, &str); 2] = [
    (
        1,
        "reports",
        include_str!("../../migrations/0001_reports.sql"),
    ),
    (
        2,
        "tokens",
        include_str!("../../migrations/0002_tokens.sql"),
    ),
];

/// The migrations compiled into the binary, as a source for
/// [`sqlx::migrate::Migrator::new`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        sql.starts_with("-- no-transaction"),
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::migrate::Migrator;

    #[tokio::test]
    async fn the_list_is_the_migrations_directory() {
        let dir = Migrator::new(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/migrations"
        )))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let embedded = Migrator::new(Embedded)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let shape = |m: &Migrator| -> Vec<(i64, String, Vec<u8>, bool)> {
            m.iter()
                .map(|m| {
                    (
                        m.version,
                        m.description.to_string(),
                        m.checksum.to_vec(),
                        m.no_tx,
                    )
                })
                .collect()
        };
        assert_eq!(shape(&embedded), shape(&dir));
        assert!(!shape(&dir).is_empty());
    }
}
