-- A council term needs a start and an end date, in order: PostgreSQL's CHECK
-- user_roles_term_dates holds on every write; SQLite (which cannot add a CHECK to an
-- existing table) had a trigger on INSERT only. This one refuses the same rows on UPDATE.
-- Found by the schema-twin test (server/tests/api/schema_twin.rs).
CREATE TRIGGER user_roles_term_dates_update BEFORE UPDATE OF council_id, starts_on, ends_on ON user_roles
WHEN NEW.council_id IS NOT NULL AND (NEW.starts_on IS NULL OR NEW.ends_on IS NULL OR NEW.ends_on < NEW.starts_on)
BEGIN
    SELECT RAISE(ABORT, 'a council term needs a start and an end date, in order');
END;
