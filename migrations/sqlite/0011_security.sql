-- Rate limits that hold across server instances: one row per counted event, by bucket
-- (e.g. "signup:ip:203.0.113.7"). Rows older than a day are deleted when new ones come.
CREATE TABLE rate_events (
    bucket TEXT NOT NULL CHECK (length(bucket) <= 200),
    at     BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket_idx ON rate_events (bucket, at);
CREATE INDEX rate_events_at_idx ON rate_events (at);

-- The audit log: every decision (council votes and decisions, answers, pool grants,
-- moderation, role changes) — who, what, when. Append-only: no row is ever changed or
-- removed, not even when an account is deleted (actor_id then points at nobody).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           BIGINT NOT NULL,
    actor_id     BIGINT,
    action       TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
    subject_kind TEXT NOT NULL CHECK (length(subject_kind) BETWEEN 1 AND 40),
    subject_id   BIGINT,
    details      TEXT NOT NULL DEFAULT '' CHECK (length(details) <= 2000)
);
CREATE INDEX audit_log_at_idx ON audit_log (id DESC);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
