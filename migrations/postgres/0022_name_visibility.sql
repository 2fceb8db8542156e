-- Minors on the open web (#22): who voted what and who sits on a council are shown by first
-- name only to signed-in people of the municipality; roles and tallies to everyone. An adult
-- body may choose to show its members' names to the public as well.
ALTER TABLE councils ADD COLUMN names_public BIGINT NOT NULL DEFAULT 0 CHECK (names_public IN (0, 1));
