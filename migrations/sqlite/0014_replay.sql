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

-- One row per rate-limit bucket, locked by the request that counts and records an event,
-- so that parallel requests are judged one after the other (exactly `max` get through).
CREATE TABLE rate_buckets (
    bucket TEXT PRIMARY KEY CHECK (length(bucket) <= 200),
    at     BIGINT NOT NULL DEFAULT 0
);
