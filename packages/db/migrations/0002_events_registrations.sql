-- 0002_events_registrations: registration settings on events and sessions, the people of a session,
-- questions, invite codes, registrations (per event and per session) with their status history,
-- emailed-link tokens, stored registration messages, reminder deliveries, announcements and covers.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two); the migrator wraps this
-- file in one transaction.

ALTER TABLE events
  ADD COLUMN registration_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN registration_opens_at timestamptz,
  ADD COLUMN registration_closes_at timestamptz,
  ADD COLUMN capacity integer,
  ADD COLUMN waitlist_enabled boolean NOT NULL DEFAULT true,
  ADD COLUMN approval_required boolean NOT NULL DEFAULT false,
  ADD COLUMN consent_text text,
  ADD COLUMN consent_version text,
  ADD CONSTRAINT events_capacity_check CHECK (capacity IS NULL OR capacity >= 0),
  ADD CONSTRAINT events_dates_check CHECK (ends_at > starts_at);

ALTER TABLE agenda_sessions
  ADD COLUMN capacity integer,
  ADD COLUMN registration_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN waitlist_enabled boolean NOT NULL DEFAULT true,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT agenda_sessions_capacity_check CHECK (capacity IS NULL OR capacity >= 0),
  ADD CONSTRAINT agenda_sessions_dates_check CHECK (ends_at > starts_at);

-- Speakers and facilitators of one session (they hold the role in the event too).
CREATE TABLE session_people (
  session_id uuid NOT NULL
    CONSTRAINT session_people_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT session_people_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('speaker', 'facilitator')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT session_people_session_id_user_id_role_pk PRIMARY KEY (session_id, user_id, role)
);
CREATE INDEX session_people_user_idx ON session_people (user_id);

-- Every consent text an event has shown, by version, so an acceptance points at the exact words.
CREATE TABLE consent_texts (
  event_id uuid NOT NULL
    CONSTRAINT consent_texts_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  version text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT consent_texts_event_id_version_pk PRIMARY KEY (event_id, version)
);

-- Custom questions; a removed question is archived so its answers stay readable.
CREATE TABLE registration_questions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT registration_questions_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('text', 'single_choice', 'multiple_choice', 'checkbox')),
  label text NOT NULL,
  help text NOT NULL DEFAULT '',
  options jsonb NOT NULL DEFAULT '[]'::jsonb,
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_questions_event_idx ON registration_questions (event_id, position);

CREATE TABLE invite_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT invite_codes_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  code text NOT NULL,
  max_uses integer CHECK (max_uses IS NULL OR max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  bypass_capacity boolean NOT NULL DEFAULT false,
  expires_at timestamptz,
  disabled_at timestamptz,
  created_by uuid
    CONSTRAINT invite_codes_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (max_uses IS NULL OR uses <= max_uses)
);
CREATE UNIQUE INDEX invite_codes_event_code_key ON invite_codes (event_id, lower(code));

-- Arrival order of registrations and of entries into a waitlist, for every event and session.
-- Values are taken while the event's row is locked, so within one event they follow lock order.
CREATE SEQUENCE registration_order_seq;

CREATE TABLE registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT registrations_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  user_id uuid
    CONSTRAINT registrations_user_id_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  email text NOT NULL,
  name text NOT NULL,
  locale text NOT NULL DEFAULT 'it',
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected')),
  arrival bigint NOT NULL,
  waitlist_order bigint,
  over_capacity boolean NOT NULL DEFAULT false,
  source text NOT NULL DEFAULT 'self' CHECK (source IN ('self', 'organizer')),
  invite_code_id uuid
    CONSTRAINT registrations_invite_code_id_invite_codes_id_fk REFERENCES invite_codes (id) ON DELETE SET NULL,
  consent_version text,
  consent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'waitlisted' OR waitlist_order IS NOT NULL)
);
-- One registration per person and event, whatever the case of the address.
CREATE UNIQUE INDEX registrations_event_email_key ON registrations (event_id, lower(email));
CREATE INDEX registrations_event_status_idx ON registrations (event_id, status, waitlist_order);
CREATE INDEX registrations_user_idx ON registrations (user_id);

