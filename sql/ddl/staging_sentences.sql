-- staging.sentences: every sentence of each document, with exact offsets into its text.
CREATE TABLE IF NOT EXISTS staging.sentences (
    doc_id      VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    section_no  INTEGER NOT NULL,
    "start"     INTEGER NOT NULL,    -- staging.documents.text["start":"end"] == text
    "end"       INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    text_clean  VARCHAR NOT NULL,    -- glued words repaired, white space normalised (for display and matching)
    PRIMARY KEY (doc_id, sentence_no)
)
