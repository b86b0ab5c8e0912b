-- 0006_breakouts: breakout tables of a live session (issue 5). A session's tables (planned ahead
-- with topics and seats, or opened on the spot) each get their own board; a run is one use of the
-- tables by a facilitator (a strategy, rounds, a timer); assignments say who sat where, from when to
-- when, in which round (the open one has until_at NULL, at most one per person and run). Attendees
-- may sign up for a planned table before the session; calls are participants asking for a
-- facilitator. Timers are jobs re-armed at start-up from ends_at, warn_at and closing_at.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE breakout_runs (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL
    CONSTRAINT breakout_runs_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  session_id uuid NOT NULL
    CONSTRAINT breakout_runs_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  strategy text NOT NULL
    CHECK (strategy IN ('random', 'balanced', 'manual', 'topic', 'registrations')),
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'running', 'closing', 'closed')),
  rounds integer NOT NULL DEFAULT 1 CHECK (rounds >= 1),
  round integer NOT NULL DEFAULT 1 CHECK (round >= 1),
  round_ms integer,
  -- The running round's end and its warning; the close-all deadline.
  ends_at timestamptz,
  warn_at timestamptz,
  closing_at timestamptz,
  -- World-Café: the planned seating of every round, {round: {userId: tableId}}.
  plan jsonb,
  seed integer NOT NULL DEFAULT 0,
  created_by uuid
    CONSTRAINT breakout_runs_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
-- One run at a time per session.
CREATE UNIQUE INDEX breakout_runs_active_key ON breakout_runs (session_id) WHERE state <> 'closed';
CREATE INDEX breakout_runs_timers_idx ON breakout_runs (state) WHERE state IN ('running', 'closing');

CREATE TABLE breakout_tables (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL
    CONSTRAINT breakout_tables_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  session_id uuid NOT NULL
    CONSTRAINT breakout_tables_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  run_id uuid
    CONSTRAINT breakout_tables_run_id_breakout_runs_id_fk REFERENCES breakout_runs (id) ON DELETE SET NULL,
  number integer NOT NULL CHECK (number >= 1),
  topic text NOT NULL DEFAULT '',
  seats integer CHECK (seats IS NULL OR seats >= 1),
  host_id uuid
    CONSTRAINT breakout_tables_host_id_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  board_id uuid
    CONSTRAINT breakout_tables_board_id_boards_id_fk REFERENCES boards (id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'open', 'closed')),
  opened_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Numbers are unique among a session's tables in use; a later run numbers its tables from 1 again.
CREATE UNIQUE INDEX breakout_tables_session_number_key ON breakout_tables (session_id, number)
  WHERE status <> 'closed';
CREATE INDEX breakout_tables_run_idx ON breakout_tables (run_id);

CREATE TABLE breakout_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id uuid NOT NULL
    CONSTRAINT breakout_assignments_run_id_breakout_runs_id_fk REFERENCES breakout_runs (id) ON DELETE CASCADE,
  table_id uuid NOT NULL
    CONSTRAINT breakout_assignments_table_id_breakout_tables_id_fk REFERENCES breakout_tables (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT breakout_assignments_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  round integer NOT NULL DEFAULT 1,
  since_at timestamptz NOT NULL,
  until_at timestamptz,
  reason text NOT NULL,
  moved_by uuid
    CONSTRAINT breakout_assignments_moved_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX breakout_assignments_current_key ON breakout_assignments (run_id, user_id) WHERE until_at IS NULL;
CREATE INDEX breakout_assignments_table_idx ON breakout_assignments (table_id, since_at);

CREATE TABLE breakout_signups (
  session_id uuid NOT NULL
    CONSTRAINT breakout_signups_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT breakout_signups_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  table_id uuid NOT NULL
    CONSTRAINT breakout_signups_table_id_breakout_tables_id_fk REFERENCES breakout_tables (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT breakout_signups_session_id_user_id_pk PRIMARY KEY (session_id, user_id)
);
CREATE INDEX breakout_signups_table_idx ON breakout_signups (table_id, created_at);

CREATE TABLE breakout_calls (
  id uuid PRIMARY KEY,
  run_id uuid NOT NULL
    CONSTRAINT breakout_calls_run_id_breakout_runs_id_fk REFERENCES breakout_runs (id) ON DELETE CASCADE,
  table_id uuid
    CONSTRAINT breakout_calls_table_id_breakout_tables_id_fk REFERENCES breakout_tables (id) ON DELETE SET NULL,
  user_id uuid NOT NULL
    CONSTRAINT breakout_calls_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by uuid
    CONSTRAINT breakout_calls_resolved_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX breakout_calls_run_idx ON breakout_calls (run_id) WHERE resolved_at IS NULL;

-- Ideas a roll-up copied to the plenary board: where each came from (origin), once per source idea.
CREATE TABLE breakout_rollups (
  run_id uuid NOT NULL
    CONSTRAINT breakout_rollups_run_id_breakout_runs_id_fk REFERENCES breakout_runs (id) ON DELETE CASCADE,
  source_idea_id uuid NOT NULL,
  table_id uuid NOT NULL
    CONSTRAINT breakout_rollups_table_id_breakout_tables_id_fk REFERENCES breakout_tables (id) ON DELETE CASCADE,
  plenary_board_id uuid NOT NULL
    CONSTRAINT breakout_rollups_plenary_board_id_boards_id_fk REFERENCES boards (id) ON DELETE CASCADE,
  plenary_idea_id uuid NOT NULL,
  votes integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT breakout_rollups_run_id_source_idea_id_pk PRIMARY KEY (run_id, source_idea_id)
);
CREATE INDEX breakout_rollups_board_idx ON breakout_rollups (plenary_board_id);
