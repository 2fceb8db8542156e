-- Log in through OpenID Connect (#20): UNI-Login for pupils and staff, MitID (through a
-- broker) for everyone else.
--
-- A person's logins at identity providers: the provider's id in Stemme's configuration and
-- the provider's stable subject for the person. One subject is one account; one account
-- has at most one identity per provider.
CREATE TABLE user_identities (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    provider      TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 40),
    subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    created_at    BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    UNIQUE (provider, subject),
    UNIQUE (user_id, provider)
);

-- One login under way: made when Stemme sends the browser to the provider, consumed (deleted)
-- by the one callback that finishes it. Only hashes of the state and of the browser's flow
-- cookie are kept; the nonce and PKCE verifier live ten minutes at most.
CREATE TABLE oidc_flows (
    state_hash    TEXT PRIMARY KEY CHECK (length(state_hash) = 64),
    browser_hash  TEXT NOT NULL CHECK (length(browser_hash) = 64),
    provider      TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    purpose       TEXT NOT NULL CHECK (purpose IN ('login', 'link')),
    -- The account an identity is being linked to (purpose 'link', after a password check).
    user_id       BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    CHECK ((purpose = 'link') = (user_id IS NOT NULL))
);
CREATE INDEX oidc_flows_expiry_idx ON oidc_flows (expires_at);

-- A school's institution number (UNI-Login's id for it), set by the coordinator: a pupil
-- whose login names it lands at this school.
ALTER TABLE schools ADD COLUMN institution_number TEXT
    CHECK (institution_number IS NULL OR length(institution_number) BETWEEN 1 AND 40);
CREATE UNIQUE INDEX schools_institution_idx ON schools (institution_number)
    WHERE institution_number IS NOT NULL;

-- An account made from a login (and no password) may have no e-mail address and no birth
-- year (UNI-Login gives neither for a pupil). The users table's CHECK that demanded both is
-- widened here (SQLite rebuilds its table for that, see crate::ssr::db::widen_users_check):
-- a live account with a password still needs its e-mail address.
DO $$
DECLARE c TEXT;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'users'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%password_hash IS NOT NULL%'
               AND pg_get_constraintdef(oid) LIKE '%birth_year IS NOT NULL%'
               AND pg_get_constraintdef(oid) NOT LIKE '%deleted_at%'
    LOOP
        EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', c);
    END LOOP;
END $$;
ALTER TABLE users ADD CONSTRAINT users_live_login_check
    CHECK (status = 'deleted' OR password_hash IS NULL OR email IS NOT NULL);
