-- marts.freedom_scores_annual: the freedom index per calendar year, for comparison with annual indices.
CREATE TABLE IF NOT EXISTS marts.freedom_scores_annual (
    country_iso3    VARCHAR NOT NULL,    -- ISO 3166-1 alpha-3 code of the country
    year            INTEGER NOT NULL,    -- calendar year
    freedom         VARCHAR NOT NULL,    -- expression | association | assembly
    score           DOUBLE NOT NULL,     -- 0-100, higher = freer
    score_low       DOUBLE NOT NULL,     -- lower end of the 80% interval
    score_high      DOUBLE NOT NULL,     -- upper end of the 80% interval
    band            VARCHAR NOT NULL,    -- CIVICUS band of the score
    n_documents     INTEGER NOT NULL,    -- documents whose evidence reaches this year
    n_events        INTEGER NOT NULL,    -- events that moved this score
    carried_forward BOOLEAN NOT NULL,    -- true when the year had no new evidence
    method_version  VARCHAR NOT NULL,    -- version of the scoring method
    PRIMARY KEY (country_iso3, year, freedom)
)
