-- Live sessions (issue #23; DOMAIN.md "Live sessions"): Bytinget and class sessions. People
-- are in one room for an hour and join on their phones with a short code; an account is
-- optional. Without one, a participant is a random token (kept hashed) and a number
-- ("Deltager 7") for this session only: nothing personal is stored. Times are microseconds
-- since the epoch, as everywhere.

-- A teacher (Lærer) at one school, granted by the coordinator: opens class sessions and
-- confirms the school's pupils.
CREATE TABLE teachers (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    school_id  BIGINT NOT NULL REFERENCES schools (id),
    granted_by BIGINT REFERENCES users (id),
    granted_at BIGINT NOT NULL
);
CREATE INDEX teachers_school_idx ON teachers (school_id);

CREATE TABLE live_sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
    kind          TEXT NOT NULL CHECK (kind IN ('bytinget', 'klasse')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 3 AND 120),
    host_id       BIGINT NOT NULL REFERENCES users (id),
    school_id     BIGINT REFERENCES schools (id),
    class_name    TEXT CHECK (class_name IS NULL OR length(class_name) BETWEEN 1 AND 40),
    speakers_open BIGINT NOT NULL DEFAULT 1 CHECK (speakers_open IN (0, 1)),
    ideas_open    BIGINT NOT NULL DEFAULT 1 CHECK (ideas_open IN (0, 1)),
    dots_open     BIGINT NOT NULL DEFAULT 0 CHECK (dots_open IN (0, 1)),
    -- Stored count: joins number themselves from it.
    participants  BIGINT NOT NULL DEFAULT 0 CHECK (participants >= 0),
    opened_at     BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    closed_at     BIGINT,
    CONSTRAINT live_sessions_class_check CHECK ((kind = 'klasse') = (school_id IS NOT NULL AND class_name IS NOT NULL)),
    CONSTRAINT live_sessions_expiry_check CHECK (expires_at > opened_at)
);
CREATE INDEX live_sessions_host_idx ON live_sessions (host_id, id);

CREATE TABLE live_participants (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES live_sessions (id),
    -- SHA-256 of the participant's token (the cookie holds the token itself).
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    number     BIGINT NOT NULL CHECK (number > 0),
    joined_at  BIGINT NOT NULL,
    UNIQUE (session_id, number),
    UNIQUE (id, session_id)
);
CREATE UNIQUE INDEX live_participants_user_idx ON live_participants (session_id, user_id) WHERE user_id IS NOT NULL;

-- Joining only while the session is open and not expired (the session row is locked so a
-- join cannot slip in while it is being closed).
CREATE FUNCTION live_participants_join() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM live_sessions s WHERE s.id = NEW.session_id
                   AND s.closed_at IS NULL AND NEW.joined_at < s.expires_at FOR SHARE) THEN
        RAISE EXCEPTION 'the live session is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER live_participants_join BEFORE INSERT ON live_participants
    FOR EACH ROW EXECUTE FUNCTION live_participants_join();

-- The agenda: proposals and free items.
CREATE TABLE live_items (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  BIGINT NOT NULL REFERENCES live_sessions (id),
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 2 AND 200),
    proposal_id BIGINT REFERENCES proposals (id),
    created_at  BIGINT NOT NULL,
    UNIQUE (id, session_id)
);
CREATE INDEX live_items_session_idx ON live_items (session_id, position);
CREATE INDEX live_items_proposal_idx ON live_items (proposal_id) WHERE proposal_id IS NOT NULL;

-- The speakers' list: a participant waits once at a time; one speaks at a time.
CREATE TABLE live_speakers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    sort_key       BIGINT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('waiting', 'speaking', 'done')),
    requested_at   BIGINT NOT NULL,
    FOREIGN KEY (participant_id, session_id) REFERENCES live_participants (id, session_id)
);
CREATE UNIQUE INDEX live_speakers_once_idx ON live_speakers (session_id, participant_id) WHERE state <> 'done';
CREATE UNIQUE INDEX live_speakers_speaking_idx ON live_speakers (session_id) WHERE state = 'speaking';
CREATE INDEX live_speakers_order_idx ON live_speakers (session_id, state, sort_key);

-- Live votes: For / Imod / Undlader or options, with an optional timer (closes_at). One
-- open vote per session at a time.
CREATE TABLE live_votes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES live_sessions (id),
    item_id    BIGINT,
    question   TEXT NOT NULL CHECK (length(question) BETWEEN 2 AND 300),
    opened_at  BIGINT NOT NULL,
    closes_at  BIGINT,
    closed_at  BIGINT,
    -- Stored count of ballots (equal to the options' votes summed).
    ballots    BIGINT NOT NULL DEFAULT 0 CHECK (ballots >= 0),
    UNIQUE (id, session_id),
    FOREIGN KEY (item_id, session_id) REFERENCES live_items (id, session_id),
    CONSTRAINT live_votes_timer_check CHECK (closes_at IS NULL OR closes_at > opened_at)
);
CREATE UNIQUE INDEX live_votes_one_open_idx ON live_votes (session_id) WHERE closed_at IS NULL;
CREATE INDEX live_votes_item_idx ON live_votes (item_id) WHERE item_id IS NOT NULL;

