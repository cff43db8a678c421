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
const MIGRATIONS: [(i64, &str, &str); 3] = [
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
    (
        3,
        "report dockerfile",
        include_str!("../../migrations/0003_report_dockerfile.sql"),
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

    /// A database made before migration 3, with a converted report, a
    /// refused one and one whose JSON does not read, opened by this build.
    #[tokio::test]
    async fn reports_stored_before_learn_whether_they_have_a_dockerfile() {
        use crate::report::{AnalysisOptions, analyze};
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

        let dir = std::env::temp_dir().join(format!("restage-migrate-3-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("restage.db");
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut before = Migrator::new(Embedded)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        before.migrations = Cow::Owned(before.migrations.iter().take(2).cloned().collect());
        before.run(&pool).await.unwrap_or_else(|e| panic!("{e}"));

        let json = |text: &str| {
            let report = analyze(text.as_bytes(), &AnalysisOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            serde_json::to_string(&report).unwrap_or_else(|e| panic!("{e}"))
        };
        let rows = [
            ("a".repeat(32), json("FROM python:3.12\nCMD [\"python\"]\n")),
            ("b".repeat(32), json("RUN echo hi\n")),
            ("c".repeat(32), "{not json".to_string()),
        ];
        for (id, report) in &rows {
            sqlx::query(
                "INSERT INTO reports (id, created_at, input, options, report) VALUES (?, 0, '', '{}', ?)",
            )
            .bind(id)
            .bind(report)
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        pool.close().await;

        let store = super::super::Store::open(&path.to_string_lossy())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut found = Vec::new();
        for (id, _) in &rows {
            let stored = store.get(id).await.unwrap_or_else(|e| panic!("{e}"));
            found.push(stored.map(|s| s.has_dockerfile));
        }
        assert_eq!(found, [Some(true), Some(false), Some(false)]);
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
