-- Proposals (forslag), their life cycle and timeline, supports, follows, comments,
-- reports (moderation) and in-app notifications.

-- The legal steps of a proposal's life. The domain type `Stage::can_move_to` holds the
-- same list (a test compares them); the trigger below refuses any other step.
CREATE TABLE proposal_transitions (
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO proposal_transitions (from_status, to_status) VALUES
    ('draft', 'submitted'),
    ('submitted', 'on_agenda'),
    ('on_agenda', 'submitted'),
    ('on_agenda', 'forwarded'),
    ('on_agenda', 'rejected_by_council'),
    ('on_agenda', 'resolved_by_council'),
    ('forwarded', 'answered');

CREATE TABLE proposals (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id     BIGINT NOT NULL REFERENCES users (id),
    council_id    BIGINT NOT NULL REFERENCES councils (id),
    title         TEXT NOT NULL CHECK (length(title) <= 120),
    body          TEXT NOT NULL CHECK (length(body) <= 5000),
    theme         TEXT NOT NULL CHECK (theme IN ('fritid_kultur', 'skole_laering', 'trivsel_sundhed',
                                                 'faellesskab', 'by_natur', 'andet')),
    show_name     BIGINT NOT NULL CHECK (show_name IN (0, 1)),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'on_agenda', 'forwarded',
                                                  'rejected_by_council', 'resolved_by_council', 'answered')),
    -- published: visible to all; pending: waits for a moderator (pre-moderation); hidden: by a moderator.
    visibility    TEXT NOT NULL CHECK (visibility IN ('published', 'pending', 'hidden')),
    supporters    BIGINT NOT NULL DEFAULT 0 CHECK (supporters >= 0),
    comment_count BIGINT NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    submitted_at  BIGINT,
    decided_at    BIGINT,
    decision_text TEXT CHECK (decision_text IS NULL OR length(decision_text) <= 5000),
    committee     TEXT CHECK (committee IS NULL OR length(committee) <= 200),
    deadline_at   BIGINT,
    answer        TEXT CHECK (answer IS NULL OR answer IN ('ja', 'delvist', 'nej')),
    answer_text   TEXT CHECK (answer_text IS NULL OR length(answer_text) <= 10000),
    answered_at   BIGINT,
    hidden_reason TEXT CHECK (hidden_reason IS NULL OR length(hidden_reason) BETWEEN 5 AND 500),
    hidden_by     BIGINT REFERENCES users (id),
    hidden_at     BIGINT,
    -- Only a draft has not been submitted; a submitted proposal meets the length rules.
    CHECK ((status = 'draft') = (submitted_at IS NULL)),
    CHECK (status = 'draft' OR (length(title) >= 5 AND length(body) >= 20)),
    -- Forwarded proposals carry the committee and the answer deadline.
    CHECK (status NOT IN ('forwarded', 'answered') OR (committee IS NOT NULL AND deadline_at IS NOT NULL)),
    -- A council that declines explains; one that resolves says how.
    CHECK (status <> 'rejected_by_council' OR (decision_text IS NOT NULL AND length(decision_text) >= 20)),
    CHECK (status <> 'resolved_by_council' OR (decision_text IS NOT NULL AND length(decision_text) >= 5)),
    -- An answer exactly when answered; Nej and Delvist always with a written explanation.
    CHECK ((status = 'answered') = (answer IS NOT NULL AND answered_at IS NOT NULL)),
    CHECK (answer IS NULL OR answer = 'ja' OR (answer_text IS NOT NULL AND length(answer_text) >= 200)),
    CHECK ((visibility = 'hidden') = (hidden_reason IS NOT NULL AND hidden_at IS NOT NULL))
);
-- Public lists: newest and most supported, overall and per theme/status/council.
CREATE INDEX proposals_new_idx ON proposals (submitted_at, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_top_idx ON proposals (supporters, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_theme_idx ON proposals (theme, submitted_at, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_status_idx ON proposals (status, submitted_at, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_council_idx ON proposals (council_id, submitted_at, id)
    WHERE visibility = 'published' AND status <> 'draft';
CREATE INDEX proposals_author_idx ON proposals (author_id, id);
CREATE INDEX proposals_pending_idx ON proposals (id) WHERE visibility = 'pending' AND status <> 'draft';

CREATE FUNCTION proposals_legal_transition() RETURNS trigger AS $$
BEGIN
    IF NEW.status <> OLD.status AND NOT EXISTS (
        SELECT 1 FROM proposal_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN
        RAISE EXCEPTION 'illegal proposal status transition' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_legal_transition BEFORE UPDATE OF status ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_legal_transition();

-- Only drafts may be deleted; what was submitted stays on the record.
CREATE FUNCTION proposals_keep_submitted() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' THEN
        RAISE EXCEPTION 'submitted proposals cannot be deleted' USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_keep_submitted BEFORE DELETE ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_keep_submitted();

-- Full-text search over title and body: the 'simple' configuration (no stemming), so the
-- results match SQLite's FTS5 unicode61 tokenizer.
ALTER TABLE proposals ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED;
CREATE INDEX proposals_search_idx ON proposals USING GIN (search);

-- The timeline: every step, append-only.
CREATE TABLE proposal_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id   BIGINT NOT NULL REFERENCES proposals (id),
    kind          TEXT NOT NULL CHECK (kind IN ('submitted', 'approved', 'on_agenda', 'removed_from_agenda',
                                                'forwarded', 'rejected_by_council', 'resolved_by_council',
                                                'answered', 'follow_up')),
    at            BIGINT NOT NULL,
    actor_id      BIGINT REFERENCES users (id),
    council_id    BIGINT REFERENCES councils (id),
    -- The meeting (on_agenda) or committee (forwarded, answered), as shown.
    label         TEXT CHECK (label IS NULL OR length(label) <= 200),
    body          TEXT CHECK (body IS NULL OR length(body) <= 10000),
    answer        TEXT CHECK (answer IS NULL OR answer IN ('ja', 'delvist', 'nej')),
    follow_up     TEXT CHECK (follow_up IS NULL OR follow_up IN ('planlagt', 'i_gang', 'gennemfoert', 'opgivet')),
    votes_for     BIGINT CHECK (votes_for IS NULL OR votes_for >= 0),
    votes_against BIGINT CHECK (votes_against IS NULL OR votes_against >= 0),
    votes_abstain BIGINT CHECK (votes_abstain IS NULL OR votes_abstain >= 0),
    deadline_at   BIGINT,
    CHECK (kind <> 'rejected_by_council' OR (body IS NOT NULL AND length(body) >= 20)),
    CHECK (kind <> 'forwarded' OR (deadline_at IS NOT NULL AND label IS NOT NULL)),
    CHECK ((kind = 'answered') = (answer IS NOT NULL)),
    CHECK (answer IS NULL OR answer = 'ja' OR (body IS NOT NULL AND length(body) >= 200)),
    CHECK ((kind = 'follow_up') = (follow_up IS NOT NULL)),
    CHECK (follow_up IS NULL OR follow_up <> 'opgivet' OR (body IS NOT NULL AND length(body) >= 20))
);
CREATE INDEX proposal_events_proposal_idx ON proposal_events (proposal_id, at, id);
CREATE FUNCTION proposal_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the timeline is append-only' USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposal_events_append_only BEFORE UPDATE OR DELETE ON proposal_events
    FOR EACH ROW EXECUTE FUNCTION proposal_events_append_only();

-- One support per person; the stored count follows the rows (same transaction, by trigger).
CREATE TABLE proposal_supports (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_supports_user_idx ON proposal_supports (user_id);
CREATE FUNCTION proposal_supports_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE proposals SET supporters = supporters + 1 WHERE id = NEW.proposal_id;
    ELSE
        UPDATE proposals SET supporters = supporters - 1 WHERE id = OLD.proposal_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposal_supports_count AFTER INSERT OR DELETE ON proposal_supports
    FOR EACH ROW EXECUTE FUNCTION proposal_supports_count();

CREATE TABLE proposal_follows (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_follows_user_idx ON proposal_follows (user_id);

CREATE TABLE comments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id   BIGINT NOT NULL REFERENCES proposals (id),
    author_id     BIGINT NOT NULL REFERENCES users (id),
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 2 AND 2000),
    created_at    BIGINT NOT NULL,
    hidden_reason TEXT CHECK (hidden_reason IS NULL OR length(hidden_reason) BETWEEN 5 AND 500),
    hidden_by     BIGINT REFERENCES users (id),
    hidden_at     BIGINT,
    CHECK ((hidden_reason IS NULL) = (hidden_at IS NULL))
);
CREATE INDEX comments_proposal_idx ON comments (proposal_id, id);
CREATE FUNCTION comments_count() RETURNS trigger AS $$
BEGIN
    UPDATE proposals SET comment_count = comment_count + 1 WHERE id = NEW.proposal_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comments_count AFTER INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_count();

-- Reports to the moderators: one open report per person and item.
CREATE TABLE reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    comment_id  BIGINT REFERENCES comments (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 5 AND 500),
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES users (id),
    resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('hidden', 'dismissed')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE UNIQUE INDEX reports_once_idx ON reports (reporter_id, proposal_id, COALESCE(comment_id, 0))
    WHERE resolved_at IS NULL;
CREATE INDEX reports_open_idx ON reports (id) WHERE resolved_at IS NULL;

CREATE TABLE notifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    kind        TEXT NOT NULL CHECK (kind IN ('submitted', 'approved', 'on_agenda', 'removed_from_agenda',
                                              'forwarded', 'rejected_by_council', 'resolved_by_council',
                                              'answered', 'follow_up', 'hidden')),
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

INSERT INTO settings (key, value, updated_at) VALUES ('pre_moderation', 'off', 0);
