-- Hearings (høringer, issue #21): the twin of the SQLite migration; the comments there say
-- what each part is for. Triggers carry the SQLite triggers' names, one per event.

CREATE TABLE hearings (
    id            BIGSERIAL PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    sender_id     BIGINT NOT NULL REFERENCES users (id),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 160),
    question      TEXT NOT NULL CHECK (length(question) BETWEEN 20 AND 1000),
    background    TEXT NOT NULL CHECK (length(background) <= 20000),
    decision_at   BIGINT NOT NULL,
    respond_by    BIGINT NOT NULL,
    feedback_by   BIGINT NOT NULL,
    allow_input   BIGINT NOT NULL CHECK (allow_input IN (0, 1)),
    status        TEXT NOT NULL CHECK (status IN ('open', 'feedback_given')),
    decision_text TEXT CHECK (decision_text IS NULL OR length(decision_text) BETWEEN 20 AND 5000),
    feedback_at   BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT hearings_dates_check CHECK (respond_by <= decision_at AND decision_at < feedback_by),
    CONSTRAINT hearings_feedback_check CHECK ((status = 'feedback_given') = (feedback_at IS NOT NULL AND decision_text IS NOT NULL))
);
CREATE INDEX hearings_list_idx ON hearings (status, id);
CREATE INDEX hearings_feedback_due_idx ON hearings (feedback_by) WHERE status = 'open';
CREATE INDEX hearings_created_idx ON hearings (created_at);

CREATE TABLE hearing_councils (
    hearing_id     BIGINT NOT NULL REFERENCES hearings (id),
    council_id     BIGINT NOT NULL REFERENCES councils (id),
    status         TEXT NOT NULL CHECK (status IN ('awaiting', 'responded', 'declined')),
    draft          TEXT CHECK (draft IS NULL OR length(draft) <= 10000),
    draft_by       BIGINT REFERENCES users (id),
    draft_at       BIGINT,
    response       TEXT CHECK (response IS NULL OR length(response) BETWEEN 20 AND 10000),
    decline_reason TEXT CHECK (decline_reason IS NULL OR length(decline_reason) <= 5000),
    vote_id        BIGINT REFERENCES votes (id),
    decided_by     BIGINT REFERENCES users (id),
    decided_at     BIGINT,
    use_kind       TEXT CHECK (use_kind IS NULL OR use_kind IN ('used', 'partly', 'not_used')),
    use_text       TEXT CHECK (use_text IS NULL OR length(use_text) <= 5000),
    PRIMARY KEY (hearing_id, council_id),
    CONSTRAINT hearing_councils_decided_check CHECK ((status = 'awaiting') = (decided_at IS NULL)),
    CONSTRAINT hearing_councils_responded_check CHECK (status <> 'responded' OR (response IS NOT NULL AND vote_id IS NOT NULL)),
    CONSTRAINT hearing_councils_decline_check CHECK (status <> 'declined' OR (decline_reason IS NOT NULL AND response IS NULL)),
    CONSTRAINT hearing_councils_use_check CHECK (use_kind IS NULL OR status = 'responded')
);
CREATE INDEX hearing_councils_council_idx ON hearing_councils (council_id, hearing_id);

CREATE FUNCTION hearing_councils_decision() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'awaiting' AND NEW.status = 'responded' AND NOT EXISTS (
           SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
           JOIN meetings m ON m.id = a.meeting_id
           WHERE v.id = NEW.vote_id AND a.hearing_id = NEW.hearing_id AND m.council_id = NEW.council_id
             AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members)
       OR (OLD.status = 'awaiting' AND NEW.status <> 'awaiting'
           AND NEW.decided_at > (SELECT h.respond_by FROM hearings h WHERE h.id = NEW.hearing_id))
       OR (OLD.status <> 'awaiting' AND (NEW.status IS DISTINCT FROM OLD.status
           OR NEW.response IS DISTINCT FROM OLD.response
           OR NEW.decline_reason IS DISTINCT FROM OLD.decline_reason
           OR NEW.vote_id IS DISTINCT FROM OLD.vote_id OR NEW.decided_at IS DISTINCT FROM OLD.decided_at)) THEN
        RAISE EXCEPTION 'a hearing response needs a passed vote before the deadline, and stays as decided' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER hearing_councils_decision BEFORE UPDATE ON hearing_councils
    FOR EACH ROW EXECUTE FUNCTION hearing_councils_decision();

