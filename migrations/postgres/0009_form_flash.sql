-- What a person typed into a form the server refused, kept for a short while so the form
-- can be shown again filled in (forms are plain HTML posts). Never passwords. Rows older
-- than 30 minutes are deleted whenever a new one is written.
CREATE TABLE form_flash (
    token      TEXT PRIMARY KEY CHECK (length(token) = 32),
    body       TEXT NOT NULL CHECK (length(body) <= 200000),
    created_at BIGINT NOT NULL
);
CREATE INDEX form_flash_created_idx ON form_flash (created_at);
