-- marts.alerts: sharp declines and sentinel events (killings, restrictive laws in force), with evidence.
CREATE TABLE IF NOT EXISTS marts.alerts (
    alert_id       VARCHAR PRIMARY KEY, -- stable id of the alert
    kind           VARCHAR NOT NULL,    -- sharp_decline | sentinel
    country_iso3   VARCHAR NOT NULL,    -- ISO 3166-1 alpha-3 code of the country
    period         VARCHAR NOT NULL,    -- quarter label, e.g. 2021Q4
    period_start   DATE NOT NULL,       -- quarter start
    freedom        VARCHAR NOT NULL,    -- expression | association | assembly
    change         DOUBLE,              -- score change in points (sharp declines), else NULL
    message        VARCHAR NOT NULL,    -- one sentence saying what happened
    event_id       VARCHAR,             -- the event behind a sentinel alert
    doc_id         VARCHAR,             -- the document holding the evidence
    evidence       VARCHAR NOT NULL,    -- the sentence(s) behind the alert
    method_version VARCHAR NOT NULL     -- version of the scoring method
)
