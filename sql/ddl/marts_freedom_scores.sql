-- marts.freedom_scores: the freedom index, one row per country, calendar quarter and freedom.
CREATE TABLE IF NOT EXISTS marts.freedom_scores (
    country_iso3    VARCHAR NOT NULL,    -- ISO 3166-1 alpha-3 code of the country
    period          VARCHAR NOT NULL,    -- the calendar quarter as a label, e.g. 2021Q4
    period_start    DATE NOT NULL,       -- first day of the quarter (the Dagster partition key)
    period_end      DATE NOT NULL,       -- last day of the quarter
    freedom         VARCHAR NOT NULL,    -- expression | association | assembly
    score           DOUBLE NOT NULL,     -- 0-100, higher = freer; the sum of its contributions
    score_low       DOUBLE NOT NULL,     -- lower end of the 80% interval
    score_high      DOUBLE NOT NULL,     -- upper end of the 80% interval
    band            VARCHAR NOT NULL,    -- CIVICUS band of the score: closed, repressed, obstructed, narrowed, open
    n_documents     INTEGER NOT NULL,    -- documents whose evidence reaches this quarter
    n_events        INTEGER NOT NULL,    -- events that moved this score
    carried_forward BOOLEAN NOT NULL,    -- true when no new evidence: the last score carried with a wider interval
    method_version  VARCHAR NOT NULL,    -- version of the scoring method and its frozen parameters
    PRIMARY KEY (country_iso3, period_start, freedom)
)
