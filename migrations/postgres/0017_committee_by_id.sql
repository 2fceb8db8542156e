-- Committees are referred to by id: forwarding stores the committee's id (and keeps the
-- name it was sent to as the label shown). Proposals forwarded before, whose id was looked
-- up by name and missed, get it from the name they carry where a committee has that name.
UPDATE proposals SET committee_id = (SELECT c.id FROM committees c WHERE c.name = proposals.committee)
WHERE committee_id IS NULL AND committee IS NOT NULL;
