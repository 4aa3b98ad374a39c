-- core.event_mentions: coded event mentions (codebook) with their evidence span and the rule that found them.
CREATE TABLE IF NOT EXISTS core.event_mentions (
    mention_id   VARCHAR PRIMARY KEY,  -- doc_id:start:end:event_type
    doc_id       VARCHAR NOT NULL,
    sentence_no  INTEGER NOT NULL,
    "start"      INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    event_type   VARCHAR NOT NULL,
    freedom      VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,     -- new | continuing | proposed | alleged | pledge | negated
    actor        VARCHAR NOT NULL,     -- state | non_state | unknown
    target       VARCHAR NOT NULL,     -- journalist | defender | organisation | protester | critic | public
    confidence   DOUBLE NOT NULL,
    event_date   DATE,                 -- a date the mention itself carries
    rule         VARCHAR NOT NULL,     -- the rule (or model) that produced it
    extractor_version VARCHAR NOT NULL,
    event_id     VARCHAR NOT NULL
)
