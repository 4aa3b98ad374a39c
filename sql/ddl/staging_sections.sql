-- staging.sections: sections of each document and the freedom each is about.
CREATE TABLE IF NOT EXISTS staging.sections (
    doc_id     VARCHAR NOT NULL,
    section_no INTEGER NOT NULL,
    heading    VARCHAR,              -- NULL where the section had no heading
    code       VARCHAR,              -- Freedom House indicator code (D1, E2 ...), NULL for updates
    freedom    VARCHAR NOT NULL,     -- expression | association | assembly | general
    assigned_by VARCHAR NOT NULL,    -- heading | content | code
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (doc_id, section_no)
)
