CREATE TABLE IF NOT EXISTS marts.freedom_scores_annual (
    country_iso3    VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    freedom         VARCHAR NOT NULL,
    score           DOUBLE NOT NULL,
    score_low       DOUBLE NOT NULL,
    score_high      DOUBLE NOT NULL,
    band            VARCHAR NOT NULL,
    n_documents     INTEGER NOT NULL,
    n_events        INTEGER NOT NULL,
    carried_forward BOOLEAN NOT NULL,
    method_version  VARCHAR NOT NULL,
    PRIMARY KEY (country_iso3, year, freedom)
)
