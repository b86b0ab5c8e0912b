-- 0007_library: communities and the shared library (issue 8). Communities form a tree (national ->
-- regional -> local; thematic ones anywhere); members hold one role each. Library items carry their
-- text, a full-text search vector computed by the database in the item's own language, and every
-- edit as a version. An item sent down to descendant communities gets one delivery row per
-- receiving community: what that community did with it (adopted as a linked copy, declined) and
-- how it went (outcome). Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE communities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL CONSTRAINT communities_slug_unique UNIQUE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('national', 'regional', 'local', 'thematic')),
  description text NOT NULL DEFAULT '',
  parent_id uuid
    CONSTRAINT communities_parent_id_communities_id_fk REFERENCES communities (id) ON DELETE RESTRICT,
  created_by uuid
    CONSTRAINT communities_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX communities_parent_idx ON communities (parent_id);

CREATE TABLE community_members (
  community_id uuid NOT NULL
    CONSTRAINT community_members_community_id_communities_id_fk REFERENCES communities (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT community_members_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('member', 'editor', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT community_members_community_id_user_id_pk PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user_idx ON community_members (user_id);

-- An event may belong to a community (its organizer says so).
ALTER TABLE events ADD COLUMN community_id uuid
  CONSTRAINT events_community_id_communities_id_fk REFERENCES communities (id) ON DELETE SET NULL;
CREATE INDEX events_community_idx ON events (community_id);

CREATE TABLE library_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('act', 'practice', 'resource', 'session_outcome')),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body text NOT NULL DEFAULT '',
  tags jsonb NOT NULL DEFAULT '[]'::jsonb,
  territory text,
  language text NOT NULL DEFAULT 'it' CHECK (language IN ('it', 'en')),
  author_id uuid
    CONSTRAINT library_items_author_id_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  community_id uuid NOT NULL
    CONSTRAINT library_items_community_id_communities_id_fk REFERENCES communities (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  audience text NOT NULL DEFAULT 'community' CHECK (audience IN ('community', 'siblings', 'everyone')),
  -- Provenance: the item this one was adopted from ("adapted from").
  adapted_from_id uuid
    CONSTRAINT library_items_adapted_from_id_library_items_id_fk REFERENCES library_items (id) ON DELETE SET NULL,
  -- A session outcome or a promoted idea remembers the board it came from.
  source_board_id uuid
    CONSTRAINT library_items_source_board_id_boards_id_fk REFERENCES boards (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Stemmed in the item's own language; the title weighs most, then summary and tags, then body.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'italian'::regconfig END, title), 'A') ||
    setweight(to_tsvector(CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'italian'::regconfig END, summary || ' ' || (tags::text)), 'B') ||
    setweight(to_tsvector(CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'italian'::regconfig END, body), 'C')
  ) STORED,
  CHECK (version > 0)
);
-- A row with its body and its vector passes the 2 kB TOAST threshold, and the vector, the widest
-- column, would be moved out of line: every match and every rank then fetches it from the TOAST
-- table (measured: 28 ms instead of 6 ms to match 5,000 items). MAIN keeps the vector in the row
-- and lets the body, read only for the page's snippets, go out of line instead.
ALTER TABLE library_items ALTER COLUMN search SET STORAGE MAIN;
CREATE INDEX library_items_search_idx ON library_items USING gin (search);
CREATE INDEX library_items_tags_idx ON library_items USING gin (tags jsonb_path_ops);
CREATE INDEX library_items_community_idx ON library_items (community_id, status);
CREATE INDEX library_items_published_idx ON library_items (status, audience, published_at);
CREATE INDEX library_items_adapted_from_idx ON library_items (adapted_from_id);

-- Every version of an item, the first included: what it said after each edit.
CREATE TABLE library_item_versions (
  item_id uuid NOT NULL
    CONSTRAINT library_item_versions_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version > 0),
  title text NOT NULL,
  summary text NOT NULL,
  body text NOT NULL,
  tags jsonb NOT NULL,
  territory text,
  edited_by uuid
    CONSTRAINT library_item_versions_edited_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT library_item_versions_item_id_version_pk PRIMARY KEY (item_id, version)
);

-- One row per (item, receiving community) of a vertical send.
CREATE TABLE library_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL
    CONSTRAINT library_deliveries_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE CASCADE,
  community_id uuid NOT NULL
    CONSTRAINT library_deliveries_community_id_communities_id_fk REFERENCES communities (id) ON DELETE CASCADE,
  from_community_id uuid NOT NULL
    CONSTRAINT library_deliveries_from_community_id_communities_id_fk REFERENCES communities (id) ON DELETE CASCADE,
  sent_by uuid
    CONSTRAINT library_deliveries_sent_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  note text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'adopted', 'declined')),
  adopted_item_id uuid
    CONSTRAINT library_deliveries_adopted_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE SET NULL,
  outcome text CHECK (outcome IN ('tabled', 'approved', 'rejected')),
  outcome_on date,
  outcome_note text,
  decided_by uuid
    CONSTRAINT library_deliveries_decided_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((outcome IS NULL) = (outcome_on IS NULL))
);
CREATE UNIQUE INDEX library_deliveries_item_community_key ON library_deliveries (item_id, community_id);
CREATE INDEX library_deliveries_inbox_idx ON library_deliveries (community_id, created_at);

CREATE TABLE library_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL
    CONSTRAINT library_attachments_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE CASCADE,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  -- Where the bytes are in the configured store (a path under DATA_DIR, or an S3 key).
  storage_key text NOT NULL,
  created_by uuid
    CONSTRAINT library_attachments_created_by_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_attachments_item_idx ON library_attachments (item_id);

CREATE TABLE library_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL
    CONSTRAINT library_comments_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE CASCADE,
  author_id uuid
    CONSTRAINT library_comments_author_id_users_id_fk REFERENCES users (id) ON DELETE SET NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_comments_item_idx ON library_comments (item_id, created_at);

CREATE TABLE library_useful_marks (
  item_id uuid NOT NULL
    CONSTRAINT library_useful_marks_item_id_library_items_id_fk REFERENCES library_items (id) ON DELETE CASCADE,
  user_id uuid NOT NULL
    CONSTRAINT library_useful_marks_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT library_useful_marks_item_id_user_id_pk PRIMARY KEY (item_id, user_id)
);

-- What a person follows (a tag, or a community by id) for the weekly digest.
CREATE TABLE library_follows (
  user_id uuid NOT NULL
    CONSTRAINT library_follows_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  target_kind text NOT NULL CHECK (target_kind IN ('tag', 'community')),
  target text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT library_follows_user_id_target_kind_target_pk PRIMARY KEY (user_id, target_kind, target)
);

-- Digests claimed and sent, one per person and week (the Monday it covers up to), so a rerun of
-- the weekly job never sends twice.
CREATE TABLE library_digests (
  user_id uuid NOT NULL
    CONSTRAINT library_digests_user_id_users_id_fk REFERENCES users (id) ON DELETE CASCADE,
  week text NOT NULL,
  items integer NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT library_digests_user_id_week_pk PRIMARY KEY (user_id, week)
);
