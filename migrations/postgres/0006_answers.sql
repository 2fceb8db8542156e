-- Politicians answer: committees and their members; the answer's reason category and who
-- answered.

CREATE TABLE committees (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 200),
    created_at BIGINT NOT NULL
);
INSERT INTO committees (name, created_at) VALUES ('Børne- og Ungeudvalget', 0);

CREATE TABLE committee_members (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (committee_id, user_id)
);
CREATE INDEX committee_members_user_idx ON committee_members (user_id);

ALTER TABLE proposals ADD COLUMN committee_id BIGINT REFERENCES committees (id);
ALTER TABLE proposals ADD COLUMN answer_reason TEXT CHECK (answer_reason IS NULL OR answer_reason IN
    ('oekonomi', 'lovgivning', 'ikke_kommunens_ansvar', 'allerede_planlagt', 'andet'));
ALTER TABLE proposals ADD COLUMN answered_by TEXT CHECK (answered_by IS NULL OR length(answered_by) <= 300);
CREATE INDEX proposals_deadline_idx ON proposals (deadline_at, id) WHERE status = 'forwarded';

-- Nej and Delvist name a reason category, too.
CREATE FUNCTION proposals_answer_reason() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'answered' AND NEW.answer IN ('delvist', 'nej') AND NEW.answer_reason IS NULL THEN
        RAISE EXCEPTION 'Nej and Delvist need a reason category' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_answer_reason BEFORE UPDATE OF status ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_answer_reason();

-- Secret ballots are counted, not stored one by one: no row, timestamp or id order can
-- link a voter (vote_participants) to a choice. Three counters per secret vote.
CREATE TABLE secret_counts (
    vote_id BIGINT NOT NULL REFERENCES votes (id),
    choice  TEXT NOT NULL CHECK (choice IN ('for', 'imod', 'undlader')),
    n       BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (vote_id, choice)
);

-- Indexes for "most supported" within a filter, and for closing a target's reports.
CREATE INDEX proposals_theme_top_idx ON proposals (theme, supporters, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_status_top_idx ON proposals (status, supporters, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_council_top_idx ON proposals (council_id, supporters, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX reports_target_idx ON reports (proposal_id) WHERE resolved_at IS NULL;
CREATE FUNCTION secret_counts_only_while_open() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM votes WHERE id = NEW.vote_id FOR SHARE) IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'the vote is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER secret_counts_only_while_open BEFORE UPDATE ON secret_counts
    FOR EACH ROW EXECUTE FUNCTION secret_counts_only_while_open();
