-- Binding decisions (twin of the SQLite migration): a council's decision on a proposal or
-- a pool application rests on a closed vote on that very agenda item that met the quorum
-- (more than half of the members voted) and the majority (more for than against); the
-- decision stores the vote. A vote opens only on a published agenda; minutes are written
-- once the meeting is held. The triggers check new transitions only.

ALTER TABLE proposals ADD COLUMN decision_vote_id BIGINT REFERENCES votes (id);
ALTER TABLE proposal_events ADD COLUMN vote_id BIGINT REFERENCES votes (id);

ALTER TABLE agenda_items ADD COLUMN application_id BIGINT REFERENCES pool_applications (id);
CREATE INDEX agenda_items_application_idx ON agenda_items (application_id);
ALTER TABLE pool_applications ADD COLUMN vote_id BIGINT REFERENCES votes (id);

CREATE FUNCTION proposals_decision_needs_vote() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'on_agenda'
       AND (NEW.status IN ('forwarded', 'rejected_by_council')
            OR (NEW.status = 'submitted' AND NEW.council_id <> OLD.council_id))
       AND NOT EXISTS (
           SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
           JOIN meetings m ON m.id = a.meeting_id
           WHERE v.id = NEW.decision_vote_id AND a.proposal_id = NEW.id AND m.council_id = OLD.council_id
             AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members) THEN
        RAISE EXCEPTION 'a council decision needs a passed vote on the proposal' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_decision_needs_vote BEFORE UPDATE OF status ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_decision_needs_vote();

CREATE FUNCTION pool_decision_needs_vote() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' AND NEW.status <> 'submitted'
       AND NOT EXISTS (
           SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
           JOIN meetings m ON m.id = a.meeting_id JOIN pool_years y ON y.id = NEW.pool_year_id
           WHERE v.id = NEW.vote_id AND a.application_id = NEW.id AND m.council_id = y.council_id
             AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members
             AND NEW.votes_for = v.yes AND NEW.votes_against = v.no AND NEW.votes_abstain = v.abstain) THEN
        RAISE EXCEPTION 'a pool decision needs a passed vote on the application' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status <> 'submitted'
       AND (NEW.vote_id IS DISTINCT FROM OLD.vote_id OR NEW.votes_for IS DISTINCT FROM OLD.votes_for
            OR NEW.votes_against IS DISTINCT FROM OLD.votes_against
            OR NEW.votes_abstain IS DISTINCT FROM OLD.votes_abstain) THEN
        RAISE EXCEPTION 'the application is already decided' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER pool_decision_needs_vote BEFORE UPDATE ON pool_applications
    FOR EACH ROW EXECUTE FUNCTION pool_decision_needs_vote();

CREATE FUNCTION votes_only_on_published_agenda() RETURNS trigger AS $$
BEGIN
    IF COALESCE((SELECT m.status FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                 WHERE a.id = NEW.agenda_item_id), '') NOT IN ('published', 'held') THEN
        RAISE EXCEPTION 'votes open only on a published agenda' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER votes_only_on_published_agenda BEFORE INSERT ON votes
    FOR EACH ROW EXECUTE FUNCTION votes_only_on_published_agenda();

CREATE FUNCTION minutes_after_meeting() RETURNS trigger AS $$
BEGIN
    IF COALESCE((SELECT m.status FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                 WHERE a.id = NEW.agenda_item_id), '') <> 'held' THEN
        RAISE EXCEPTION 'minutes are written after the meeting is held' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER minutes_after_meeting BEFORE INSERT ON minutes
    FOR EACH ROW EXECUTE FUNCTION minutes_after_meeting();
