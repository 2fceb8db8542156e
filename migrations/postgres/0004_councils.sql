-- Councils at work: officers, meetings, agendas, votes and ballots.

ALTER TABLE councils ADD COLUMN secret_ballot BIGINT NOT NULL DEFAULT 0 CHECK (secret_ballot IN (0, 1));
ALTER TABLE councils ADD COLUMN allow_vote_change BIGINT NOT NULL DEFAULT 0 CHECK (allow_vote_change IN (0, 1));

CREATE TABLE council_officers (
    council_id BIGINT NOT NULL REFERENCES councils (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    position   TEXT NOT NULL CHECK (position IN ('chair', 'secretary')),
    PRIMARY KEY (council_id, position, user_id)
);

CREATE TABLE meetings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id BIGINT NOT NULL REFERENCES councils (id),
    starts_at  BIGINT NOT NULL,
    place      TEXT NOT NULL CHECK (length(place) BETWEEN 2 AND 200),
    status     TEXT NOT NULL CHECK (status IN ('planned', 'published', 'held', 'minutes_approved')),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_council_idx ON meetings (council_id, starts_at);

CREATE TABLE agenda_items (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 200),
    body        TEXT CHECK (body IS NULL OR length(body) <= 5000),
    proposal_id BIGINT REFERENCES proposals (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX agenda_items_meeting_idx ON agenda_items (meeting_id, position, id);
CREATE INDEX agenda_items_proposal_idx ON agenda_items (proposal_id);

CREATE TABLE votes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agenda_item_id BIGINT NOT NULL UNIQUE REFERENCES agenda_items (id),
    status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    secret         BIGINT NOT NULL CHECK (secret IN (0, 1)),
    members        BIGINT NOT NULL CHECK (members >= 0),
    opened_at      BIGINT NOT NULL,
    closed_at      BIGINT,
    yes            BIGINT,
    no             BIGINT,
    abstain        BIGINT,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL AND yes IS NOT NULL AND no IS NOT NULL AND abstain IS NOT NULL))
);

CREATE TABLE vote_participants (
    vote_id BIGINT NOT NULL REFERENCES votes (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at      BIGINT NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);
CREATE TABLE ballots (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vote_id BIGINT NOT NULL REFERENCES votes (id),
    user_id BIGINT REFERENCES users (id),
    choice  TEXT NOT NULL CHECK (choice IN ('for', 'imod', 'undlader')),
    at      BIGINT NOT NULL
);
CREATE INDEX ballots_vote_idx ON ballots (vote_id);
CREATE UNIQUE INDEX ballots_named_idx ON ballots (vote_id, user_id) WHERE user_id IS NOT NULL;

-- Ballots and participation only while the vote is open. The vote row is locked
-- (FOR SHARE) so a ballot cannot slip in while the vote is being closed.
CREATE FUNCTION ballots_only_while_open() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ballots cannot be deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF (SELECT status FROM votes WHERE id = NEW.vote_id FOR SHARE) IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'the vote is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER ballots_only_while_open BEFORE INSERT OR UPDATE OR DELETE ON ballots
    FOR EACH ROW EXECUTE FUNCTION ballots_only_while_open();
CREATE TRIGGER participants_only_while_open BEFORE INSERT ON vote_participants
    FOR EACH ROW EXECUTE FUNCTION ballots_only_while_open();

CREATE FUNCTION votes_closed_stay_closed() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'a closed vote cannot change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER votes_closed_stay_closed BEFORE UPDATE ON votes
    FOR EACH ROW EXECUTE FUNCTION votes_closed_stay_closed();

INSERT INTO settings (key, value, updated_at) VALUES ('answer_weeks', '8', 0);

-- The timeline links "put on the agenda" to its meeting.
ALTER TABLE proposal_events ADD COLUMN meeting_id BIGINT REFERENCES meetings (id);
