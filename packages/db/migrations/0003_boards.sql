-- 0003_boards: the live idea boards (issue 4). A board's durable truth is its event log
-- (board_events); the row holds the latest snapshot of the state, the sequence numbers and what the
-- server needs without loading the state (phase, running timer). board_ops remembers the answer to
-- every command by (board, participant, clientOpId), so a retried command is answered once.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE boards (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL
    CONSTRAINT boards_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  -- A board belongs to an agenda session; later also to a breakout table (no table yet, so text).
  session_id uuid
    CONSTRAINT boards_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  table_id text,
  title text NOT NULL,
  -- The settings the board was created with: with id and created_at they rebuild the initial state.
  settings jsonb NOT NULL,
  -- Snapshot of the state after `state_version` events; the events after it are replayed on load.
  state jsonb NOT NULL,
  state_version integer NOT NULL DEFAULT 0,
  -- The board revision clients see (advances with every change an audience can see)...
  seq integer NOT NULL DEFAULT 0,
  -- ...and the number of events (advances with every event, hidden votes included).
  version integer NOT NULL DEFAULT 0,
  phase text NOT NULL DEFAULT 'collect'
    CHECK (phase IN ('collect', 'group', 'vote', 'reveal', 'closed')),
  -- The running phase timer, so start-up can re-arm its job without loading every state.
  deadline_at timestamptz,
  created_by uuid
    CONSTRAINT boards_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (seq >= 0 AND version >= seq AND state_version <= version)
);
CREATE INDEX boards_event_idx ON boards (event_id, created_at);
CREATE INDEX boards_session_idx ON boards (session_id);
CREATE INDEX boards_deadline_idx ON boards (deadline_at) WHERE deadline_at IS NOT NULL;

-- The event log of each board: `ordinal` is 1, 2, 3... per board (the board's `version` after
-- the event) and `seq` the board's `seq` after it. Events name voters and anonymous authors: they
-- never leave the server.
CREATE TABLE board_events (
  board_id uuid NOT NULL
    CONSTRAINT board_events_board_id_boards_id_fk REFERENCES boards (id) ON DELETE CASCADE,
  ordinal integer NOT NULL CHECK (ordinal > 0),
  seq integer NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT board_events_board_id_ordinal_pk PRIMARY KEY (board_id, ordinal)
);
CREATE INDEX board_events_seq_idx ON board_events (board_id, seq);

-- The first answer to each command, written in the command's own transaction.
CREATE TABLE board_ops (
  board_id uuid NOT NULL
    CONSTRAINT board_ops_board_id_boards_id_fk REFERENCES boards (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL,
  client_op_id uuid NOT NULL,
  ack jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT board_ops_board_id_participant_id_client_op_id_pk PRIMARY KEY (board_id, participant_id, client_op_id)
);
