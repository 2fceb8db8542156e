-- Dialogue on proposals (0020 added comments.author_role and comments.question): the
-- database keeps the role shown honest and questions where they belong. The server decides
-- both (domain::dialogue::comment_role, domain::rights ProposalRights::ask); these triggers
-- refuse what slips past it:
-- - a role the author does not hold ('politician' needs the politiker role, 'coordinator'
--   sekretariat);
-- - a question (question = 1) that is not a politician's, or on a proposal that is not
--   forwarded (waiting for its answer), or by someone who is not on the committee it was
--   forwarded to (the running term is the server's to check, as on SQLite);
-- - changing a comment's role or question mark afterwards.
CREATE FUNCTION comments_dialogue() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.author_role IS DISTINCT FROM OLD.author_role OR NEW.question IS DISTINCT FROM OLD.question THEN
            RAISE EXCEPTION 'a comment keeps its role and its question mark' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.author_role = 'politician' AND NOT EXISTS (
            SELECT 1 FROM user_roles r WHERE r.user_id = NEW.author_id AND r.role = 'politiker'))
       OR (NEW.author_role = 'coordinator' AND NOT EXISTS (
            SELECT 1 FROM user_roles r WHERE r.user_id = NEW.author_id AND r.role = 'sekretariat'))
       OR (NEW.question = 1 AND (NEW.author_role IS DISTINCT FROM 'politician' OR NOT EXISTS (
            SELECT 1 FROM proposals p JOIN committee_members m ON m.committee_id = p.committee_id
            WHERE p.id = NEW.proposal_id AND p.status = 'forwarded' AND m.user_id = NEW.author_id))) THEN
        RAISE EXCEPTION 'a comment shows a role its author holds, and only the committee''s politician asks a question, while the proposal waits for the answer' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comments_dialogue_insert BEFORE INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_dialogue();
CREATE TRIGGER comments_dialogue_update BEFORE UPDATE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_dialogue();
