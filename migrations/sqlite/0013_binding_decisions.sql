-- Binding decisions (DOMAIN.md "Councils, meetings, agendas, votes"): a council's decision
-- on a proposal or a pool application rests on a closed vote on that very agenda item that
-- met the quorum (more than half of the members voted) and the majority (more for than
-- against); the decision stores the vote. A vote opens only on a published agenda; minutes
-- are written once the meeting is held. The triggers check new transitions only: rows
-- decided before this migration stay as they are.

-- The vote a proposal's decision rests on (forwarded, rejected, sent on), also on the
-- timeline entry of the decision.
ALTER TABLE proposals ADD COLUMN decision_vote_id BIGINT REFERENCES votes (id);
ALTER TABLE proposal_events ADD COLUMN vote_id BIGINT REFERENCES votes (id);

-- An agenda item can be about a pool application; the application's decision stores its vote.
ALTER TABLE agenda_items ADD COLUMN application_id BIGINT REFERENCES pool_applications (id);
CREATE INDEX agenda_items_application_idx ON agenda_items (application_id);
ALTER TABLE pool_applications ADD COLUMN vote_id BIGINT REFERENCES votes (id);

-- Forwarding, rejecting or sending on a proposal needs a closed, passed vote on an agenda
-- item about this proposal at a meeting of the council deciding it.
CREATE TRIGGER proposals_decision_needs_vote BEFORE UPDATE OF status ON proposals
WHEN OLD.status = 'on_agenda'
 AND (NEW.status IN ('forwarded', 'rejected_by_council')
      OR (NEW.status = 'submitted' AND NEW.council_id <> OLD.council_id))
 AND NOT EXISTS (
    SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
    JOIN meetings m ON m.id = a.meeting_id
    WHERE v.id = NEW.decision_vote_id AND a.proposal_id = NEW.id AND m.council_id = OLD.council_id
      AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members)
BEGIN
    SELECT RAISE(ABORT, 'a council decision needs a passed vote on the proposal');
END;

-- Deciding an application needs a closed, passed vote on an agenda item about it at a
-- meeting of the pool year's council, and the stored tally is that vote's.
CREATE TRIGGER pool_decision_needs_vote BEFORE UPDATE OF status ON pool_applications
WHEN OLD.status = 'submitted' AND NEW.status <> 'submitted'
 AND NOT EXISTS (
    SELECT 1 FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id
    JOIN meetings m ON m.id = a.meeting_id JOIN pool_years y ON y.id = NEW.pool_year_id
    WHERE v.id = NEW.vote_id AND a.application_id = NEW.id AND m.council_id = y.council_id
      AND v.status = 'closed' AND v.yes > v.no AND (v.yes + v.no + v.abstain) * 2 > v.members
      AND NEW.votes_for = v.yes AND NEW.votes_against = v.no AND NEW.votes_abstain = v.abstain)
BEGIN
    SELECT RAISE(ABORT, 'a pool decision needs a passed vote on the application');
END;
-- A decided application's vote and tally never change.
CREATE TRIGGER pool_decision_vote_fixed BEFORE UPDATE OF vote_id, votes_for, votes_against, votes_abstain ON pool_applications
WHEN OLD.status <> 'submitted'
 AND (NEW.vote_id IS NOT OLD.vote_id OR NEW.votes_for IS NOT OLD.votes_for
      OR NEW.votes_against IS NOT OLD.votes_against OR NEW.votes_abstain IS NOT OLD.votes_abstain)
BEGIN
    SELECT RAISE(ABORT, 'the application is already decided');
END;

-- A vote opens only on a published agenda (published or held meeting).
CREATE TRIGGER votes_only_on_published_agenda BEFORE INSERT ON votes
WHEN COALESCE((SELECT m.status FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
               WHERE a.id = NEW.agenda_item_id), '') NOT IN ('published', 'held')
BEGIN
    SELECT RAISE(ABORT, 'votes open only on a published agenda');
END;

-- Minutes are written after the meeting is held (and before they are approved).
CREATE TRIGGER minutes_after_meeting BEFORE INSERT ON minutes
WHEN COALESCE((SELECT m.status FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
               WHERE a.id = NEW.agenda_item_id), '') <> 'held'
BEGIN
    SELECT RAISE(ABORT, 'minutes are written after the meeting is held');
END;
