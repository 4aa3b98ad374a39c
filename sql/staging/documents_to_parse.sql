-- Raw documents not yet parsed by this parser version (mirror copies are linked, not parsed again).
SELECT r.sha256, r.source, r.source_url, r.format, r.content
FROM raw.documents AS r
LEFT JOIN staging.documents AS s
       ON s.sha256 = r.sha256 AND s.parser_version = ?
WHERE s.doc_id IS NULL
  AND r.near_duplicate_of IS NULL
ORDER BY r.sha256
