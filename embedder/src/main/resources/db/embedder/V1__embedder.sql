-- The embedder's tables: the catalog as last seen (with a full-text column for lexical search),
-- tombstones (so an older update never resurrects a deleted item), the vector indexes per model
-- version, the versions asked for, and the pointer to the active index.

CREATE TABLE catalog_items (
    id           text PRIMARY KEY,
    title        text NOT NULL,
    category     text,
    description  text,
    attributes   jsonb NOT NULL DEFAULT '{}',
    product_text text NOT NULL,
    updated_at   timestamptz NOT NULL,
    search_text  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('russian', coalesce(category, '')), 'B') ||
        setweight(to_tsvector('russian', coalesce(description, '')), 'C')) STORED
);
CREATE INDEX catalog_items_search_text ON catalog_items USING gin (search_text);

CREATE TABLE catalog_tombstones (
    id         text PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);

CREATE TABLE embedding_indexes (
    model_name    text NOT NULL,
    model_version text NOT NULL,
    table_name    text NOT NULL UNIQUE,
    dimension     integer NOT NULL,
    artifact_uri  text NOT NULL,
    sha256        text NOT NULL,
    status        text NOT NULL CHECK (status IN ('BUILDING', 'READY')),
    item_count    bigint NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    PRIMARY KEY (model_name, model_version)
);

CREATE TABLE index_requests (
    model_name    text PRIMARY KEY,
    model_version text NOT NULL,
    artifact_uri  text NOT NULL,
    sha256        text NOT NULL,
    requested_at  timestamptz NOT NULL
);

CREATE TABLE active_index (
    model_name    text PRIMARY KEY,
    model_version text NOT NULL,
    table_name    text NOT NULL,
    dimension     integer NOT NULL,
    artifact_uri  text NOT NULL,
    sha256        text NOT NULL,
    activated_at  timestamptz NOT NULL
);
