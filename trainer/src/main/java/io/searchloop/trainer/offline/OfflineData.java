package io.searchloop.trainer.offline;

import io.searchloop.events.PairSource;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.trainer.dataset.PairRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline tools' inputs: a catalog file and a pairs or qrels file, turned into what a training
 * round takes.
 */
public final class OfflineData {
    private OfflineData() {}

    /**
     * Product id → product text ({@code title | category}) from a catalog file with columns id,
     * title (, category, description).
     */
    public static Map<String, String> catalog(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> row : TabularFile.read(file, List.of("id", "title"))) {
            String category = row.get("category");
            out.put(
                    row.get("id"),
                    category == null || category.isBlank()
                            ? row.get("title")
                            : row.get("title") + " | " + category);
        }
        return out;
    }

    /** Pairs from a file with columns query, product_id, score in [0,1], as expert labels. */
    public static List<PairRow> pairs(Path file, Map<String, String> catalog) throws IOException {
        List<PairRow> out = new ArrayList<>();
        List<Map<String, String>> rows =
                TabularFile.read(file, List.of("query", "product_id", "score"));
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            double score = number(row.get("score"), file, i);
            if (score < 0 || score > 1) {
                throw new IllegalArgumentException(
                        file + " row " + (i + 1) + ": score " + score + " is outside [0,1]");
            }
            String productId = row.get("product_id");
            String text = catalog.get(productId);
            if (text == null) {
                throw new IllegalArgumentException(
                        file
                                + " row "
                                + (i + 1)
                                + ": product "
                                + productId
                                + " is not in the catalog");
            }
            String normalized = QueryNormalizer.normalize(row.get("query"));
            out.add(
                    new PairRow(
                            PairKey.of(normalized, productId),
                            row.get("query"),
                            normalized,
                            productId,
                            text,
                            score,
                            PairSource.EXPERT_LABEL,
                            null,
                            0));
        }
        return out;
    }

    /**
     * Graded judgements from a qrels file (query, product_id, relevance): gain = relevance / the
     * file's maximum.
     */
    public static Map<String, Map<String, Double>> qrels(Path file, Map<String, String> queryText)
            throws IOException {
        List<Map<String, String>> rows =
                TabularFile.read(file, List.of("query", "product_id", "relevance"));
        double max = 0;
        for (int i = 0; i < rows.size(); i++) {
            max = Math.max(max, number(rows.get(i).get("relevance"), file, i));
        }
        if (max <= 0) {
            throw new IllegalArgumentException(file + ": no positive relevance");
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            double relevance = number(row.get("relevance"), file, i);
            if (relevance > 0) {
                String normalized = QueryNormalizer.normalize(row.get("query"));
                out.computeIfAbsent(normalized, q -> new LinkedHashMap<>())
                        .put(row.get("product_id"), relevance / max);
                queryText.putIfAbsent(normalized, row.get("query"));
            }
        }
        return out;
    }

    private static double number(String value, Path file, int rowIndex) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    file + " row " + (rowIndex + 1) + ": '" + value + "' is not a number");
        }
    }
}
