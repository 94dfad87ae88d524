-- What other services may read of the trainer's tables: the version history, as search-api's
-- /v1/models shows it. Read through io.searchloop.schemas.contracts.PublishedVersions;
-- TrainerReaderContractIT checks it against these migrations.
CREATE VIEW published_model_versions AS
    SELECT model_name, version, version_number, status, reason, metrics, pair_count, created_at, updated_at
    FROM model_versions;
