-- Suggested agenda items (from pupils and young people), minutes (referat) per item, and
-- proposals sent on from one council to another.

CREATE TABLE agenda_suggestions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id     BIGINT NOT NULL REFERENCES councils (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    title          TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 120),
    body           TEXT NOT NULL CHECK (length(body) <= 2000),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT,
    decided_by     BIGINT REFERENCES users (id),
    agenda_item_id BIGINT REFERENCES agenda_items (id),
    decline_reason TEXT CHECK (decline_reason IS NULL OR length(decline_reason) <= 2000),
    -- Declining always comes with an explanation to the one who suggested it.
    CHECK (status <> 'declined' OR (decline_reason IS NOT NULL AND length(decline_reason) >= 20)),
    CHECK ((status = 'accepted') = (agenda_item_id IS NOT NULL)),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX agenda_suggestions_council_idx ON agenda_suggestions (council_id, status, id);
CREATE INDEX agenda_suggestions_user_idx ON agenda_suggestions (user_id, id);

-- Minutes: every save is a new version; nothing is ever changed or removed.
CREATE TABLE minutes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agenda_item_id BIGINT NOT NULL REFERENCES agenda_items (id),
    version        BIGINT NOT NULL CHECK (version >= 1),
    summary        TEXT NOT NULL CHECK (length(summary) BETWEEN 2 AND 10000),
    decision       TEXT CHECK (decision IS NULL OR length(decision) <= 2000),
    written_by     BIGINT REFERENCES users (id),
    written_at     BIGINT NOT NULL,
    UNIQUE (agenda_item_id, version)
);
CREATE FUNCTION minutes_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'minutes are never changed or removed: write a new version' USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER minutes_append_only BEFORE UPDATE OR DELETE ON minutes
    FOR EACH ROW EXECUTE FUNCTION minutes_append_only();

-- A proposal sent on: elevråd → Det Fælles Elevråd → Ungerådet. Each hop is kept.
CREATE TABLE proposal_hops (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id  BIGINT NOT NULL REFERENCES proposals (id),
    from_council BIGINT NOT NULL REFERENCES councils (id),
    to_council   BIGINT NOT NULL REFERENCES councils (id),
    at           BIGINT NOT NULL,
    by_user      BIGINT REFERENCES users (id),
    CHECK (from_council <> to_council)
);
CREATE INDEX proposal_hops_proposal_idx ON proposal_hops (proposal_id);
