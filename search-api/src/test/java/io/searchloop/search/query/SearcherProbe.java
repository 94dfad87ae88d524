package io.searchloop.search.query;

import java.util.List;

/** Opens the Searcher's pure parts to tests in other packages. */
public final class SearcherProbe {
    private SearcherProbe() {}

    public static List<Hit> fuse(int rrfK, List<Hit> vector, List<Hit> lexical, int k) {
        return new Searcher(null, null, rrfK, 50, 0).fuse(vector, lexical, k);
    }
}
