CREATE TABLE IF NOT EXISTS marts.alerts (
    alert_id     VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,      -- sharp_decline | sentinel
    country_iso3 VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    freedom      VARCHAR NOT NULL,
    change       DOUBLE,                -- score change for sharp declines
    message      VARCHAR NOT NULL,
    event_id     VARCHAR,
    doc_id       VARCHAR,
    evidence     VARCHAR NOT NULL,      -- the sentence(s) behind the alert
    method_version VARCHAR NOT NULL
)
