-- Every report, with the input and the options it was made with, and the
-- full report JSON. The columns the history page filters and sorts on are
-- copied out of the JSON so that they can be indexed.
CREATE TABLE reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,            -- unix milliseconds
    name TEXT,
    ecosystem TEXT,
    strategy TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    styles INTEGER NOT NULL DEFAULT 0,
    converted INTEGER NOT NULL DEFAULT 0,
    saving_percent REAL,
    rule_codes TEXT NOT NULL DEFAULT '',   -- ' DL3008 DL3009 ' for search
    input TEXT NOT NULL,
    options TEXT NOT NULL,                  -- JSON
    report TEXT NOT NULL                    -- JSON
);

CREATE INDEX reports_created ON reports (created_at);
CREATE INDEX reports_ecosystem ON reports (ecosystem, seq);
