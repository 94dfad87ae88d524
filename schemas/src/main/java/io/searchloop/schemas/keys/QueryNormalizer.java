package io.searchloop.schemas.keys;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one normalization of search queries that every module keys by: Unicode NFKC, lower case,
 * {@code ё} → {@code е}, punctuation turned into spaces, whitespace collapsed and trimmed. What
 * carries meaning in a hardware catalog survives: sizes and fractions ({@code 115/200}, {@code
 * 0,5}, {@code 4.8}), inch marks after digits ({@code 3/4"}), hyphenated words ({@code sds-plus})
 * and units glued to numbers ({@code 18в}).
 */
public final class QueryNormalizer {
    private QueryNormalizer() {}

    public static String normalize(String query) {
        if (query == null) {
            return "";
        }
        String s =
                Normalizer.normalize(query, Normalizer.Form.NFKC)
                        .toLowerCase(Locale.ROOT)
                        .replace('ё', 'е');
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char prev = i > 0 ? s.charAt(i - 1) : ' ';
            char next = i + 1 < n ? s.charAt(i + 1) : ' ';
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else if ((c == '/' || c == ',' || c == '.')
                    && Character.isDigit(prev)
                    && Character.isDigit(next)) {
                out.append(c);
            } else if ((c == '-' || c == '+')
                    && Character.isLetterOrDigit(prev)
                    && (Character.isLetterOrDigit(next) || c == '+')) {
                out.append(c);
            } else if (isInchMark(c) && Character.isDigit(prev)) {
                out.append('"');
            } else {
                out.append(' ');
            }
        }
        return out.toString().trim().replaceAll("\\s+", " ");
    }

    private static boolean isInchMark(char c) {
        return c == '"' || c == '”' || c == '“' || c == '″';
    }
}
