-- The explanation floor (issue #17): a Nej or Delvist answer, a pool application's partial
-- grant or rejection, a council's decline and a declined agenda suggestion carry a written
-- explanation with real content. The application's rule (app/src/domain/explanation.rs)
-- counts visible letters and distinct words; the database is the backstop for anything that
-- bypasses it: the explanation must keep its minimum length once whitespace, dots and the
-- invisible fillers (no-break space U+00A0, Hangul fillers U+115F U+1160 U+3164 U+FFA0,
-- zero-width space U+200B, Braille blank U+2800, ideographic space U+3000, BOM U+FEFF) are
-- trimmed from both ends. SQLite cannot add a CHECK to an existing table, so these are
-- triggers. Like 0013 they check new rows and changed values only: rows written before
-- this migration stay as they are until their explanation changes.

CREATE TRIGGER proposals_answer_floor_insert BEFORE INSERT ON proposals
WHEN NEW.answer IN ('delvist', 'nej')
 AND COALESCE(length(trim(NEW.answer_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 200
BEGIN
    SELECT RAISE(ABORT, 'a Nej or Delvist needs an explanation of at least 200 characters');
END;
CREATE TRIGGER proposals_answer_floor_update BEFORE UPDATE OF answer, answer_text ON proposals
WHEN NEW.answer IN ('delvist', 'nej')
 AND (NEW.answer IS NOT OLD.answer OR NEW.answer_text IS NOT OLD.answer_text)
 AND COALESCE(length(trim(NEW.answer_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 200
BEGIN
    SELECT RAISE(ABORT, 'a Nej or Delvist needs an explanation of at least 200 characters');
END;

CREATE TRIGGER proposals_decline_floor_insert BEFORE INSERT ON proposals
WHEN NEW.status = 'rejected_by_council'
 AND COALESCE(length(trim(NEW.decision_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a council decline needs an explanation of at least 20 characters');
END;
CREATE TRIGGER proposals_decline_floor_update BEFORE UPDATE OF status, decision_text ON proposals
WHEN NEW.status = 'rejected_by_council'
 AND (NEW.status IS NOT OLD.status OR NEW.decision_text IS NOT OLD.decision_text)
 AND COALESCE(length(trim(NEW.decision_text, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a council decline needs an explanation of at least 20 characters');
END;

CREATE TRIGGER pool_explanation_floor_insert BEFORE INSERT ON pool_applications
WHEN NEW.status IN ('partly_granted', 'rejected')
 AND COALESCE(length(trim(NEW.explanation, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a partial grant or rejection needs an explanation of at least 20 characters');
END;
CREATE TRIGGER pool_explanation_floor_update BEFORE UPDATE OF status, explanation ON pool_applications
WHEN NEW.status IN ('partly_granted', 'rejected')
 AND (NEW.status IS NOT OLD.status OR NEW.explanation IS NOT OLD.explanation)
 AND COALESCE(length(trim(NEW.explanation, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a partial grant or rejection needs an explanation of at least 20 characters');
END;

CREATE TRIGGER suggestion_decline_floor_insert BEFORE INSERT ON agenda_suggestions
WHEN NEW.status = 'declined'
 AND COALESCE(length(trim(NEW.decline_reason, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a declined suggestion needs an explanation of at least 20 characters');
END;
CREATE TRIGGER suggestion_decline_floor_update BEFORE UPDATE OF status, decline_reason ON agenda_suggestions
WHEN NEW.status = 'declined'
 AND (NEW.status IS NOT OLD.status OR NEW.decline_reason IS NOT OLD.decline_reason)
 AND COALESCE(length(trim(NEW.decline_reason, ' .' || char(9, 10, 13, 160, 4447, 4448, 8203, 10240, 12288, 12644, 65279, 65440))), 0) < 20
BEGIN
    SELECT RAISE(ABORT, 'a declined suggestion needs an explanation of at least 20 characters');
END;
