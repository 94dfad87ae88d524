package io.searchloop.pairs.augment;

import io.searchloop.schemas.keys.QueryNormalizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Realistic misspellings of a query, for training the model to forgive them ("дымо ход" for
 * "дымоход"): a word split at an interior point, two words merged, two adjacent letters swapped, a
 * letter dropped or doubled, a letter replaced by a keyboard neighbour (ЙЦУКЕН or QWERTY), and the
 * whole query typed with the wrong keyboard layout. Deterministic: the random choices are seeded by
 * the query itself, so replaying the same input gives the same variants. At most {@code
 * maxVariants} distinct variants, none equal to the query after normalization.
 */
public final class TypoAugmenter {
    /** One kind of corruption; returns null when it does not apply to the query. */
    private record Generator(String name, BiFunction<String, Random, String> apply) {}

    private static final List<Generator> GENERATORS =
            List.of(
                    new Generator("split", TypoAugmenter::splitWord),
                    new Generator("merge", TypoAugmenter::mergeWords),
                    new Generator("transpose", TypoAugmenter::transpose),
                    new Generator("drop", TypoAugmenter::dropLetter),
                    new Generator("double", TypoAugmenter::doubleLetter),
                    new Generator("neighbour", TypoAugmenter::neighbourKey));

    private final int maxVariants;

    public TypoAugmenter(int maxVariants) {
        if (maxVariants < 0) {
            throw new IllegalArgumentException("maxVariants must be >= 0");
        }
        this.maxVariants = maxVariants;
    }

    /**
     * Up to {@code maxVariants} normalized misspellings of {@code normalizedQuery}, always the same
     * for the same query.
     */
    public List<String> variants(String normalizedQuery) {
        Set<String> out = new LinkedHashSet<>();
        if (maxVariants == 0 || normalizedQuery.codePoints().noneMatch(Character::isLetter)) {
            return List.of();
        }
        Random random = new Random(seed(normalizedQuery));
        String layout = QueryNormalizer.normalize(KeyboardLayouts.switchLayout(normalizedQuery));
        addIfNew(out, layout, normalizedQuery);
        List<Generator> order = new ArrayList<>(GENERATORS);
        java.util.Collections.shuffle(order, random);
        for (int round = 0; round < 3 && out.size() < maxVariants; round++) {
            for (Generator g : order) {
                if (out.size() >= maxVariants) {
                    break;
                }
                String variant = g.apply().apply(normalizedQuery, random);
                if (variant != null) {
                    addIfNew(out, QueryNormalizer.normalize(variant), normalizedQuery);
                }
            }
        }
        return List.copyOf(out).subList(0, Math.min(maxVariants, out.size()));
    }

    private static void addIfNew(Set<String> out, String variant, String original) {
        if (!variant.isBlank() && !variant.equals(original)) {
            out.add(variant);
        }
    }

    static long seed(String query) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(query.getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) | (digest[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Index of a random word with at least {@code minLength} letters, or -1. */
    private static int pickWord(String[] words, int minLength, Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].length() >= minLength && words[i].chars().allMatch(Character::isLetter)) {
                candidates.add(i);
            }
        }
        return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
    }

    private static String replaceWord(String[] words, int index, String replacement) {
        String[] copy = words.clone();
        copy[index] = replacement;
        return String.join(" ", copy);
    }

    static String splitWord(String query, Random random) {
        String[] words = query.split(" ");
        int w = pickWord(words, 5, random);
        if (w < 0) {
            return null;
        }
        String word = words[w];
        int at = 2 + random.nextInt(word.length() - 3);
        return replaceWord(words, w, word.substring(0, at) + " " + word.substring(at));
    }

    static String mergeWords(String query, Random random) {
        String[] words = query.split(" ");
        if (words.length < 2) {
            return null;
        }
        int i = random.nextInt(words.length - 1);
        List<String> out = new ArrayList<>(List.of(words));
        out.set(i, words[i] + words[i + 1]);
        out.remove(i + 1);
        return String.join(" ", out);
    }

    static String transpose(String query, Random random) {
        String[] words = query.split(" ");
        int w = pickWord(words, 4, random);
        if (w < 0) {
            return null;
        }
        char[] c = words[w].toCharArray();
        int i = 1 + random.nextInt(c.length - 2);
        char t = c[i];
        c[i] = c[i + 1];
        c[i + 1] = t;
        return replaceWord(words, w, new String(c));
    }

    static String dropLetter(String query, Random random) {
        String[] words = query.split(" ");
        int w = pickWord(words, 5, random);
        if (w < 0) {
            return null;
        }
        String word = words[w];
        int i = 1 + random.nextInt(word.length() - 1);
        return replaceWord(words, w, word.substring(0, i) + word.substring(i + 1));
    }

    static String doubleLetter(String query, Random random) {
        String[] words = query.split(" ");
        int w = pickWord(words, 4, random);
        if (w < 0) {
            return null;
        }
        String word = words[w];
        int i = 1 + random.nextInt(word.length() - 1);
        return replaceWord(words, w, word.substring(0, i) + word.charAt(i) + word.substring(i));
    }

    static String neighbourKey(String query, Random random) {
        String[] words = query.split(" ");
        int w = pickWord(words, 4, random);
        if (w < 0) {
            return null;
        }
        char[] c = words[w].toCharArray();
        int i = 1 + random.nextInt(c.length - 1);
        String near = KeyboardLayouts.neighbours(c[i]);
        if (near.isEmpty()) {
            return null;
        }
        c[i] = near.charAt(random.nextInt(near.length()));
        return replaceWord(words, w, new String(c));
    }
}
