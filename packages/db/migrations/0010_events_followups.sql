-- 0010_events_followups: deleting a session no longer erases the history of its seats (issue 3:
-- "every change is recorded with who and when"). The rows stay, their session_id becomes NULL, and
-- session_title keeps what the session was called (written when it is deleted).
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

ALTER TABLE registration_history ADD COLUMN session_title text;

ALTER TABLE registration_history
  DROP CONSTRAINT registration_history_session_id_agenda_sessions_id_fk;
ALTER TABLE registration_history
  ADD CONSTRAINT registration_history_session_id_agenda_sessions_id_fk
  FOREIGN KEY (session_id) REFERENCES agenda_sessions (id) ON DELETE SET NULL;

-- The public list of events reads public events by end date (upcoming: not yet ended; past: ended).
CREATE INDEX events_visibility_ends_idx ON events (visibility, ends_at);
