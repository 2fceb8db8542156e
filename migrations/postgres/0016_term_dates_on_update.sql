-- A council term needs a start and an end date, in order. PostgreSQL's CHECK already holds
-- on UPDATE; SQLite gets the missing UPDATE trigger in its 0016. Nothing changes here but
-- the note on the constraint (the pair keeps both schema versions in step).
COMMENT ON CONSTRAINT user_roles_term_dates ON user_roles IS
    'On SQLite: the triggers user_roles_term_dates (insert) and user_roles_term_dates_update.';
