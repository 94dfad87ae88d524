package io.searchloop.embedder.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.events.CatalogItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog as the embedder last saw it, idempotent under replay: an update only replaces an
 * older one, and a tombstone removes the item and is remembered, so that an older update arriving
 * late does not bring a deleted item back.
 */
public final class CatalogRepository {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Applies upserts and deletions in one transaction; returns the items whose row was written (a
     * replay of the same record included), and fills {@code deleted} with the deleted ids that have
     * no row now (whether this call or an earlier one removed it).
     */
    public Map<String, String> apply(
            Connection c,
            Map<String, CatalogItem> upserts,
            Map<String, String> texts,
            Map<String, Instant> deletions,
            List<String> deleted)
            throws SQLException {
        Map<String, String> changed = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO catalog_items (id, title, category, description, attributes, product_text, updated_at)
                SELECT ?, ?, ?, ?, ?::jsonb, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM catalog_tombstones t WHERE t.id = ? AND t.deleted_at > ?)
                ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category, description = EXCLUDED.description,
                    attributes = EXCLUDED.attributes, product_text = EXCLUDED.product_text, updated_at = EXCLUDED.updated_at
                WHERE catalog_items.updated_at <= EXCLUDED.updated_at
                RETURNING id, product_text""")) {
            for (Map.Entry<String, CatalogItem> e : upserts.entrySet()) {
                CatalogItem item = e.getValue();
                Timestamp at = Timestamp.from(item.getUpdatedAt());
                ps.setString(1, item.getId());
                ps.setString(2, item.getTitle());
                ps.setString(3, item.getCategory());
                ps.setString(4, item.getDescription());
                ps.setString(5, json(item.getAttributes()));
                ps.setString(6, texts.get(item.getId()));
                ps.setTimestamp(7, at);
                ps.setString(8, item.getId());
                ps.setTimestamp(9, at);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement tombstone =
                        c.prepareStatement(
                                """
                INSERT INTO catalog_tombstones (id, deleted_at) VALUES (?, ?)
                ON CONFLICT (id) DO UPDATE SET deleted_at = greatest(catalog_tombstones.deleted_at, EXCLUDED.deleted_at)""");
                PreparedStatement delete =
                        c.prepareStatement(
                                "DELETE FROM catalog_items WHERE id = ? AND updated_at <= ?")) {
            for (Map.Entry<String, Instant> e : deletions.entrySet()) {
                tombstone.setString(1, e.getKey());
                tombstone.setTimestamp(2, Timestamp.from(e.getValue()));
                tombstone.executeUpdate();
                delete.setString(1, e.getKey());
                delete.setTimestamp(2, Timestamp.from(e.getValue()));
                delete.executeUpdate();
            }
        }
        // Every id without a row now, not only those deleted this time: a replayed poll must still
        // clear the indexes.
        if (!deletions.isEmpty()) {
            try (PreparedStatement gone =
                    c.prepareStatement(
                            "SELECT d.id FROM unnest(?::text[]) AS d(id) WHERE NOT EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = d.id)")) {
                gone.setArray(1, c.createArrayOf("text", deletions.keySet().toArray()));
                try (ResultSet rs = gone.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(rs.getString(1));
                    }
                }
            }
        }
        return changed;
    }

    /**
     * Up to {@code limit} items after {@code afterId} in id order: id → product text (keyset
     * pagination).
     */
    public Map<String, String> page(Connection c, String afterId, int limit) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, product_text FROM catalog_items WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setString(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    public Map<String, String> texts(Connection c, Collection<String> ids) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, product_text FROM catalog_items WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM catalog_items");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String json(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
