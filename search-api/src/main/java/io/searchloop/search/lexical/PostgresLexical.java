package io.searchloop.search.lexical;

import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.search.query.Hit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Lexical retrieval by PostgreSQL full text over the catalog view, Russian and simple
 * configurations, ranked by {@code ts_rank_cd}, in steps: each step's matches fill the list until
 * it has {@code k} hits. Unbounded ({@link LexicalEngine#POSTGRES}): every word as a prefix, then
 * any word as a prefix, each step ranking all its matches (thousands of rows for a common word).
 * Bounded ({@link LexicalEngine#POSTGRES_BOUNDED}): every word exactly, then every word as a
 * prefix, then any word as a prefix, each step ranking at most {@code candidates} matches (the
 * first the index scan yields, not the best). Words of three or more characters match as prefixes,
 * shorter ones (units, sizes: "л", "10") only whole. Query words go through prepared statements as
 * tsquery text built of letters and digits only.
 */
public final class PostgresLexical implements LexicalRetrieval {
    private final DataSource db;
    private final boolean bounded;
    private final int candidates;

    /** {@code candidates}: the most rows one bounded step ranks (ignored when unbounded). */
    public PostgresLexical(DataSource db, boolean bounded, int candidates) {
        this.db = db;
        this.bounded = bounded;
        this.candidates = candidates;
    }

    @Override
    public List<Hit> search(String normalizedQuery, String category, int k) throws SQLException {
        List<Hit> hits = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String terms : steps(normalizedQuery, bounded)) {
            for (Hit h : matches(terms, category, k)) {
                if (hits.size() < k && seen.add(h.productId())) {
                    hits.add(h);
                }
            }
            if (hits.size() >= k) {
                break;
            }
        }
        return hits;
    }

    /**
     * The tsquery texts to run in turn; a step that could not match more than the one before is
     * left out (one word: every word = any word).
     */
    static List<String> steps(String normalizedQuery, boolean exactFirst) {
        List<String> words = words(normalizedQuery);
        List<String> out = new ArrayList<>();
        if (words.isEmpty()) {
            return out;
        }
        if (exactFirst) {
            String exact = String.join(" & ", words);
            if (!exact.equals(termsQuery(words, " & "))) {
                out.add(exact);
            }
        }
        out.add(termsQuery(words, " & "));
        if (words.size() > 1) {
            out.add(termsQuery(words, " | "));
        }
        return out;
    }

    /** The query's words, reduced to letters and digits. */
    static List<String> words(String normalizedQuery) {
        List<String> words = new ArrayList<>();
        for (String w : normalizedQuery.split("[^\\p{L}\\p{N}]+", -1)) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /**
     * The words joined by a tsquery operator; words of three or more characters match as prefixes.
     */
    static String termsQuery(List<String> words, String operator) {
        return String.join(
                operator, words.stream().map(w -> w.length() >= 3 ? w + ":*" : w).toList());
    }

    private List<Hit> matches(String terms, String category, int k) throws SQLException {
        String sql =
                bounded
                        ? """
                        WITH query AS (SELECT to_tsquery('russian', ?) || to_tsquery('simple', ?) AS q),
                        found AS (SELECT id, title, category, search_text FROM %s, query
                                  WHERE search_text @@ query.q AND (?::text IS NULL OR category = ?) LIMIT ?)
                        SELECT id, title, category, ts_rank_cd(search_text, query.q) AS score
                        FROM found, query ORDER BY score DESC, id LIMIT ?"""
                        : """
                        SELECT id, title, category, ts_rank_cd(search_text, q) AS score
                        FROM %s, (SELECT to_tsquery('russian', ?) || to_tsquery('simple', ?) AS q) query
                        WHERE search_text @@ q AND (?::text IS NULL OR category = ?)
                        ORDER BY score DESC, id LIMIT ?""";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.formatted(ActiveIndexView.CATALOG))) {
            int i = 1;
            ps.setString(i++, terms);
            ps.setString(i++, terms);
            ps.setString(i++, category);
            ps.setString(i++, category);
            if (bounded) {
                ps.setInt(i++, candidates);
            }
            ps.setInt(i, k);
            return Hit.query(ps);
        }
    }
}
