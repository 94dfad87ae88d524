package io.searchloop.search.lexical;

/**
 * What answers lexical queries ({@code LEXICAL_ENGINE}), measured side by side in BENCHMARKS.md
 * section 4. {@code LUCENE}: a BM25 index in the search API's memory, loaded from the catalog view
 * at start and kept current by polling it ({@link LuceneLexical}). {@code POSTGRES}: full text in
 * PostgreSQL, every word (as prefixes) first, then any word, each ranked by {@code ts_rank_cd} over
 * all matches. {@code POSTGRES_BOUNDED}: the same in PostgreSQL with exact words before prefixes
 * and at most a bounded number of candidates ranked per step ({@link PostgresLexical}).
 */
public enum LexicalEngine {
    LUCENE,
    POSTGRES,
    POSTGRES_BOUNDED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