CREATE TABLE registration_answers (
  registration_id uuid NOT NULL
    CONSTRAINT registration_answers_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  question_id uuid NOT NULL
    CONSTRAINT registration_answers_question_id_registration_questions_id_fk REFERENCES registration_questions (id) ON DELETE CASCADE,
  value jsonb NOT NULL,
  CONSTRAINT registration_answers_registration_id_question_id_pk PRIMARY KEY (registration_id, question_id)
);

CREATE TABLE session_registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL
    CONSTRAINT session_registrations_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  registration_id uuid NOT NULL
    CONSTRAINT session_registrations_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  arrival bigint NOT NULL,
  waitlist_order bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'waitlisted' OR waitlist_order IS NOT NULL)
);
CREATE UNIQUE INDEX session_registrations_session_registration_key
  ON session_registrations (session_id, registration_id);
CREATE INDEX session_registrations_session_status_idx ON session_registrations (session_id, status, waitlist_order);
CREATE INDEX session_registrations_registration_idx ON session_registrations (registration_id);

-- Every status change of a registration or one of its session seats: who, when, from, to.
CREATE TABLE registration_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  registration_id uuid NOT NULL
    CONSTRAINT registration_history_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  session_id uuid
    CONSTRAINT registration_history_session_id_agenda_sessions_id_fk REFERENCES agenda_sessions (id) ON DELETE CASCADE,
  from_status text,
  to_status text NOT NULL,
  actor text NOT NULL CHECK (actor IN ('attendee', 'organizer', 'system')),
  actor_user_id uuid
    CONSTRAINT registration_history_actor_user_id_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_history_registration_idx ON registration_history (registration_id, created_at);

-- Emailed links that manage one registration without signing in; stored as SHA-256 hashes.
CREATE TABLE registration_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL CONSTRAINT registration_links_token_hash_unique UNIQUE,
  registration_id uuid NOT NULL
    CONSTRAINT registration_links_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX registration_links_registration_idx ON registration_links (registration_id);

-- Messages owed to a registrant, written in the transaction that caused them and sent by a job.
-- A sender claims one for a while (claimed_at) and marks it sent (sent_at), so it goes out once even
-- with several workers; unsent ones are re-armed at start-up.
CREATE TABLE registration_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  registration_id uuid NOT NULL
    CONSTRAINT registration_messages_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  kind text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  sent_at timestamptz
);
CREATE INDEX registration_messages_unsent_idx ON registration_messages (created_at) WHERE sent_at IS NULL;
CREATE INDEX registration_messages_registration_idx ON registration_messages (registration_id);

-- One row per reminder, for the start it announced, claimed then marked sent: a second run of the same
-- schedule finds it.
CREATE TABLE reminder_deliveries (
  registration_id uuid NOT NULL
    CONSTRAINT reminder_deliveries_registration_id_registrations_id_fk REFERENCES registrations (id) ON DELETE CASCADE,
  target text NOT NULL,
  lead text NOT NULL,
  starts_at timestamptz NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT reminder_deliveries_registration_id_target_lead_starts_at_pk
    PRIMARY KEY (registration_id, target, lead, starts_at)
);

CREATE TABLE announcements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL
    CONSTRAINT announcements_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  subject text NOT NULL,
  body text NOT NULL,
  audience jsonb NOT NULL,
  recipients integer NOT NULL,
  created_by uuid
    CONSTRAINT announcements_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX announcements_event_idx ON announcements (event_id, created_at);

CREATE TABLE event_covers (
  event_id uuid PRIMARY KEY
    CONSTRAINT event_covers_event_id_events_id_fk REFERENCES events (id) ON DELETE CASCADE,
  content_type text NOT NULL,
  data bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
