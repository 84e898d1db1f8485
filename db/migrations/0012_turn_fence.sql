-- Turns committed in one statement (src/persistence/commitAnswerTurn.ts) call this last: when an event was marked
-- handled but its conversation had moved on since the turn read it, the error undoes the whole statement.
CREATE OR REPLACE FUNCTION lca_turn_fence(marked bigint, fenced bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF fenced < marked THEN
    RAISE EXCEPTION 'turn fenced off: the conversation moved on since the turn read it' USING ERRCODE = 'LC001';
  END IF;
  RETURN true;
END
$$;
