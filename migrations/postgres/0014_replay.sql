-- One-time form tokens: a form that creates something carries a token issued with the
-- page (signed, bound to the person). The creation stores the token's hash here in the
-- same transaction as what it creates, so a replay of the same form (a double click, a
-- retrying phone, a proxy) finds it taken, creates nothing and gets the first result.
CREATE TABLE form_submissions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    BIGINT NOT NULL,
    kind       TEXT NOT NULL CHECK (length(kind) <= 40),
    result     TEXT NOT NULL DEFAULT '' CHECK (length(result) <= 200),
    created_at BIGINT NOT NULL
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);

-- Named locks: a row per name (a rate-limit bucket, an audit subject), upserted at the
-- start of a transaction so that parallel requests on the same name are judged one after
-- the other (e.g. exactly `max` get through a rate limit). Old rows are pruned.
CREATE TABLE locks (
    name TEXT PRIMARY KEY CHECK (length(name) <= 200),
    at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_subject_idx ON audit_log (action, subject_kind, subject_id);
