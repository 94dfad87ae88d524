-- What each search-api instance serves: its heartbeat names the index table it queries, so the
-- embedder never drops a table that a reader still uses (issue 15).
CREATE TABLE index_readers (
    reader_id  text PRIMARY KEY,
    model_name text NOT NULL,
    table_name text NOT NULL,
    seen_at    timestamptz NOT NULL
);
