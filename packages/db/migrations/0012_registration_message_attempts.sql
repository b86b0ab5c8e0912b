-- 0012_registration_message_attempts: each stored registration email counts the sends tried (every
-- claim, by its job, a retry, a sweep or a start-up re-arm), so one that keeps failing is given up
-- after a few tries instead of being re-armed every sweep for a week, each try issuing new links.
-- Mirrors src/schema.ts (src/schema.integration.test.ts compares the two).

ALTER TABLE registration_messages ADD COLUMN attempts integer NOT NULL DEFAULT 0;
