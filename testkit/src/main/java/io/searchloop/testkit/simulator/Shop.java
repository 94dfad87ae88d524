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
 * The simulated store's traffic and its yardstick, both through the real search API: the {@link
 * Shoppers} issue their phrasings and react to what the API returns, and the held-out phrasings are
 * measured with the hidden oracle.
 */
public final class Shop {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Metrics of one query family (or all). */
    public record Score(double ndcg10, double mrr10, double recall10, int queries) {}

    /** One held-out query's top results, for the report. */
    public record Example(
            String query, QueryFamily family, List<String> titles, List<Integer> grades) {}

    private final Map<String, Catalog.Item> byId;
    private final Shoppers shoppers;
    private final List<ShopperQueries.Query> shopperQueries;
    private final List<ShopperQueries.Query> heldOut;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public Shop(Catalog catalog, String baseUrl, long seed) {
        this.byId = catalog.byId();
        this.baseUrl = baseUrl;
        this.shoppers = new Shoppers(catalog, seed);
        this.shopperQueries = shoppers.issued();
        this.heldOut = shoppers.heldOut();
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
            List<String> shown = new ArrayList<>();
            response.path("results").forEach(hit -> shown.add(hit.path("productId").asText()));
            String token = response.path("impressionToken").asText();
            for (Shoppers.Reaction r : shoppers.react(q, shown, random)) {
                post(token, r.productId(), r.type());
                interactions++;
            }
        }
        return interactions;
    }

    /** Oracle-graded metrics of the live API on the held-out queries, overall and per family. */
    public Map<String, Score> evaluate(
            String mode, List<Example> examples, List<String> exampleQueries) throws Exception {
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
            double[] m = shoppers.metrics(q.intent(), grades);
            for (String key :
                    List.of("all", q.family().name().toLowerCase(java.util.Locale.ROOT))) {
                double[] acc = sums.computeIfAbsent(key, k -> new double[4]);
                for (int i = 0; i < 3; i++) {
                    acc[i] += m[i];
                }
                acc[3]++;
            }
            if (exampleQueries.contains(q.text())
                    && examples.stream().noneMatch(e -> e.query().equals(q.text()))) {
                examples.add(new Example(q.text(), q.family(), titles, grades));
            }
        }
        Map<String, Score> out = new LinkedHashMap<>();
        sums.forEach(
                (k, a) -> out.put(k, new Score(a[0] / a[3], a[1] / a[3], a[2] / a[3], (int) a[3])));
        return out;
    }

    private JsonNode search(String q, String mode, String sessionId) throws Exception {
        String url =
                baseUrl
                        + "/v1/search?k=10&mode="
                        + mode
                        + "&q="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8)
                        + (sessionId == null ? "" : "&sessionId=" + sessionId);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "search '" + q + "' failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private void post(String impressionToken, String productId, String type) throws Exception {
        String body =
                JSON.writeValueAsString(
                        Map.of(
                                "impressionToken",
                                impressionToken,
                                "productId",
                                productId,
                                "type",
                                type));
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/interactions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        if (r.statusCode() != 202) {
            throw new IllegalStateException(
                    "interaction with "
                            + productId
                            + " refused: "
                            + r.statusCode()
                            + " "
                            + r.body());
        }
    }

    /**
     * Sends the request; a 429 is waited out (its Retry-After, at most 10 times) as a polite client
     * would.
     */
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
