CREATE TABLE IF NOT EXISTS marts.score_contributions (
    country_iso3   VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    period_start   DATE NOT NULL,
    freedom        VARCHAR NOT NULL,
    event_id       VARCHAR NOT NULL,    -- '__baseline__' for the row that holds the starting point
    event_type     VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    weight         DOUBLE NOT NULL,
    points         DOUBLE NOT NULL,     -- signed; the points of one score row add up to its score
    mention_id     VARCHAR,
    doc_id         VARCHAR,
    sentence       VARCHAR,
    method_version VARCHAR NOT NULL,
    PRIMARY KEY (country_iso3, period_start, freedom, event_id)
)
