-- The explanation floor (twin of the SQLite migration, issue #17): a Nej or Delvist answer,
-- a pool application's partial grant or rejection, a council's decline and a declined agenda
-- suggestion keep their minimum length once whitespace, dots and the invisible fillers
-- (U+00A0, the Hangul fillers U+115F U+1160 U+3164 U+FFA0, U+200B, Braille blank U+2800,
-- U+3000, U+FEFF) are trimmed from both ends. The application's rule
-- (app/src/domain/explanation.rs) is stricter; this is the backstop. Triggers, as in 0013:
-- they check new rows and changed values only, so rows written before stay as they are.

CREATE FUNCTION explanation_too_thin(t TEXT, n INTEGER) RETURNS BOOLEAN AS $$
    SELECT length(btrim(COALESCE(t, ''), E' .\t\n\r' || chr(160) || chr(4447) || chr(4448) || chr(8203)
                        || chr(10240) || chr(12288) || chr(12644) || chr(65279) || chr(65440))) < n
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION proposals_explanation_floor() RETURNS trigger AS $$
BEGIN
    IF NEW.answer IN ('delvist', 'nej') AND explanation_too_thin(NEW.answer_text, 200) THEN
        IF TG_OP = 'INSERT' OR NEW.answer IS DISTINCT FROM OLD.answer
           OR NEW.answer_text IS DISTINCT FROM OLD.answer_text THEN
            RAISE EXCEPTION 'a Nej or Delvist needs an explanation of at least 200 characters' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.status = 'rejected_by_council' AND explanation_too_thin(NEW.decision_text, 20) THEN
        IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
           OR NEW.decision_text IS DISTINCT FROM OLD.decision_text THEN
            RAISE EXCEPTION 'a council decline needs an explanation of at least 20 characters' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_explanation_floor BEFORE INSERT OR UPDATE ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_explanation_floor();

CREATE FUNCTION pool_explanation_floor() RETURNS trigger AS $$
BEGIN
    IF NEW.status IN ('partly_granted', 'rejected') AND explanation_too_thin(NEW.explanation, 20) THEN
        IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
           OR NEW.explanation IS DISTINCT FROM OLD.explanation THEN
            RAISE EXCEPTION 'a partial grant or rejection needs an explanation of at least 20 characters' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER pool_explanation_floor BEFORE INSERT OR UPDATE ON pool_applications
    FOR EACH ROW EXECUTE FUNCTION pool_explanation_floor();

CREATE FUNCTION suggestion_decline_floor() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'declined' AND explanation_too_thin(NEW.decline_reason, 20) THEN
        IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
           OR NEW.decline_reason IS DISTINCT FROM OLD.decline_reason THEN
            RAISE EXCEPTION 'a declined suggestion needs an explanation of at least 20 characters' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER suggestion_decline_floor BEFORE INSERT OR UPDATE ON agenda_suggestions
    FOR EACH ROW EXECUTE FUNCTION suggestion_decline_floor();
