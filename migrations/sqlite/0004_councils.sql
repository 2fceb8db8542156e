-- Councils at work: officers, meetings, agendas, votes and ballots.

-- How a council votes: secret ballots never link a voter to a choice; changing a vote
-- while it is open is allowed only when the council chose so (named ballots only).
ALTER TABLE councils ADD COLUMN secret_ballot BIGINT NOT NULL DEFAULT 0 CHECK (secret_ballot IN (0, 1));
ALTER TABLE councils ADD COLUMN allow_vote_change BIGINT NOT NULL DEFAULT 0 CHECK (allow_vote_change IN (0, 1));

-- The chair (formand) and secretary of a council.
CREATE TABLE council_officers (
    council_id BIGINT NOT NULL REFERENCES councils (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    position   TEXT NOT NULL CHECK (position IN ('chair', 'secretary')),
    PRIMARY KEY (council_id, position, user_id)
);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    council_id BIGINT NOT NULL REFERENCES councils (id),
    starts_at  BIGINT NOT NULL,
    place      TEXT NOT NULL CHECK (length(place) BETWEEN 2 AND 200),
    status     TEXT NOT NULL CHECK (status IN ('planned', 'published', 'held', 'minutes_approved')),
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_council_idx ON meetings (council_id, starts_at);

CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 200),
    body        TEXT CHECK (body IS NULL OR length(body) <= 5000),
    proposal_id BIGINT REFERENCES proposals (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX agenda_items_meeting_idx ON agenda_items (meeting_id, position, id);
CREATE INDEX agenda_items_proposal_idx ON agenda_items (proposal_id);

-- One vote per agenda item. The tally is written when it closes, counted from the ballots
-- in the same statement; no ballot can be added to a closed vote (trigger below).
CREATE TABLE votes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Who has voted (one row per member and vote) ...
CREATE TABLE vote_participants (
    vote_id BIGINT NOT NULL REFERENCES votes (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    at      BIGINT NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);
-- ... and what was voted. In a secret ballot the ballot carries no user.
CREATE TABLE ballots (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    vote_id BIGINT NOT NULL REFERENCES votes (id),
    user_id BIGINT REFERENCES users (id),
    choice  TEXT NOT NULL CHECK (choice IN ('for', 'imod', 'undlader')),
    at      BIGINT NOT NULL
);
CREATE INDEX ballots_vote_idx ON ballots (vote_id);
CREATE UNIQUE INDEX ballots_named_idx ON ballots (vote_id, user_id) WHERE user_id IS NOT NULL;

CREATE TRIGGER ballots_only_while_open BEFORE INSERT ON ballots
WHEN (SELECT status FROM votes WHERE id = NEW.vote_id) IS NOT 'open'
BEGIN
    SELECT RAISE(ABORT, 'the vote is closed');
END;
CREATE TRIGGER ballots_change_only_while_open BEFORE UPDATE ON ballots
WHEN (SELECT status FROM votes WHERE id = NEW.vote_id) IS NOT 'open'
BEGIN
    SELECT RAISE(ABORT, 'the vote is closed');
END;
CREATE TRIGGER participants_only_while_open BEFORE INSERT ON vote_participants
WHEN (SELECT status FROM votes WHERE id = NEW.vote_id) IS NOT 'open'
BEGIN
    SELECT RAISE(ABORT, 'the vote is closed');
END;
CREATE TRIGGER votes_closed_stay_closed BEFORE UPDATE ON votes
WHEN OLD.status = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'a closed vote cannot change');
END;
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
BEGIN
    SELECT RAISE(ABORT, 'ballots cannot be deleted');
END;

INSERT INTO settings (key, value, updated_at) VALUES ('answer_weeks', '8', 0);

-- The timeline links "put on the agenda" to its meeting.
ALTER TABLE proposal_events ADD COLUMN meeting_id BIGINT REFERENCES meetings (id);
