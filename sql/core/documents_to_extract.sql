-- Parsed documents with no mention from this extractor version yet (new, reparsed, or older version).
SELECT d.*
FROM staging.documents AS d
WHERE d.doc_id NOT IN (
    SELECT doc_id FROM core.event_mentions WHERE extractor_version = ?
)
ORDER BY d.doc_id
