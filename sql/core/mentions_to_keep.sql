-- Mentions still valid: their document is parsed and they come from this extractor version.
SELECT m.*
FROM core.event_mentions AS m
JOIN staging.documents AS d ON d.doc_id = m.doc_id
WHERE m.extractor_version = ?
ORDER BY m.mention_id
