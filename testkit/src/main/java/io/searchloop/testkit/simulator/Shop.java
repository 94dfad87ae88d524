package io.searchloop.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated store's traffic and its yardstick, both through the real search API. Intents are
 * product types (half of them with a material); each intent's phrasings are split by a hash into
 * those shoppers use and held-out ones they never issue, which the evaluation measures with the
 * hidden oracle. Shoppers examine results top-down with a position-biased examination model and
 * click with a probability that grows with the oracle grade; some clicks become carts or purchases.
 */
public final class Shop {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] CLICK_BY_GRADE = {0.01, 0.06, 0.25, 0.6};

    /** Metrics of one query family (or all). */
    public record Score(double ndcg10, double mrr10, double recall10, int queries) {}

    /** One held-out query's top results, for the report. */
    public record Example(String query, QueryFamily family, List<String> titles, List<Integer> grades) {}

    private final Catalog catalog;
    private final Map<String, Catalog.Item> byId;
    private final List<ShopperQueries.Query> shopperQueries = new ArrayList<>();
    private final List<ShopperQueries.Query> heldOut = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public Shop(Catalog catalog, String baseUrl, long seed) {
        this.catalog = catalog;
        this.byId = catalog.byId();
        this.baseUrl = baseUrl;
        for (ProductType type : Catalog.TYPES) {
            for (Intent intent : List.of(new Intent(type, null), new Intent(type, type.materials().get(0)))) {
                for (ShopperQueries.Query q : ShopperQueries.of(intent, seed)) {
                    boolean held = Math.floorMod((q.text() + "|" + intent.label()).hashCode(), 4) == 0;
                    (held ? heldOut : shopperQueries).add(q);
                }
            }
        }
    }

    public List<ShopperQueries.Query> heldOut() {
        return heldOut;
    }

    public int shopperQueryCount() {
        return shopperQueries.size();
    }

    /** Runs {@code sessions} shopper sessions; returns the number of interactions posted. */
    public int shop(int sessions, Random random) throws Exception {
        int interactions = 0;
        for (int s = 0; s < sessions; s++) {
            ShopperQueries.Query q = shopperQueries.get(random.nextInt(shopperQueries.size()));
            String sessionId = "sim-" + s;
            JsonNode response = search(q.text(), "hybrid", sessionId);
            JsonNode results = response.path("results");
            for (int i = 0; i < results.size(); i++) {
                if (random.nextDouble() > Math.pow(0.85, i)) {
                    break; // stopped examining
                }
                JsonNode hit = results.get(i);
                Catalog.Item item = byId.get(hit.path("productId").asText());
                int grade = item == null ? 0 : q.intent().grade(item);
                if (random.nextDouble() < CLICK_BY_GRADE[grade]) {
                    String type = grade == 3 && random.nextDouble() < 0.25 ? (random.nextDouble() < 0.3 ? "PURCHASE" : "ADD_TO_CART") : "CLICK";
                    String token = response.path("impressionToken").asText();
                    if (type.equals("PURCHASE")) {
                        post(token, hit.path("productId").asText(), "ADD_TO_CART"); // people put things in the cart before they buy them
                        interactions++;
                    }
                    post(token, hit.path("productId").asText(), type);
                    interactions++;
                    if (random.nextDouble() < 0.5) {
                        break;
                    }
                }
            }
        }
        return interactions;
    }

    /** Oracle-graded metrics of the live API on the held-out queries, overall and per family. */
    public Map<String, Score> evaluate(String mode, List<Example> examples, List<String> exampleQueries) throws Exception {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (ShopperQueries.Query q : heldOut) {
            JsonNode results = search(q.text(), mode, null).path("results");
            List<Integer> grades = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            for (JsonNode hit : results) {
                Catalog.Item item = byId.get(hit.path("productId").asText());
                grades.add(item == null ? 0 : q.intent().grade(item));
                titles.add(hit.path("title").asText());
            }
            double[] m = metrics(q.intent(), grades);
            for (String key : List.of("all", q.family().name().toLowerCase(java.util.Locale.ROOT))) {
                double[] acc = sums.computeIfAbsent(key, k -> new double[4]);
                for (int i = 0; i < 3; i++) {
                    acc[i] += m[i];
                }
                acc[3]++;
            }
            if (exampleQueries.contains(q.text()) && examples.stream().noneMatch(e -> e.query().equals(q.text()))) {
                examples.add(new Example(q.text(), q.family(), titles, grades));
            }
        }
        Map<String, Score> out = new LinkedHashMap<>();
        sums.forEach((k, a) -> out.put(k, new Score(a[0] / a[3], a[1] / a[3], a[2] / a[3], (int) a[3])));
        return out;
    }

    /** [nDCG@10 with gain = grade/3, MRR@10 of the first grade-3 result, Recall@10 of grade-3 items (capped at 10)]. */
    private double[] metrics(Intent intent, List<Integer> grades) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, grades.size()); i++) {
            dcg += grades.get(i) / 3.0 / (Math.log(i + 2) / Math.log(2));
        }
        List<Integer> ideal = catalog.items().stream().map(intent::grade).sorted(java.util.Comparator.reverseOrder()).limit(10).toList();
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
        return new double[] {idcg == 0 ? 0 : dcg / idcg, rr, relevant == 0 ? 0 : (double) found / Math.min(10, relevant)};
    }

    private JsonNode search(String q, String mode, String sessionId) throws Exception {
        String url = baseUrl + "/v1/search?k=10&mode=" + mode + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (sessionId == null ? "" : "&sessionId=" + sessionId);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search '" + q + "' failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private void post(String impressionToken, String productId, String type) throws Exception {
        String body = JSON.writeValueAsString(Map.of("impressionToken", impressionToken, "productId", productId, "type", type));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/interactions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("interaction with " + productId + " refused: " + r.statusCode() + " " + r.body());
        }
    }

    /** Sends the request; a 429 is waited out (its Retry-After, at most 10 times) as a polite client would. */
    private HttpResponse<String> send(HttpRequest request) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 429 || attempt == 10) {
                return r;
            }
            long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Math.min(10, Math.max(1, seconds)) * 1000L);
        }
    }
}
