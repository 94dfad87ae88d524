package io.searchloop.testkit.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How simulated shoppers phrase an intent. The misspelling model here is deliberately not the
 * pair-builder's augmentation (which would make the evaluation test itself): it makes the mistakes
 * people make when writing Russian by ear — unstressed о/а and е/и swapped, a doubled consonant
 * written once, a soft sign dropped, ё written as е, a compound word split at its linking vowel —
 * and the wrong-layout variant is typed from its own key map.
 */
public final class ShopperQueries {
    /** One phrasing of one intent. */
    public record Query(Intent intent, QueryFamily family, String text) {}

    private static final String RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбю";
    private static final String LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";
    private static final Map<String, String> EAR_MISTAKES =
            Map.of("ого", "ово", "нн", "н", "сс", "с", "кк", "к", "ь", "", "о", "а", "е", "и");

    private ShopperQueries() {}

    /** Every phrasing of {@code intent}: formal, colloquial, misspelled, wrong layout, English. */
    public static List<Query> of(Intent intent, long seed) {
        Random random = new Random(seed ^ intent.label().hashCode());
        List<Query> out = new ArrayList<>();
        String formal =
                (intent.type().titleName()
                                + (intent.material() == null ? "" : " " + intent.material()))
                        .toLowerCase(Locale.ROOT);
        out.add(new Query(intent, QueryFamily.FORMAL, formal));
        for (String synonym : intent.type().synonyms()) {
            out.add(new Query(intent, QueryFamily.SYNONYM, synonym));
        }
        for (String source : List.of(formal, intent.type().synonyms().get(0))) {
            String typo = misspell(source, random);
            if (!typo.equals(source)) {
                out.add(new Query(intent, QueryFamily.TYPO, typo));
            }
        }
        out.add(
                new Query(
                        intent,
                        QueryFamily.LAYOUT,
                        wrongLayout(intent.type().titleName().toLowerCase(Locale.ROOT))));
        out.add(new Query(intent, QueryFamily.ENGLISH, intent.type().english()));
        return out;
    }

    static String misspell(String text, Random random) {
        String[] words = text.split(" ");
        int w = 0;
        for (int i = 0; i < words.length; i++) {
            if (words[i].length() > words[w].length()) {
                w = i;
            }
        }
        String word = words[w].replace('ё', 'е');
        List<String> patterns = new ArrayList<>(EAR_MISTAKES.keySet());
        java.util.Collections.sort(patterns);
        java.util.Collections.shuffle(patterns, random);
        for (String p : patterns) {
            int at = word.indexOf(p, 1);
            if (at > 0 && at < word.length() - 1) {
                word =
                        word.substring(0, at)
                                + EAR_MISTAKES.get(p)
                                + word.substring(at + p.length());
                break;
            }
        }
        int linking = word.indexOf('о', 3);
        if (random.nextBoolean() && linking > 0 && linking < word.length() - 3) {
            word = word.substring(0, linking + 1) + " " + word.substring(linking + 1); // "дымо ход"
        }
        words[w] = word;
        return String.join(" ", words);
    }

    static String wrongLayout(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int at = RUSSIAN_KEYS.indexOf(c);
            out.append(at >= 0 ? LATIN_KEYS.charAt(at) : c);
        }
        return out.toString();
    }
}
