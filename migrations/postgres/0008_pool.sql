-- Ungerådets pulje (twin of the SQLite migration): pool years, applications with budget
-- lines, and an append-only ledger. Money is integer øre; a CHECK makes overspending
-- impossible even for two grants decided at the same moment.

CREATE TABLE pool_years (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year          BIGINT NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    council_id    BIGINT NOT NULL REFERENCES councils (id),
    amount_ore    BIGINT NOT NULL CHECK (amount_ore > 0 AND amount_ore <= 1000000000),
    max_grant_ore BIGINT NOT NULL CHECK (max_grant_ore > 0 AND max_grant_ore <= amount_ore),
    min_age       BIGINT NOT NULL CHECK (min_age BETWEEN 13 AND 25),
    rules         TEXT NOT NULL CHECK (length(rules) <= 10000),
    granted_ore   BIGINT NOT NULL DEFAULT 0 CHECK (granted_ore >= 0),
    returned_ore  BIGINT NOT NULL DEFAULT 0 CHECK (returned_ore >= 0 AND returned_ore <= granted_ore),
    corrected_ore BIGINT NOT NULL DEFAULT 0,
    opened_by     BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    CHECK (amount_ore - granted_ore + returned_ore + corrected_ore >= 0)
);

CREATE TABLE pool_applications (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_year_id     BIGINT NOT NULL REFERENCES pool_years (id),
    applicant_id     BIGINT NOT NULL REFERENCES users (id),
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 3 AND 120),
    activity         TEXT NOT NULL CHECK (length(activity) BETWEEN 20 AND 5000),
    audience         TEXT NOT NULL CHECK (length(audience) BETWEEN 3 AND 300),
    participants     BIGINT NOT NULL CHECK (participants BETWEEN 1 AND 100000),
    activity_date    TEXT NOT NULL CHECK (length(activity_date) = 10),
    place            TEXT NOT NULL CHECK (length(place) BETWEEN 2 AND 200),
    members          TEXT NOT NULL CHECK (length(members) <= 1000),
    asked_ore        BIGINT NOT NULL CHECK (asked_ore > 0),
    status           TEXT NOT NULL CHECK (status IN ('submitted', 'granted', 'partly_granted', 'rejected')),
    granted_ore      BIGINT NOT NULL DEFAULT 0 CHECK (granted_ore >= 0 AND granted_ore <= asked_ore),
    explanation      TEXT CHECK (explanation IS NULL OR length(explanation) <= 5000),
    conditions       TEXT CHECK (conditions IS NULL OR length(conditions) <= 2000),
    votes_for        BIGINT CHECK (votes_for IS NULL OR votes_for >= 0),
    votes_against    BIGINT CHECK (votes_against IS NULL OR votes_against >= 0),
    votes_abstain    BIGINT CHECK (votes_abstain IS NULL OR votes_abstain >= 0),
    decided_by       BIGINT REFERENCES users (id),
    decided_at       BIGINT,
    report           TEXT CHECK (report IS NULL OR length(report) BETWEEN 20 AND 5000),
    report_participants BIGINT,
    reported_at      BIGINT,
    returned_ore     BIGINT NOT NULL DEFAULT 0 CHECK (returned_ore >= 0 AND returned_ore <= granted_ore),
    submitted_at     BIGINT NOT NULL,
    CHECK (status NOT IN ('partly_granted', 'rejected') OR (explanation IS NOT NULL AND length(trim(explanation)) >= 20)),
    CHECK (status <> 'granted' OR granted_ore = asked_ore),
    CHECK (status <> 'partly_granted' OR (granted_ore > 0 AND granted_ore < asked_ore)),
    CHECK (status NOT IN ('submitted', 'rejected') OR granted_ore = 0),
    CHECK ((status = 'submitted') = (decided_at IS NULL)),
    CHECK ((reported_at IS NULL) = (report IS NULL)),
    CHECK (reported_at IS NULL OR status IN ('granted', 'partly_granted'))
);
CREATE INDEX pool_applications_year_idx ON pool_applications (pool_year_id, status, decided_at, id);
CREATE INDEX pool_applications_applicant_idx ON pool_applications (applicant_id, id);

CREATE TABLE pool_budget_lines (
    application_id BIGINT NOT NULL REFERENCES pool_applications (id),
    position       BIGINT NOT NULL CHECK (position BETWEEN 1 AND 20),
    text           TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    amount_ore     BIGINT NOT NULL CHECK (amount_ore > 0),
    actual_ore     BIGINT CHECK (actual_ore IS NULL OR actual_ore >= 0),
    PRIMARY KEY (application_id, position)
);

CREATE TABLE pool_ledger (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_year_id   BIGINT NOT NULL REFERENCES pool_years (id),
    application_id BIGINT REFERENCES pool_applications (id),
    kind           TEXT NOT NULL CHECK (kind IN ('grant', 'return', 'correction')),
    amount_ore     BIGINT NOT NULL CHECK (amount_ore <> 0),
    balance_ore    BIGINT NOT NULL CHECK (balance_ore >= 0),
    note           TEXT CHECK (note IS NULL OR length(note) <= 2000),
    actor_id       BIGINT REFERENCES users (id),
    at             BIGINT NOT NULL,
    CHECK (kind = 'correction' OR amount_ore > 0),
    CHECK (kind = 'correction' OR application_id IS NOT NULL)
);
CREATE INDEX pool_ledger_year_idx ON pool_ledger (pool_year_id, id);
CREATE UNIQUE INDEX pool_ledger_one_grant_idx ON pool_ledger (application_id) WHERE kind = 'grant';
CREATE FUNCTION pool_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pool_ledger_append_only BEFORE UPDATE OR DELETE ON pool_ledger
    FOR EACH ROW EXECUTE FUNCTION pool_ledger_append_only();
CREATE FUNCTION pool_applications_decided_once() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'submitted' AND (NEW.status <> OLD.status OR NEW.granted_ore <> OLD.granted_ore) THEN
        RAISE EXCEPTION 'the application is already decided';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER pool_applications_decided_once BEFORE UPDATE ON pool_applications
    FOR EACH ROW EXECUTE FUNCTION pool_applications_decided_once();
