//! API tokens of a team instance, kept as SHA-256 hashes: a token is 256
//! random bits, so a fast hash is enough (there is nothing to brute-force).

use sha2::{Digest, Sha256};

use super::{Store, StoreError, now_ms};

/// The hex SHA-256 of a token.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new token: `rst_` and 64 hex digits (256 random bits).
pub fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("rst_{hex}"))
}

impl Store {
    /// Creates a token named `name`; returns the token (shown once, only
    /// its hash is kept).
    pub async fn create_token(&self, name: &str) -> Result<String, StoreError> {
        let token = new_token()?;
        sqlx::query("INSERT INTO tokens (name, hash, created_at) VALUES (?, ?, ?)")
            .bind(name)
            .bind(hash_token(&token))
            .bind(now_ms())
            .execute(&self.writer)
            .await
            .map_err(StoreError::Query)?;
        self.checkpoints.written();
        Ok(token)
    }

    /// Whether any token is stored.
    pub async fn has_tokens(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::Query)?;
        Ok(n > 0)
    }

    /// Whether `token` is a stored token.
    pub async fn token_valid(&self, token: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE hash = ?")
            .bind(hash_token(token))
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::Query)?;
        Ok(n > 0)
    }
}
