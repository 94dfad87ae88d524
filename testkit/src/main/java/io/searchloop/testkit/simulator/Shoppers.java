package io.searchloop.testkit.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated shoppers without any transport: which phrasings they issue and which are held out,
 * how they react to a result list, and the oracle's metrics of a ranking. Intents are product types
 * (half of them with a material); each intent's phrasings are split by a hash into those shoppers
 * use and held-out ones they never issue. Shoppers examine results top-down with a position-biased
 * examination model and click with a probability that grows with the oracle grade; some clicks
 * become carts or purchases.
 */
public final class Shoppers {
    private static final double[] CLICK_BY_GRADE = {0.01, 0.06, 0.25, 0.6};

    /**
     * One engagement with a shown result: its 1-based position, the product, CLICK, ADD_TO_CART or
     * PURCHASE.
     */
    public record Reaction(int position, String productId, String type) {}

    private final Catalog catalog;
    private final Map<String, Catalog.Item> byId;
    private final List<ShopperQueries.Query> issued = new ArrayList<>();
    private final List<ShopperQueries.Query> heldOut = new ArrayList<>();

    public Shoppers(Catalog catalog, long seed) {
        this.catalog = catalog;
        this.byId = catalog.byId();
        for (ProductType type : Catalog.TYPES) {
            for (Intent intent :
                    List.of(new Intent(type, null), new Intent(type, type.materials().get(0)))) {
                for (ShopperQueries.Query q : ShopperQueries.of(intent, seed)) {
                    boolean held =
                            Math.floorMod((q.text() + "|" + intent.label()).hashCode(), 4) == 0;
                    (held ? heldOut : issued).add(q);
                }
            }
        }
    }

    /** The phrasings shoppers issue. */
    public List<ShopperQueries.Query> issued() {
        return issued;
    }

    /**
     * The held-out phrasings. The same text can be held out for one intent and issued for another
     * (a type's synonyms serve both of its intents); {@link #neverIssued()} drops those.
     */
    public List<ShopperQueries.Query> heldOut() {
        return heldOut;
    }

    /** Held-out phrasings whose text no shopper issues for any intent. */
    public List<ShopperQueries.Query> neverIssued() {
        java.util.Set<String> texts = new java.util.HashSet<>();
        issued.forEach(q -> texts.add(q.text()));
        return heldOut.stream().filter(q -> !texts.contains(q.text())).toList();
    }

    /**
     * How one shopper who asked {@code query} reacts to the products shown, in order (ids unknown
     * to the catalog grade 0); a purchase comes after its add-to-cart, as from a real shopper.
     */
    public List<Reaction> react(
            ShopperQueries.Query query, List<String> shownProductIds, Random random) {
        List<Reaction> out = new ArrayList<>();
        for (int i = 0; i < shownProductIds.size(); i++) {
            if (random.nextDouble() > Math.pow(0.85, i)) {
                break; // stopped examining
            }
            Catalog.Item item = byId.get(shownProductIds.get(i));
            int grade = item == null ? 0 : query.intent().grade(item);
            if (random.nextDouble() < CLICK_BY_GRADE[grade]) {
                String type =
                        grade == 3 && random.nextDouble() < 0.25
                                ? (random.nextDouble() < 0.3 ? "PURCHASE" : "ADD_TO_CART")
                                : "CLICK";
                if (type.equals("PURCHASE")) {
                    out.add(
                            new Reaction(
                                    i + 1,
                                    shownProductIds.get(i),
                                    "ADD_TO_CART")); // people put things in the cart before they
                    // buy them
                }
                out.add(new Reaction(i + 1, shownProductIds.get(i), type));
                if (random.nextDouble() < 0.5) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The oracle's grade of each shown product for {@code intent} (0 for ids the catalog lacks).
     */
    public List<Integer> grades(Intent intent, List<String> shownProductIds) {
        return shownProductIds.stream()
                .map(id -> byId.containsKey(id) ? intent.grade(byId.get(id)) : 0)
                .toList();
    }

    /**
     * [nDCG@10 with gain = grade/3 and the ideal ranking over the whole catalog, MRR@10 of the
     * first grade-3 result, Recall@10 of grade-3 items (capped at 10)].
     */
    public double[] metrics(Intent intent, List<Integer> grades) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, grades.size()); i++) {
            dcg += grades.get(i) / 3.0 / (Math.log(i + 2) / Math.log(2));
        }
        List<Integer> ideal =
                catalog.items().stream()
                        .map(intent::grade)
                        .sorted(Comparator.reverseOrder())
                        .limit(10)
                        .toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += ideal.get(i) / 3.0 / (Math.log(i + 2) / Math.log(2));
        }
        double rr = 0;
        for (int i = 0; i < Math.min(10, grades.size()); i++) {
            if (grades.get(i) == 3) {
                rr = 1.0 / (i + 1);
                break;
            }
        }
        long relevant = catalog.items().stream().filter(it -> intent.grade(it) == 3).count();
        long found = grades.stream().limit(10).filter(g -> g == 3).count();
        return new double[] {
            idcg == 0 ? 0 : dcg / idcg,
            rr,
            relevant == 0 ? 0 : (double) found / Math.min(10, relevant)
        };
    }
}
