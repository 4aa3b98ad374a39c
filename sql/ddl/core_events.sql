-- core.events: mentions of one real-world event grouped into one event.
CREATE TABLE IF NOT EXISTS core.events (
    event_id      VARCHAR PRIMARY KEY,
    country_iso3  VARCHAR NOT NULL,
    event_type    VARCHAR NOT NULL,
    freedom       VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,    -- the strongest scored status among its mentions
    actor         VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    severity      INTEGER NOT NULL,    -- taxonomy severity
    direction     VARCHAR NOT NULL,    -- repressive | positive
    event_date    DATE,
    window_start  DATE NOT NULL,       -- evidence window (the document's, or the event's own date)
    window_end    DATE NOT NULL,
    n_mentions    INTEGER NOT NULL,
    n_documents   INTEGER NOT NULL,
    doc_ids       VARCHAR[] NOT NULL,
    summary       VARCHAR NOT NULL,    -- the text of its first mention
    first_mention_id VARCHAR NOT NULL
)
