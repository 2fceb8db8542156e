-- Stemme: the municipality this installation serves, and its settings.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
    value      TEXT NOT NULL CHECK (length(value) <= 4000),
    updated_at BIGINT NOT NULL
);