CREATE FUNCTION hearing_councils_floor() RETURNS trigger AS $$
BEGIN
    IF (NEW.status = 'declined' AND explanation_too_thin(NEW.decline_reason, 20)
        AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
             OR NEW.decline_reason IS DISTINCT FROM OLD.decline_reason))
       OR (NEW.use_kind IN ('partly', 'not_used') AND explanation_too_thin(NEW.use_text, 200)
        AND (TG_OP = 'INSERT' OR NEW.use_kind IS DISTINCT FROM OLD.use_kind
             OR NEW.use_text IS DISTINCT FROM OLD.use_text)) THEN
        RAISE EXCEPTION 'a decline needs 20 characters of explanation, feedback that does not follow a response 200' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER hearing_councils_floor_insert BEFORE INSERT ON hearing_councils
    FOR EACH ROW EXECUTE FUNCTION hearing_councils_floor();
CREATE TRIGGER hearing_councils_floor_update BEFORE UPDATE ON hearing_councils
    FOR EACH ROW EXECUTE FUNCTION hearing_councils_floor();

CREATE FUNCTION hearings_feedback() RETURNS trigger AS $$
BEGIN
    IF (OLD.status = 'feedback_given' AND (NEW.status IS DISTINCT FROM OLD.status
        OR NEW.decision_text IS DISTINCT FROM OLD.decision_text
        OR NEW.feedback_at IS DISTINCT FROM OLD.feedback_at))
       OR (NEW.status = 'feedback_given' AND OLD.status = 'open' AND EXISTS (
           SELECT 1 FROM hearing_councils c WHERE c.hearing_id = NEW.id
             AND c.status = 'responded' AND c.use_kind IS NULL)) THEN
        RAISE EXCEPTION 'feedback says how every response was used, and is published once' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER hearings_feedback BEFORE UPDATE ON hearings
    FOR EACH ROW EXECUTE FUNCTION hearings_feedback();

CREATE TABLE hearing_inputs (
    id           BIGSERIAL PRIMARY KEY,
    hearing_id   BIGINT NOT NULL REFERENCES hearings (id),
    author_id    BIGINT NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 10 AND 1000),
    anonymous    BIGINT NOT NULL CHECK (anonymous IN (0, 1)),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    moderated_by BIGINT REFERENCES users (id),
    moderated_at BIGINT,
    created_at   BIGINT NOT NULL,
    UNIQUE (hearing_id, author_id),
    CONSTRAINT hearing_inputs_moderated_check CHECK ((status = 'pending') = (moderated_at IS NULL))
);
CREATE INDEX hearing_inputs_hearing_idx ON hearing_inputs (hearing_id, status, id);

CREATE FUNCTION hearing_inputs_open() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM hearings h WHERE h.id = NEW.hearing_id AND h.allow_input = 1
                   AND h.status = 'open' AND NEW.created_at <= h.respond_by) THEN
        RAISE EXCEPTION 'the hearing takes no input from young people now' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER hearing_inputs_open BEFORE INSERT ON hearing_inputs
    FOR EACH ROW EXECUTE FUNCTION hearing_inputs_open();

CREATE TABLE hearing_comments (
    id         BIGSERIAL PRIMARY KEY,
    hearing_id BIGINT NOT NULL,
    council_id BIGINT NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 2 AND 2000),
    created_at BIGINT NOT NULL,
    FOREIGN KEY (hearing_id, council_id) REFERENCES hearing_councils (hearing_id, council_id)
);
CREATE INDEX hearing_comments_idx ON hearing_comments (hearing_id, council_id, id);

CREATE TABLE hearing_files (
    id          BIGSERIAL PRIMARY KEY,
    hearing_id  BIGINT NOT NULL REFERENCES hearings (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 5 AND 120),
    size        BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    content     BYTEA NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    UNIQUE (hearing_id, sha256)
);
CREATE INDEX hearing_files_hearing_idx ON hearing_files (hearing_id, id);

ALTER TABLE agenda_items ADD COLUMN hearing_id BIGINT REFERENCES hearings (id);
CREATE INDEX agenda_items_hearing_idx ON agenda_items (hearing_id);

ALTER TABLE comments ADD COLUMN author_role TEXT CHECK (author_role IS NULL OR author_role IN ('politician', 'coordinator'));
ALTER TABLE comments ADD COLUMN question BIGINT NOT NULL DEFAULT 0 CHECK (question IN (0, 1));

ALTER TABLE notifications ALTER COLUMN proposal_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN hearing_id BIGINT REFERENCES hearings (id);
ALTER TABLE notifications ADD CONSTRAINT notifications_subject_check CHECK ((proposal_id IS NULL) <> (hearing_id IS NULL));
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
    'submitted', 'approved', 'on_agenda', 'removed_from_agenda', 'forwarded', 'rejected_by_council',
    'resolved_by_council', 'answered', 'follow_up', 'hidden', 'deadline_soon', 'overdue',
    'clearer_requested', 'clarified', 'adult_comment', 'adult_question', 'hearing_sent',
    'hearing_decided', 'hearing_feedback', 'hearing_overdue'));
