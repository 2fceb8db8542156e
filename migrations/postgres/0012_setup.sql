-- Setting a municipality up from an empty database: a fourth kind of council (another youth
-- body, e.g. an Ungebyråd), age ranges for council members, archiving councils, committees
-- and schools (never deleting what has history), memberships and committee seats with
-- start and end dates, and the municipality's profile in settings.

ALTER TABLE councils DROP CONSTRAINT councils_kind_check;
ALTER TABLE councils ADD CONSTRAINT councils_kind_check
    CHECK (kind IN ('ungeraad', 'elevraad', 'faelles_elevraad', 'anden'));
ALTER TABLE councils ADD COLUMN min_age BIGINT CHECK (min_age IS NULL OR min_age BETWEEN 6 AND 30);
ALTER TABLE councils ADD COLUMN max_age BIGINT CHECK (max_age IS NULL OR max_age BETWEEN 6 AND 30);
ALTER TABLE councils ADD COLUMN archived_at BIGINT;
ALTER TABLE councils ADD CONSTRAINT councils_age_order CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age);

ALTER TABLE schools ADD COLUMN archived_at BIGINT;
ALTER TABLE committees ADD COLUMN archived_at BIGINT;

-- Terms as dates (YYYY-MM-DD, inclusive; Europe/Copenhagen). The year columns stay, kept in
-- step by the application, for the existing CHECKs.
ALTER TABLE user_roles ADD COLUMN starts_on TEXT CHECK (starts_on IS NULL OR length(starts_on) = 10);
ALTER TABLE user_roles ADD COLUMN ends_on TEXT CHECK (ends_on IS NULL OR length(ends_on) = 10);
UPDATE user_roles SET starts_on = CAST(term_start AS TEXT) || '-01-01', ends_on = CAST(term_end AS TEXT) || '-12-31'
    WHERE council_id IS NOT NULL;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_term_dates
    CHECK (council_id IS NULL OR (starts_on IS NOT NULL AND ends_on IS NOT NULL AND ends_on >= starts_on));
CREATE INDEX user_roles_council_idx ON user_roles (council_id, ends_on);

-- A politician's seat on a committee, from a date, until a date (NULL: still seated).
ALTER TABLE committee_members ADD COLUMN starts_on TEXT NOT NULL DEFAULT '2000-01-01' CHECK (length(starts_on) = 10);
ALTER TABLE committee_members ADD COLUMN ends_on TEXT CHECK (ends_on IS NULL OR (length(ends_on) = 10 AND ends_on >= starts_on));

-- An empty installation has no committee: the coordinator creates the real ones. The row
-- the first migration seeded goes unless something already uses it.
DELETE FROM committees WHERE name = 'Børne- og Ungeudvalget'
    AND NOT EXISTS (SELECT 1 FROM committee_members m WHERE m.committee_id = committees.id)
    AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.committee_id = committees.id);

-- The municipality's profile: defaults for what the law or habit gives.
INSERT INTO settings (key, value, updated_at) VALUES ('consent_age', '15', 0) ON CONFLICT DO NOTHING;
INSERT INTO settings (key, value, updated_at) VALUES ('pool_min_age', '13', 0) ON CONFLICT DO NOTHING;

-- One proposal's answer deadline set or extended by the coordinator, with a public reason
-- (shown on the proposal's timeline). Append-only, like the timeline.
CREATE TABLE proposal_deadline_changes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id     BIGINT NOT NULL REFERENCES proposals (id),
    old_deadline_at BIGINT,
    new_deadline_at BIGINT NOT NULL,
    reason          TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
    actor_id        BIGINT REFERENCES users (id),
    at              BIGINT NOT NULL
);
CREATE INDEX proposal_deadline_changes_idx ON proposal_deadline_changes (proposal_id, at);
CREATE TRIGGER proposal_deadline_changes_append_only BEFORE UPDATE OR DELETE ON proposal_deadline_changes
    FOR EACH ROW EXECUTE FUNCTION proposal_events_append_only();
