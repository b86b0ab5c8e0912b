-- 0004_media: LiveKit webhooks and attendance (issue 5). LiveKit retries webhooks, so every
-- delivered event id is remembered once; each visit to a room (one LiveKit participant sid) is one
-- attendance row, opened by participant_joined and closed by participant_left, in either order.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE media_webhook_events (
  id text PRIMARY KEY,
  event text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attendance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT attendance_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  session_id uuid NOT NULL
    CONSTRAINT attendance_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  room text NOT NULL,
  table_id text,
  user_id uuid NOT NULL
    CONSTRAINT attendance_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  participant_sid text NOT NULL,
  joined_at timestamptz,
  left_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX attendance_visit_key ON attendance (room, participant_sid);
CREATE INDEX attendance_session_idx ON attendance (session_id, user_id);
