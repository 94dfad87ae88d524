-- Every switch of the active index writes its IndexActivated event here in the same transaction;
-- a relay publishes unsent rows to index-events in order and marks them sent, so a broker that is
-- down at the switch delays the event instead of losing it (issue 15).
CREATE TABLE index_event_outbox (
    id              bigserial PRIMARY KEY,
    model_name      text NOT NULL,
    model_version   text NOT NULL,
    item_count      bigint NOT NULL,
    duration_millis bigint NOT NULL,
    activated_at    timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX index_event_outbox_unsent ON index_event_outbox (id) WHERE sent_at IS NULL;
