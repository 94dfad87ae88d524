-- Every status change of a model version is written together with an outbox row in one
-- transaction; a relay publishes unsent rows to model-versions and marks them sent, so the topic
-- never lacks what the database says (issue 15). Version numbers are reserved before an artifact
-- is written, so a trainer killed between writing vN/ and recording it never reuses vN.

CREATE TABLE model_version_outbox (
    id         bigserial PRIMARY KEY,
    model_name text NOT NULL,
    version    text NOT NULL,
    status     text NOT NULL,
    reason     text,
    at         timestamptz NOT NULL,
    sent_at    timestamptz
);
CREATE INDEX model_version_outbox_unsent ON model_version_outbox (id) WHERE sent_at IS NULL;

CREATE TABLE model_version_reservations (
    model_name     text NOT NULL,
    version_number integer NOT NULL,
    reserved_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, version_number)
);
