-- 0009_attendance_followups: the per-event attendance report reads every visit of one event at
-- once (issue 5); without this index that is a scan of every event's attendance.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

CREATE INDEX attendance_event_idx ON attendance (event_id, user_id);
