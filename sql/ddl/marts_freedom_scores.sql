CREATE TABLE IF NOT EXISTS marts.freedom_scores (
    country_iso3    VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,    -- 2021Q4
    period_start    DATE NOT NULL,
    period_end      DATE NOT NULL,
    freedom         VARCHAR NOT NULL,
    score           DOUBLE NOT NULL,
    score_low       DOUBLE NOT NULL,
    score_high      DOUBLE NOT NULL,
    band            VARCHAR NOT NULL,
    n_documents     INTEGER NOT NULL,
    n_events        INTEGER NOT NULL,
    carried_forward BOOLEAN NOT NULL,
    method_version  VARCHAR NOT NULL,
    PRIMARY KEY (country_iso3, period_start, freedom)
)
