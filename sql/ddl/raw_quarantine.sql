-- raw.quarantine: everything that could not be used, with the reason. Nothing is dropped silently.
CREATE TABLE IF NOT EXISTS raw.quarantine (
    file       VARCHAR NOT NULL,   -- landing path, URL, or path#L<n> for a JSON-lines record
    sha256     VARCHAR,            -- of the bytes, when they could be read
    stage      VARCHAR NOT NULL,   -- crawl (fetch refused by the crawler) | ingest | parse
    reason     VARCHAR NOT NULL,   -- short code: empty, binary, undecodable, too_large, not_an_update, unknown_country, bad_json, ...
    detail     VARCHAR NOT NULL,   -- a human sentence saying what is wrong
    first_seen TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL, -- last time it was seen
    PRIMARY KEY (file, stage, reason)
)
