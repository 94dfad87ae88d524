package io.searchloop.search.lexical;

import io.searchloop.search.query.Hit;
import java.sql.SQLException;
import java.util.List;

/**
 * Lexical retrieval: the best {@code k} catalog items for the words of a normalized query (within
 * {@code category} when not null), best first. Implementations are safe for concurrent use.
 */
public interface LexicalRetrieval {
    List<Hit> search(String normalizedQuery, String category, int k) throws SQLException;

    /**
     * Whether {@link #search} answers now; false while an in-process index is still loading, when a
     * search is refused with a 503.
     */
    default boolean ready() {
        return true;
    }
}
