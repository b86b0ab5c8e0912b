-- 0005_live_sessions: live sessions (issue 5). A session is `scheduled` until a facilitator starts
-- it (one session_live row), then `live`, then `ended`; starting again reopens it. Raised hands
-- live in the database so every server node sees the same queue, in raising order. Chat messages
-- belong to a session's plenary (table_id NULL) or to one breakout table; a retried message is
-- recognised by (author, client_op_id); a moderated one is kept, marked with who removed it and when.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE session_live (
  session_id uuid PRIMARY KEY
    CONSTRAINT session_live_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  event_id uuid NOT NULL
    CONSTRAINT session_live_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'ended')),
  started_at timestamptz NOT NULL,
  started_by uuid
    CONSTRAINT session_live_started_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  ended_at timestamptz,
  ended_by uuid
    CONSTRAINT session_live_ended_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_live_event_idx ON session_live (event_id);

CREATE TABLE session_hands (
  session_id uuid NOT NULL
    CONSTRAINT session_hands_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT session_hands_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  raised_at timestamptz NOT NULL,
  -- Set while a facilitator has the person on stage (publishing in the plenary).
  on_stage_at timestamptz,
  CONSTRAINT session_hands_session_id_user_id_pk PRIMARY KEY (session_id, user_id)
);

CREATE TABLE chat_messages (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL
    CONSTRAINT chat_messages_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  -- NULL for the plenary; a breakout table's id otherwise (tables arrive in 0006, so text).
  table_id text,
  author_id uuid NOT NULL
    CONSTRAINT chat_messages_author_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  client_op_id uuid NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by uuid
    CONSTRAINT chat_messages_deleted_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX chat_messages_op_key ON chat_messages (author_id, client_op_id);
CREATE INDEX chat_messages_room_idx ON chat_messages (session_id, table_id, created_at);
