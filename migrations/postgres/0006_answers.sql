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
