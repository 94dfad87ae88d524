package io.searchloop.search.query;

import java.util.List;
import java.util.Locale;

/** How results are found: by the active model's vectors, by full text, or both fused. */
public enum SearchMode {
    VECTOR,
    LEXICAL,
    HYBRID;

    public static SearchMode parse(String value) {
        if (value == null || value.isBlank()) {
            return HYBRID;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown mode '" + value + "' (hybrid, vector or lexical)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The retrievals that answer this mode, as the search response names them. */
    public List<String> retrievals() {
        return this == HYBRID ? List.of(VECTOR.label(), LEXICAL.label()) : List.of(label());
    }
}
