-- Politicians answer, continued: "Forstod du svaret?", requests for a clearer answer and
-- the politicians' clarifications, reminders sent by the background task, and the
-- notification kinds they need.

-- One reply per person and proposal (author or supporter): did the answer make sense?
CREATE TABLE answer_feedback (
    proposal_id   BIGINT NOT NULL REFERENCES proposals (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    understood    BIGINT NOT NULL CHECK (understood IN (0, 1)),
    -- 1 while the person waits for a clearer answer; a clarification sets it back to 0.
    wants_clearer BIGINT NOT NULL DEFAULT 0 CHECK (wants_clearer IN (0, 1)),
    at            BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX answer_feedback_clearer_idx ON answer_feedback (proposal_id) WHERE wants_clearer = 1;

-- A politician's clarification of an answer (append-only).
CREATE TABLE answer_clarifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    actor_id    BIGINT REFERENCES users (id),
    by_name     TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 300),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 20 AND 10000),
    at          BIGINT NOT NULL
);
CREATE INDEX answer_clarifications_proposal_idx ON answer_clarifications (proposal_id, at);
CREATE TRIGGER answer_clarifications_no_update BEFORE UPDATE ON answer_clarifications
BEGIN
    SELECT RAISE(ABORT, 'clarifications are append-only');
END;
CREATE TRIGGER answer_clarifications_no_delete BEFORE DELETE ON answer_clarifications
BEGIN
    SELECT RAISE(ABORT, 'clarifications are append-only');
END;

-- A reminder is sent once per proposal and kind: the primary key makes the background
-- task safe when several server instances run it at the same time.
CREATE TABLE reminders_sent (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('deadline_soon', 'overdue')),
    at          BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, kind)
);

-- For the yearly overview: proposals by submission time.
CREATE INDEX proposals_submitted_idx ON proposals (submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX proposal_events_kind_idx ON proposal_events (proposal_id, kind);

-- New notification kinds (SQLite cannot change a CHECK in place: rebuild the table).
CREATE TABLE notifications_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('submitted', 'approved', 'on_agenda', 'removed_from_agenda',
                                              'forwarded', 'rejected_by_council', 'resolved_by_council',
                                              'answered', 'follow_up', 'hidden', 'deadline_soon',
                                              'overdue', 'clearer_requested', 'clarified')),
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
INSERT INTO notifications_new (id, user_id, proposal_id, kind, created_at, read_at)
    SELECT id, user_id, proposal_id, kind, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
