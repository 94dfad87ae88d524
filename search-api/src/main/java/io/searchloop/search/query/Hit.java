package io.searchloop.search.query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One search result before positions are assigned. */
public record Hit(String productId, String title, String category, double score) {

    /** Runs a retrieval whose columns are product id, title, category and score. */
    public static List<Hit> query(PreparedStatement ps) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                hits.add(
                        new Hit(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getDouble(4)));
            }
        }
        return hits;
    }
}
