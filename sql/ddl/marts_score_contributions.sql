-- marts.score_contributions: what each event added to or took from a score, in points.
CREATE TABLE IF NOT EXISTS marts.score_contributions (
    country_iso3   VARCHAR NOT NULL,    -- the score row's country
    period         VARCHAR NOT NULL,    -- the score row's quarter label, e.g. 2021Q4
    period_start   DATE NOT NULL,       -- the score row's quarter start
    freedom        VARCHAR NOT NULL,    -- the score row's freedom
    event_id       VARCHAR NOT NULL,    -- the event (core.events), or '__baseline__' for the starting point (the memory of earlier periods)
    event_type     VARCHAR NOT NULL,    -- codebook event type of the event
    status         VARCHAR NOT NULL,    -- new | continuing | proposed | alleged, or negated for an all-clear counted as evidence of freedom
    weight         DOUBLE NOT NULL,     -- the event's weight: severity x status x actor x share of the quarter; on the __baseline__ row, the share of the memory of earlier periods
    points         DOUBLE NOT NULL,     -- signed points; the points of one score row add up to its score
    mention_id     VARCHAR,             -- the mention shown as evidence (core.event_mentions)
    doc_id         VARCHAR,             -- the document of that mention (staging.documents)
    sentence       VARCHAR,             -- the evidence sentence
    method_version VARCHAR NOT NULL,    -- version of the scoring method
    PRIMARY KEY (country_iso3, period_start, freedom, event_id)
)
