-- New contents are inserted; a content seen again only moves its last_seen (raw stays immutable).
INSERT INTO raw.documents
SELECT * FROM _incoming
ON CONFLICT (sha256) DO UPDATE SET last_seen = excluded.last_seen
