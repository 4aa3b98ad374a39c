-- staging.documents: one row per parsed document: country, stated period, publication date, flags.
-- staging.documents: one row per raw document that parsed.
CREATE TABLE IF NOT EXISTS staging.documents (
    doc_id         VARCHAR PRIMARY KEY,  -- 'd' + first 16 hex of sha256
    sha256         VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    source_url     VARCHAR,
    format         VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,     -- update | report
    title          VARCHAR,
    country_iso3   VARCHAR NOT NULL,
    country_name   VARCHAR NOT NULL,
    period_start   DATE,                 -- the stated reporting period, as stated (even when wrong)
    period_end     DATE,
    period_stated  BOOLEAN NOT NULL,
    period_quote   VARCHAR,
    window_start   DATE NOT NULL,        -- the window whose quarters receive this document's evidence
    window_end     DATE NOT NULL,
    published      DATE,
    partners       VARCHAR[],
    flags          VARCHAR[],            -- period_after_publication, period_mismatch_events, country_mismatch_url, ...
    text           VARCHAR NOT NULL,     -- the text that every offset in staging/core indexes
    parser_version VARCHAR NOT NULL
)
