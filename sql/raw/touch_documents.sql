-- Contents seen again in this run: only their last_seen moves.
UPDATE raw.documents SET last_seen = ?
WHERE sha256 IN (SELECT sha256 FROM _seen)
