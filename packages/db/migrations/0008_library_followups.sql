-- 0008_library_followups: an adopted copy carries the original's attachments as rows naming the
-- same stored bytes, so deleting one removes the bytes only when no other row names their key;
-- this index answers that question. Mirrors src/schema.ts.

CREATE INDEX library_attachments_storage_key_idx ON library_attachments (storage_key);
