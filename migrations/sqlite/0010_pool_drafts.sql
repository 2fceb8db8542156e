-- A young person's unfinished pool application, as typed (one per person).
CREATE TABLE pool_drafts (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    body       TEXT NOT NULL CHECK (length(body) <= 100000),
    updated_at BIGINT NOT NULL
);
