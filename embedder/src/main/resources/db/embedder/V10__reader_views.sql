-- What other services may read of the embedder's tables: these views and the index table an
-- active index names (columns product_id, embedding). search-api reads them through
-- io.searchloop.schemas.contracts; EmbedderReaderContractIT checks them against these migrations.
-- A change to a table keeps its view's columns, or adds a view with a new suffix.
CREATE VIEW search_active_index AS
    SELECT model_name, model_version, table_name, dimension, artifact_uri, sha256, activated_at
    FROM active_index;

CREATE VIEW search_catalog AS
    SELECT id, title, category, search_text
    FROM catalog_items;
