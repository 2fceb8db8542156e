-- Hearings (høringer, issue #21; DOMAIN.md "Hearings"): a committee's politician or the
-- coordinator asks one or more councils first. Each council adopts a response
-- (høringssvar) by a passed vote on an agenda item about the hearing, or declines with an
-- explanation, before the response deadline. After the committee has decided, the sender
-- publishes feedback (tilbagemelding): what was decided and, for each response, whether it
-- was used (fully, partly, not) and why; not following a response needs an explanation
-- with the same floor as a Nej answer (200 characters). Times are microseconds since the
-- epoch, as everywhere. Phases (open, awaiting feedback, overdue) follow from the times and
-- are computed by app/src/domain/hearing.rs; only feedback is a stored state change.

CREATE TABLE hearings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- One row per council asked: its draft, then its decision (a response adopted by vote, or a
-- decline), then the sender's feedback on it.
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

-- A council adopts its response only by a closed, passed vote (quorum and majority) on an
-- agenda item about this hearing at a meeting of that council, and decides (responds or
-- declines) only before the response deadline; a decision never changes afterwards.
CREATE TRIGGER hearing_councils_decision BEFORE UPDATE ON hearing_councils
WHEN (OLD.status = 'awaiting' AND NEW.status = 'responded' AND NOT EXISTS (
        SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
        JOIN meetings m ON m.id = a.meeting_id
        WHERE v.id = NEW.vote_id AND a.hearing_id = NEW.hearing_id AND m.council_id = NEW.council_id
          AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members))
  OR (OLD.status = 'awaiting' AND NEW.status <> 'awaiting'
      AND NEW.decided_at > (SELECT h.respond_by FROM hearings h WHERE h.id = NEW.hearing_id))
  OR (OLD.status <> 'awaiting' AND (NEW.status IS NOT OLD.status OR NEW.response IS NOT OLD.response
      OR NEW.decline_reason IS NOT OLD.decline_reason OR NEW.vote_id IS NOT OLD.vote_id
      OR NEW.decided_at IS NOT OLD.decided_at))
BEGIN
    SELECT RAISE(ABORT, 'a hearing response needs a passed vote before the deadline, and stays as decided');
END;

-- A decline and feedback that does not follow a response carry real explanations (the
-- floor of 0015: 20 characters for a council's decline, 200 like a Nej answer).
CREATE TRIGGER hearing_councils_floor_insert BEFORE INSERT ON hearing_councils
WHEN (NEW.status = 'declined'
      AND COALESCE(length(trim(NEW.decline_reason, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20)
  OR (NEW.use_kind IN ('partly', 'not_used')
      AND COALESCE(length(trim(NEW.use_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 200)
BEGIN
    SELECT RAISE(ABORT, 'a decline needs 20 characters of explanation, feedback that does not follow a response 200');
END;
CREATE TRIGGER hearing_councils_floor_update BEFORE UPDATE ON hearing_councils
WHEN (NEW.status = 'declined'
      AND (NEW.status IS NOT OLD.status OR NEW.decline_reason IS NOT OLD.decline_reason)
      AND COALESCE(length(trim(NEW.decline_reason, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20)
  OR (NEW.use_kind IN ('partly', 'not_used')
      AND (NEW.use_kind IS NOT OLD.use_kind OR NEW.use_text IS NOT OLD.use_text)
      AND COALESCE(length(trim(NEW.use_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 200)
BEGIN
    SELECT RAISE(ABORT, 'a decline needs 20 characters of explanation, feedback that does not follow a response 200');
END;

-- Feedback is published once, and only when every adopted response says how it was used.
CREATE TRIGGER hearings_feedback BEFORE UPDATE ON hearings
WHEN (OLD.status = 'feedback_given' AND (NEW.status IS NOT OLD.status
      OR NEW.decision_text IS NOT OLD.decision_text OR NEW.feedback_at IS NOT OLD.feedback_at))
  OR (NEW.status = 'feedback_given' AND OLD.status = 'open' AND EXISTS (
        SELECT 1 FROM hearing_councils c WHERE c.hearing_id = NEW.id
          AND c.status = 'responded' AND c.use_kind IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'feedback says how every response was used, and is published once');
END;

-- Input from young people outside the councils, when the sender allows it: pre-moderated,
-- shown with the author's first name or anonymously (the author's choice). One per person.
CREATE TABLE hearing_inputs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE TRIGGER hearing_inputs_open BEFORE INSERT ON hearing_inputs
WHEN NOT EXISTS (SELECT 1 FROM hearings h WHERE h.id = NEW.hearing_id AND h.allow_input = 1
                 AND h.status = 'open' AND NEW.created_at <= h.respond_by)
BEGIN
    SELECT RAISE(ABORT, 'the hearing takes no input from young people now');
END;

-- Council members' comments on their council's draft response.
CREATE TABLE hearing_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    hearing_id BIGINT NOT NULL,
    council_id BIGINT NOT NULL,
    author_id  BIGINT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 2 AND 2000),
    created_at BIGINT NOT NULL,
    FOREIGN KEY (hearing_id, council_id) REFERENCES hearing_councils (hearing_id, council_id)
);
CREATE INDEX hearing_comments_idx ON hearing_comments (hearing_id, council_id, id);

-- Background files (PDF only, at most 10 MiB each), kept in the database so a backup holds
-- them; served as attachments under their safe name. The same file twice is one file.
CREATE TABLE hearing_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    hearing_id  BIGINT NOT NULL REFERENCES hearings (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 5 AND 120),
    size        BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    content     BLOB NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    UNIQUE (hearing_id, sha256)
);
CREATE INDEX hearing_files_hearing_idx ON hearing_files (hearing_id, id);

-- An agenda item can be about a hearing (the council's response, adopted by the item's vote).
ALTER TABLE agenda_items ADD COLUMN hearing_id BIGINT REFERENCES hearings (id);
CREATE INDEX agenda_items_hearing_idx ON agenda_items (hearing_id);

-- Dialogue on proposals: a politician's or the coordinator's comment shows their role; a
-- politician may ask the author a question before answering (the deadline does not move).
ALTER TABLE comments ADD COLUMN author_role TEXT CHECK (author_role IS NULL OR author_role IN ('politician', 'coordinator'));
ALTER TABLE comments ADD COLUMN question BIGINT NOT NULL DEFAULT 0 CHECK (question IN (0, 1));

-- Notifications about hearings (proposal_id empty, hearing_id set) and the new kinds.
-- SQLite cannot change a column or a CHECK in place: rebuild the table (as 0007 did).
CREATE TABLE notifications_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    proposal_id BIGINT REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('submitted', 'approved', 'on_agenda', 'removed_from_agenda',
                                              'forwarded', 'rejected_by_council', 'resolved_by_council',
                                              'answered', 'follow_up', 'hidden', 'deadline_soon',
                                              'overdue', 'clearer_requested', 'clarified',
                                              'adult_comment', 'adult_question', 'hearing_sent',
                                              'hearing_decided', 'hearing_feedback', 'hearing_overdue')),
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    hearing_id  BIGINT REFERENCES hearings (id),
    CONSTRAINT notifications_subject_check CHECK ((proposal_id IS NULL) <> (hearing_id IS NULL))
);
INSERT INTO notifications_new (id, user_id, proposal_id, kind, created_at, read_at)
    SELECT id, user_id, proposal_id, kind, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