CREATE TABLE live_options (
    vote_id  BIGINT NOT NULL REFERENCES live_votes (id),
    position BIGINT NOT NULL CHECK (position BETWEEN 0 AND 9),
    label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    votes    BIGINT NOT NULL DEFAULT 0 CHECK (votes >= 0),
    PRIMARY KEY (vote_id, position)
);

-- Who has voted (one row per participant and vote); the choice only moves its option's
-- counter in the same transaction, so nothing links a participant to a choice.
CREATE TABLE live_ballots (
    vote_id        BIGINT NOT NULL,
    session_id     BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (vote_id, participant_id),
    FOREIGN KEY (vote_id, session_id) REFERENCES live_votes (id, session_id),
    FOREIGN KEY (participant_id, session_id) REFERENCES live_participants (id, session_id)
);

-- Ballots only while the vote is open and before its timer; never changed or removed. (The
-- server moves the vote's ballot count first, which locks the vote row, so a ballot cannot
-- slip in while the vote is being closed.)
CREATE FUNCTION live_ballots_open() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM live_votes v WHERE v.id = NEW.vote_id AND v.closed_at IS NULL
                   AND (v.closes_at IS NULL OR NEW.at < v.closes_at)) THEN
        RAISE EXCEPTION 'the live vote is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER live_ballots_open BEFORE INSERT ON live_ballots
    FOR EACH ROW EXECUTE FUNCTION live_ballots_open();
CREATE FUNCTION live_ballots_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ballots cannot be changed or deleted' USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER live_ballots_fixed_update BEFORE UPDATE ON live_ballots
    FOR EACH ROW EXECUTE FUNCTION live_ballots_fixed();
CREATE TRIGGER live_ballots_fixed_delete BEFORE DELETE ON live_ballots
    FOR EACH ROW EXECUTE FUNCTION live_ballots_fixed();

-- Counters move only while the vote is open, and a closed vote stays closed.
CREATE FUNCTION live_options_open() RETURNS trigger AS $$
BEGIN
    IF NEW.votes IS DISTINCT FROM OLD.votes AND NOT EXISTS (
           SELECT 1 FROM live_votes v WHERE v.id = NEW.vote_id AND v.closed_at IS NULL) THEN
        RAISE EXCEPTION 'the live vote is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER live_options_open BEFORE UPDATE ON live_options
    FOR EACH ROW EXECUTE FUNCTION live_options_open();

CREATE FUNCTION live_votes_closed() RETURNS trigger AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'the live vote is closed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER live_votes_closed BEFORE UPDATE ON live_votes
    FOR EACH ROW EXECUTE FUNCTION live_votes_closed();

-- Class sessions: pupils' short ideas, approved by the teacher before they show.
CREATE TABLE class_ideas (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    body           TEXT NOT NULL CHECK (length(body) BETWEEN 3 AND 280),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    -- Stored count of dots.
    dots           BIGINT NOT NULL DEFAULT 0 CHECK (dots >= 0),
    proposal_id    BIGINT REFERENCES proposals (id),
    created_at     BIGINT NOT NULL,
    UNIQUE (id, session_id),
    FOREIGN KEY (participant_id, session_id) REFERENCES live_participants (id, session_id),
    CONSTRAINT class_ideas_sent_check CHECK (proposal_id IS NULL OR status = 'approved')
);
CREATE INDEX class_ideas_session_idx ON class_ideas (session_id, status, id);
-- The same idea sent twice by the same pupil is one idea.
CREATE UNIQUE INDEX class_ideas_once_idx ON class_ideas (session_id, participant_id, body);

-- Dot-voting: one dot per idea, at most three per pupil and session, on approved ideas
-- while dot-voting is open (the pupil's participant row is locked, so concurrent dots of
-- one pupil are counted one after the other).
CREATE TABLE class_dots (
    idea_id        BIGINT NOT NULL,
    session_id     BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (idea_id, participant_id),
    FOREIGN KEY (idea_id, session_id) REFERENCES class_ideas (id, session_id),
    FOREIGN KEY (participant_id, session_id) REFERENCES live_participants (id, session_id)
);
CREATE INDEX class_dots_participant_idx ON class_dots (session_id, participant_id);
CREATE FUNCTION class_dots_rules() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM live_participants p WHERE p.id = NEW.participant_id FOR UPDATE;
    IF (SELECT count(*) FROM class_dots d WHERE d.session_id = NEW.session_id AND d.participant_id = NEW.participant_id) >= 3
       OR NOT EXISTS (SELECT 1 FROM class_ideas i JOIN live_sessions s ON s.id = i.session_id
                      WHERE i.id = NEW.idea_id AND i.status = 'approved' AND s.dots_open = 1 AND s.closed_at IS NULL) THEN
        RAISE EXCEPTION 'at most three dots, on approved ideas, while dot-voting is open' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER class_dots_rules BEFORE INSERT ON class_dots
    FOR EACH ROW EXECUTE FUNCTION class_dots_rules();

-- A proposal sent by a class in its name (shown instead of the teacher's name).
ALTER TABLE proposals ADD COLUMN on_behalf TEXT CHECK (on_behalf IS NULL OR length(on_behalf) BETWEEN 2 AND 200);
