-- 0001_foundation: people, sign-in, events, their members, spaces and agenda, and the email outbox.
-- Mirrors src/schema.ts (names follow Drizzle's defaults: <table>_<column>_unique, <table>_<cols>_<ref>_<refcols>_fk);
-- src/db.integration.test.ts compares the two, so change both together.
-- The migrator wraps each file in one transaction: no BEGIN/COMMIT here.
-- schema_migrations is created by the migrator itself (src/migrate.ts) before the first file runs.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  password_hash text,
  locale text NOT NULL DEFAULT 'it',
  email_verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Case-insensitive: "A@x.it" and "a@x.it" are the same person.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE auth_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL CONSTRAINT auth_sessions_token_hash_unique UNIQUE,
  user_id uuid NOT NULL
    CONSTRAINT auth_sessions_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

CREATE TABLE one_time_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL CONSTRAINT one_time_tokens_token_hash_unique UNIQUE,
  purpose text NOT NULL,
  user_id uuid NOT NULL
    CONSTRAINT one_time_tokens_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  next text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id);

CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL CONSTRAINT events_slug_unique UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  time_zone text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  visibility text NOT NULL DEFAULT 'draft',
  languages jsonb NOT NULL DEFAULT '["it"]'::jsonb,
  created_by uuid
    CONSTRAINT events_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE event_members (
  event_id uuid NOT NULL
    CONSTRAINT event_members_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT event_members_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT event_members_event_id_user_id_role_pk PRIMARY KEY (event_id, user_id, role)
);
CREATE INDEX event_members_user_idx ON event_members (user_id);

CREATE TABLE spaces (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT spaces_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  name text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX spaces_event_name_key ON spaces (event_id, name);

CREATE TABLE agenda_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT agenda_sessions_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  space_id uuid
    CONSTRAINT agenda_sessions_space_id_spaces_id_fk REFERENCES spaces (id) ON DELETE SET NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  kind text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agenda_sessions_event_idx ON agenda_sessions (event_id, starts_at);

CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_via text NOT NULL
);
CREATE INDEX outbox_created_idx ON outbox (created_at);
