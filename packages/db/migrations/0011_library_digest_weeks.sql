-- 0011_library_digest_weeks: the weekly digest records each week it finished, so a node starting
-- after a Monday it missed (down, or every retry failed) catches that week up once, and a run of a
-- finished week does nothing. And a top-level community has no siblings: its items' "siblings"
-- audience reached nobody beyond the community, so such items become "community" (what they were
-- in effect); the server now refuses "siblings" there.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE TABLE library_digest_weeks (
  week text PRIMARY KEY,
  recipients integer NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);

UPDATE library_items SET audience = 'community'
 WHERE audience = 'siblings'
   AND community_id IN (SELECT id FROM communities WHERE parent_id IS NULL);
