-- API tokens of a team instance, stored as SHA-256 hashes.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,              -- hex SHA-256 of the token
    created_at INTEGER NOT NULL
);
