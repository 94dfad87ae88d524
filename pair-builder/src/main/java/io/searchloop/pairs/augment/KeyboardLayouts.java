package io.searchloop.pairs.augment;

import java.util.HashMap;
import java.util.Map;

/**
 * The Russian ЙЦУКЕН and the Latin QWERTY keyboards, key by key: which Latin character a Cyrillic
 * letter's key types (and back), and which keys are a letter's neighbours.
 */
final class KeyboardLayouts {
    private static final String[] CYRILLIC_ROWS = {"йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"};
    private static final String[] LATIN_ROWS = {"qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,."};
    private static final Map<Character, Character> CYRILLIC_TO_LATIN = new HashMap<>();
    private static final Map<Character, Character> LATIN_TO_CYRILLIC = new HashMap<>();

    static {
        for (int r = 0; r < CYRILLIC_ROWS.length; r++) {
            for (int i = 0; i < CYRILLIC_ROWS[r].length(); i++) {
                CYRILLIC_TO_LATIN.put(CYRILLIC_ROWS[r].charAt(i), LATIN_ROWS[r].charAt(i));
                LATIN_TO_CYRILLIC.put(LATIN_ROWS[r].charAt(i), CYRILLIC_ROWS[r].charAt(i));
            }
        }
        CYRILLIC_TO_LATIN.put('ё', '`');
        LATIN_TO_CYRILLIC.put('`', 'ё');
    }

    private KeyboardLayouts() {}

    /**
     * The text as typed with the other layout switched on: Cyrillic keys give Latin characters and
     * vice versa.
     */
    static String switchLayout(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Character mapped = CYRILLIC_TO_LATIN.get(c);
            if (mapped == null) {
                mapped = LATIN_TO_CYRILLIC.get(c);
            }
            out.append(mapped == null ? c : mapped);
        }
        return out.toString();
    }

    /**
     * Letters on keys next to {@code c} in its own layout (same row left/right, same column
     * above/below); empty if unknown.
     */
    static String neighbours(char c) {
        String[] rows = CYRILLIC_TO_LATIN.containsKey(c) ? CYRILLIC_ROWS : LATIN_ROWS;
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r].indexOf(c);
            if (i < 0) {
                continue;
            }
            appendLetter(out, rows[r], i - 1);
            appendLetter(out, rows[r], i + 1);
            if (r > 0) {
                appendLetter(out, rows[r - 1], i);
            }
            if (r + 1 < rows.length) {
                appendLetter(out, rows[r + 1], i);
            }
        }
        return out.toString();
    }

    private static void appendLetter(StringBuilder out, String row, int i) {
        if (i >= 0 && i < row.length() && Character.isLetter(row.charAt(i))) {
            out.append(row.charAt(i));
        }
    }
}
