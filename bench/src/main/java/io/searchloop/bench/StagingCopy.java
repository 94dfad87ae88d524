package io.searchloop.bench;

import io.searchloop.embedder.index.IndexRepository;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The embedder's earlier bulk loader, kept as the reference of figure 3: rows as COPY text into a
 * temporary staging table, then INSERT … SELECT with a text-to-vector cast, skipping ids already
 * present. It measured 14x slower than batched INSERTs, which replaced it.
 */
final class StagingCopy {
    private StagingCopy() {}

    static void load(Connection c, String table, List<IndexRepository.Row> rows)
            throws SQLException, IOException {
        StringBuilder data = new StringBuilder(rows.size() * 4096);
        for (IndexRepository.Row r : rows) {
            data.append(
                            r.productId()
                                    .replace("\\", "\\\\")
                                    .replace("\t", "\\t")
                                    .replace("\n", "\\n")
                                    .replace("\r", "\\r"))
                    .append('\t')
                    .append(vectorText(r.embedding()))
                    .append('\t')
                    .append(r.textHash())
                    .append('\n');
        }
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS embedding_staging (product_id text, embedding text, text_hash text) ON COMMIT DELETE ROWS");
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY embedding_staging (product_id, embedding, text_hash) FROM STDIN",
                            new StringReader(data.toString()));
            try (Statement s = c.createStatement()) {
                s.execute(
                        "INSERT INTO "
                                + table
                                + " (product_id, embedding, text_hash) SELECT product_id, embedding::vector, text_hash "
                                + "FROM embedding_staging ON CONFLICT (product_id) DO NOTHING");
            }
            c.commit();
        } catch (SQLException | IOException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static String vectorText(float[] v) {
        StringBuilder b = new StringBuilder(v.length * 12).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(v[i]);
        }
        return b.append(']').toString();
    }
}
