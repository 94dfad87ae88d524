-- The trainer's tables: accumulated pairs (latest score per pair), the catalog it retrieves from,
-- its trigger state, model versions with their history, and which pairs each version used.

CREATE SEQUENCE trainer_pair_change_seq;

CREATE TABLE trainer_pairs (
    pair_key         text PRIMARY KEY,
    query            text NOT NULL,
    normalized_query text NOT NULL,
    product_id       text NOT NULL,
    product_text     text NOT NULL,
    score            double precision NOT NULL CHECK (score >= 0 AND score <= 1),
    source           text NOT NULL,
    augmented_from   text,
    impressions      double precision NOT NULL DEFAULT 0,
    positives        double precision NOT NULL DEFAULT 0,
    skips            double precision NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL,
    change_seq       bigint NOT NULL
);
CREATE INDEX trainer_pairs_change_seq ON trainer_pairs (change_seq);

CREATE TABLE trainer_catalog (
    product_id   text PRIMARY KEY,
    product_text text NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE trainer_state (
    model_name           text PRIMARY KEY,
    trained_through_seq  bigint NOT NULL DEFAULT 0,
    last_trained_at      timestamptz,
    retrain_requested_at timestamptz,
    retrain_reason       text
);

CREATE TABLE model_versions (
    model_name     text NOT NULL,
    version        text NOT NULL,
    version_number integer NOT NULL,
    parent_version text,
    base_model     text NOT NULL,
    artifact_uri   text NOT NULL,
    sha256         text NOT NULL,
    status         text NOT NULL,
    reason         text,
    metrics        jsonb NOT NULL DEFAULT '{}',
    pair_count     bigint NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (model_name, version),
    UNIQUE (model_name, version_number)
);

CREATE TABLE model_version_history (
    id         bigserial PRIMARY KEY,
    model_name text NOT NULL,
    version    text NOT NULL,
    status     text NOT NULL,
    reason     text,
    at         timestamptz NOT NULL
);

CREATE TABLE pair_usage (
    model_name text NOT NULL,
    version    text NOT NULL,
    pair_key   text NOT NULL,
    split      text NOT NULL CHECK (split IN ('train', 'holdout')),
    PRIMARY KEY (model_name, version, pair_key)
);
