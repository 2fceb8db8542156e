-- Accounts, schools, councils, roles, sessions and login throttling.
-- Times are BIGINT microseconds since the Unix epoch, UTC.

CREATE TABLE schools (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 120),
    created_at BIGINT NOT NULL
);

CREATE TABLE councils (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('ungeraad', 'elevraad', 'faelles_elevraad')),
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 120),
    school_id  BIGINT REFERENCES schools (id),
    created_at BIGINT NOT NULL,
    -- An elevråd belongs to exactly one school; the other councils to none.
    CHECK ((kind = 'elevraad') = (school_id IS NOT NULL))
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name    TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 50),
    -- The first name in lower case (Unicode-aware, done by the application), for search.
    search_name   TEXT NOT NULL,
    email         TEXT UNIQUE CHECK (email IS NULL OR (length(email) <= 254 AND email = lower(email))),
    birth_year    INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
    password_hash TEXT,
    status        TEXT NOT NULL CHECK (status IN ('active', 'awaiting_confirmation', 'deleted')),
    school_id     BIGINT REFERENCES schools (id),
    created_at    BIGINT NOT NULL,
    confirmed_at  BIGINT,
    confirmed_by  BIGINT REFERENCES users (id),
    deleted_at    BIGINT,
    -- A deleted account keeps no personal data: its contributions show as "Tidligere bruger".
    CHECK (status <> 'deleted' OR (email IS NULL AND password_hash IS NULL AND birth_year IS NULL
                                   AND school_id IS NULL AND deleted_at IS NOT NULL)),
    CHECK (status = 'deleted' OR (email IS NOT NULL AND password_hash IS NOT NULL AND birth_year IS NOT NULL))
);
CREATE INDEX users_created_idx ON users (created_at, id);

CREATE TABLE user_roles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('ung', 'elev', 'ungeraadsmedlem', 'elevraadsmedlem',
                                             'elevraadsformand', 'politiker', 'sekretariat', 'moderator')),
    council_id BIGINT REFERENCES councils (id),
    term_start INTEGER,
    term_end   INTEGER,
    granted_by BIGINT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    -- Council roles carry their council and a term; other roles carry neither.
    CHECK ((role IN ('ungeraadsmedlem', 'elevraadsmedlem', 'elevraadsformand'))
           = (council_id IS NOT NULL AND term_start IS NOT NULL AND term_end IS NOT NULL)),
    CHECK (council_id IS NOT NULL OR (term_start IS NULL AND term_end IS NULL)),
    CHECK (term_end IS NULL OR term_end >= term_start)
);
CREATE UNIQUE INDEX user_roles_unique_idx ON user_roles (user_id, role, COALESCE(council_id, 0));
CREATE INDEX user_roles_user_idx ON user_roles (user_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expiry_date BIGINT NOT NULL,
    -- Copied from the data on save, so all of one user's sessions can be ended.
    user_id     BIGINT
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry_date);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    email_key TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX login_failures_idx ON login_failures (email_key, at);
