package io.searchloop.trainer.store;

import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.trainer.dataset.PairRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The training pairs ({@code trainer_pairs}, its change sequence) and which pairs each version
 * trained and was evaluated on ({@code pair_usage}). A pair is only updated by a record at least as
 * new whose content differs, and only then gets a new change sequence number — which is what the
 * retrain trigger counts, so a replayed topic neither loses nor doubles a trigger.
 */
public final class PairRepository {
    private final DatabaseUrl database;

    PairRepository(DatabaseUrl database) {
        this.database = database;
    }

    public void upsert(List<TrainingPair> pairs) throws SQLException {
        String sql =
                """
                INSERT INTO trainer_pairs (pair_key, query, normalized_query, product_id, product_text, score, source, augmented_from,
                                           impressions, positives, skips, updated_at, change_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('trainer_pair_change_seq'))
                ON CONFLICT (pair_key) DO UPDATE SET
                    query = EXCLUDED.query, product_text = EXCLUDED.product_text, score = EXCLUDED.score, source = EXCLUDED.source,
                    augmented_from = EXCLUDED.augmented_from, impressions = EXCLUDED.impressions, positives = EXCLUDED.positives,
                    skips = EXCLUDED.skips, updated_at = EXCLUDED.updated_at, change_seq = EXCLUDED.change_seq
                WHERE trainer_pairs.updated_at <= EXCLUDED.updated_at
                  AND (trainer_pairs.score <> EXCLUDED.score OR trainer_pairs.product_text <> EXCLUDED.product_text
                       OR trainer_pairs.source <> EXCLUDED.source)
                """;
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (TrainingPair p : pairs) {
                ps.setString(
                        1, PairKey.of(p)); // a typo variant never shares an observed pair's row
                ps.setString(2, p.getQuery());
                ps.setString(3, p.getNormalizedQuery());
                ps.setString(4, p.getProductId());
                ps.setString(5, p.getProductText());
                ps.setDouble(6, Math.max(0, Math.min(1, p.getScore())));
                ps.setString(7, p.getSource().name());
                ps.setString(8, p.getAugmentedFrom());
                ps.setDouble(9, p.getImpressions());
                ps.setDouble(10, p.getPositives());
                ps.setDouble(11, p.getSkips());
                ps.setTimestamp(12, Timestamp.from(p.getUpdatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Every pair, by key. */
    public List<PairRow> all() throws SQLException {
        List<PairRow> out = new ArrayList<>();
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT pair_key, query, normalized_query, product_id, product_text, score, source, augmented_from, skips FROM trainer_pairs ORDER BY pair_key");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new PairRow(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getDouble(6),
                                PairSource.valueOf(rs.getString(7)),
                                rs.getString(8),
                                rs.getDouble(9)));
            }
        }
        return out;
    }

    /** Pairs changed after {@code afterSeq}, all pairs, the highest change sequence. */
    public PairCounts counts(long afterSeq) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FILTER (WHERE change_seq > ?), count(*), coalesce(max(change_seq), 0) FROM trainer_pairs")) {
            ps.setLong(1, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new PairCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /** Which pairs {@code version} trained on and was evaluated on, on {@code c}'s transaction. */
    static void recordUsage(
            Connection c,
            String model,
            String version,
            List<String> trainKeys,
            List<String> holdoutKeys)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO pair_usage (model_name, version, pair_key, split) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String[] entry : List.of(new String[] {"train"}, new String[] {"holdout"})) {
                for (String key : entry[0].equals("train") ? trainKeys : holdoutKeys) {
                    ps.setString(1, model);
                    ps.setString(2, version);
                    ps.setString(3, key);
                    ps.setString(4, entry[0]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
