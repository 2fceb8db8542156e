-- E-mail (#19): verified addresses, each person's mail choices, the transactional outbox,
-- digest cursors and the single-use tokens that mails carry.

-- When the person proved they read this address (NULL: not yet; they get no mail but the
-- verification itself). Their language for mail, and their choice per kind of mail.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'da' CHECK (lang IN ('da', 'en'));
ALTER TABLE users ADD COLUMN mail_updates TEXT NOT NULL DEFAULT 'daily'
    CHECK (mail_updates IN ('none', 'instant', 'daily', 'weekly'));
ALTER TABLE users ADD COLUMN mail_deadlines TEXT NOT NULL DEFAULT 'instant'
    CHECK (mail_deadlines IN ('none', 'instant', 'daily', 'weekly'));

-- One mail to send. Written in the transaction of the event that causes it; the sender
-- claims a row (claimed_by/claimed_until, a lease another instance can take over when it
-- runs out), delivers it and records acceptance at once.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT REFERENCES users (id),
    to_addr         TEXT NOT NULL CHECK (length(to_addr) <= 254),
    lang            TEXT NOT NULL CHECK (lang IN ('da', 'en')),
    kind            TEXT NOT NULL CHECK (kind IN ('verify', 'reset', 'event', 'digest')),
    -- What the mail says, as data (rendered into text and HTML when it is sent or shown).
    payload         TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    -- The same cause never writes two mails (a double submit, two instances).
    dedupe_key      TEXT NOT NULL UNIQUE CHECK (length(dedupe_key) <= 200),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    last_error      TEXT CHECK (last_error IS NULL OR length(last_error) <= 1000),
    created_at      BIGINT NOT NULL,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_user_idx ON outbox (user_id);

-- Where each person's digest of one category of mail has got to: notifications with an id
-- up to after_id are covered; the next digest is due at due_at.
CREATE TABLE mail_digests (
    user_id  BIGINT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL CHECK (category IN ('updates', 'deadlines')),
    after_id BIGINT NOT NULL,
    due_at   BIGINT NOT NULL,
    sent_at  BIGINT,
    PRIMARY KEY (user_id, category)
);
CREATE INDEX mail_digests_due_idx ON mail_digests (due_at);

-- Tokens carried by mails, stored as a SHA-256 hash: verify (a week), reset (an hour,
-- single use), unsubscribe (one person, one category; no expiry).
CREATE TABLE mail_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'unsubscribe_updates', 'unsubscribe_deadlines')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    used_at    BIGINT
);
CREATE INDEX mail_tokens_user_idx ON mail_tokens (user_id, purpose);
