-- dq.check_results: every data-quality check of every run, with failing examples.
CREATE TABLE IF NOT EXISTS dq.check_results (
    run_id           VARCHAR NOT NULL,
    checked_at       TIMESTAMP NOT NULL,
    table_name       VARCHAR NOT NULL,
    partition        VARCHAR NOT NULL,    -- '' when the table is not partitioned
    check_name       VARCHAR NOT NULL,
    severity         VARCHAR NOT NULL,    -- ERROR (blocking) | WARN
    success          BOOLEAN NOT NULL,
    unexpected_count BIGINT NOT NULL,
    examples         VARCHAR NOT NULL,    -- JSON list, at most 5, each with doc_id / sentence_no where known
    PRIMARY KEY (run_id, table_name, check_name, partition)
)
