-- Politicians answer, continued: "Forstod du svaret?", requests for a clearer answer and
-- the politicians' clarifications, reminders sent by the background task, and the
-- notification kinds they need. (Twin of the SQLite migration.)

CREATE TABLE answer_feedback (
    proposal_id   BIGINT NOT NULL REFERENCES proposals (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    understood    BIGINT NOT NULL CHECK (understood IN (0, 1)),
    wants_clearer BIGINT NOT NULL DEFAULT 0 CHECK (wants_clearer IN (0, 1)),
    at            BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX answer_feedback_clearer_idx ON answer_feedback (proposal_id) WHERE wants_clearer = 1;

CREATE TABLE answer_clarifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    actor_id    BIGINT REFERENCES users (id),
    by_name     TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 300),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 20 AND 10000),
    at          BIGINT NOT NULL
);
CREATE INDEX answer_clarifications_proposal_idx ON answer_clarifications (proposal_id, at);
CREATE FUNCTION answer_clarifications_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'clarifications are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER answer_clarifications_append_only BEFORE UPDATE OR DELETE ON answer_clarifications
    FOR EACH ROW EXECUTE FUNCTION answer_clarifications_append_only();

CREATE TABLE reminders_sent (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('deadline_soon', 'overdue')),
    at          BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, kind)
);

CREATE INDEX proposals_submitted_idx ON proposals (submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX proposal_events_kind_idx ON proposal_events (proposal_id, kind);

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN (
    'submitted', 'approved', 'on_agenda', 'removed_from_agenda', 'forwarded', 'rejected_by_council',
    'resolved_by_council', 'answered', 'follow_up', 'hidden', 'deadline_soon', 'overdue',
    'clearer_requested', 'clarified'));
