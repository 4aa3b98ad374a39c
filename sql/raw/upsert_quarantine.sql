-- A refused file is recorded once per (file, stage, reason); seeing it again moves seen_at.
INSERT INTO raw.quarantine
SELECT * FROM _incoming
ON CONFLICT (file, stage, reason) DO UPDATE SET sha256 = excluded.sha256, detail = excluded.detail, seen_at = excluded.seen_at
