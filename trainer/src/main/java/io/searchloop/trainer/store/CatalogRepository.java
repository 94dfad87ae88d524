package io.searchloop.trainer.store;

import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trainer's copy of the catalog ({@code trainer_catalog}): product id to product text. */
public final class CatalogRepository {
    private final DatabaseUrl database;

    CatalogRepository(DatabaseUrl database) {
        this.database = database;
    }

    /** Upserts items (newer wins) and deletes the ids in {@code deleted}. */
    public void apply(
            Map<String, CatalogItem> upserts, Map<String, String> texts, List<String> deleted)
            throws SQLException {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    INSERT INTO trainer_catalog (product_id, product_text, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (product_id) DO UPDATE SET product_text = EXCLUDED.product_text, updated_at = EXCLUDED.updated_at
                    WHERE trainer_catalog.updated_at <= EXCLUDED.updated_at""")) {
                for (Map.Entry<String, CatalogItem> e : upserts.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, texts.get(e.getKey()));
                    ps.setTimestamp(3, Timestamp.from(e.getValue().getUpdatedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM trainer_catalog WHERE product_id = ?")) {
                for (String id : deleted) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    /** Product id to product text, by id. */
    public Map<String, String> texts() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT product_id, product_text FROM trainer_catalog ORDER BY product_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
