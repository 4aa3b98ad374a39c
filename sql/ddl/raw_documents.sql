-- raw.documents: one row per distinct content (SHA-256 of the decoded document bytes). Immutable
-- content; only last_seen moves when the same content is seen again.
CREATE TABLE IF NOT EXISTS raw.documents (
    sha256            VARCHAR PRIMARY KEY,
    source            VARCHAR NOT NULL,   -- landing path (relative to the inbox) or URL; '#L<n>' suffix for a JSON-lines record
    source_url        VARCHAR,            -- URL the page was fetched from, when known (crawler sidecar)
    format            VARCHAR NOT NULL,   -- html | text | markdown | fiw_json
    size_bytes        BIGINT NOT NULL,
    encoding          VARCHAR NOT NULL,   -- detected encoding of the bytes (utf-8, cp1252, ...)
    content           VARCHAR NOT NULL,   -- the decoded document (HTML, text or one JSON record)
    near_duplicate_of VARCHAR,            -- sha256 of an earlier near-identical mirror copy, else NULL
    fetched_at        TIMESTAMP,          -- crawler fetch time, when known
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL
)
