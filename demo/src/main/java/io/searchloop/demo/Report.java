package io.searchloop.demo;

import io.searchloop.testkit.simulator.Shop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's before/after report: a console table and an HTML page with a chart and example
 * queries.
 */
final class Report {
    private static final List<String> FAMILIES =
            List.of("all", "formal", "synonym", "typo", "layout", "english");

    /** The live API measured once (one model version). */
    record Snapshot(
            String label,
            Map<String, Shop.Score> vector,
            Map<String, Shop.Score> hybrid,
            List<Shop.Example> examples) {}

    private Report() {}

    static Snapshot snapshot(String label, Shop shop, List<String> exampleQueries)
            throws Exception {
        List<Shop.Example> examples = new ArrayList<>();
        Map<String, Shop.Score> vector = shop.evaluate("vector", examples, exampleQueries);
        Map<String, Shop.Score> hybrid = shop.evaluate("hybrid", new ArrayList<>(), List.of());
        return new Snapshot(label, vector, hybrid, examples);
    }

    static void print(List<Snapshot> snapshots) {
        System.out.println();
        System.out.println("Held-out queries, oracle-graded (vector / hybrid mode):");
        StringBuilder header =
                new StringBuilder(String.format(Locale.ROOT, "%-10s %7s", "family", "queries"));
        for (Snapshot s : snapshots) {
            header.append(String.format(Locale.ROOT, " | %-28s", s.label()));
        }
        System.out.println(header);
        for (String family : FAMILIES) {
            Shop.Score first = snapshots.get(0).vector().get(family);
            if (first == null) {
                continue;
            }
            StringBuilder line =
                    new StringBuilder(
                            String.format(Locale.ROOT, "%-10s %7d", family, first.queries()));
            for (Snapshot s : snapshots) {
                Shop.Score v = s.vector().get(family);
                Shop.Score h = s.hybrid().get(family);
                line.append(
                        String.format(
                                Locale.ROOT,
                                " | nDCG@10 %.3f / %.3f MRR %.2f",
                                v.ndcg10(),
                                h.ndcg10(),
                                v.mrr10()));
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("Examples (vector mode, top 3, oracle grade in brackets):");
        for (int i = 0; i < snapshots.get(0).examples().size(); i++) {
            Shop.Example first = snapshots.get(0).examples().get(i);
            System.out.printf(
                    "  \"%s\" (%s)%n",
                    first.query(), first.family().name().toLowerCase(Locale.ROOT));
            for (Snapshot s : snapshots) {
                if (i < s.examples().size()) {
                    System.out.printf("    %-18s %s%n", s.label() + ":", top3(s.examples().get(i)));
                }
            }
        }
    }

    private static String top3(Shop.Example e) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(3, e.titles().size()); i++) {
            out.add(e.titles().get(i) + " [" + e.grades().get(i) + "]");
        }
        return String.join("; ", out);
    }

    static Path write(Path file, List<Snapshot> snapshots) throws IOException {
        StringBuilder html =
                new StringBuilder(
                        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>searchloop demo report</title>"
                                + "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}"
                                + "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}"
                                + ".g3{color:#070}.g0{color:#b00}</style></head><body><h1>searchloop: search before and after learning from shoppers</h1>");
        html.append(
                "<p>Held-out queries that simulated shoppers never issued, graded by the simulator's hidden oracle "
                        + "(3 exact, 2 right type, 1 related, 0 unrelated); vector and hybrid modes of the live search API.</p>");
        html.append("<table><tr><th>family</th><th>queries</th>");
        for (Snapshot s : snapshots) {
            html.append("<th>")
                    .append(escape(s.label()))
                    .append("<br>nDCG@10 vector / hybrid</th><th>MRR@10</th><th>Recall@10</th>");
        }
        html.append("</tr>");
        for (String family : FAMILIES) {
            Shop.Score first = snapshots.get(0).vector().get(family);
            if (first == null) {
                continue;
            }
            html.append("<tr><td>")
                    .append(family)
                    .append("</td><td>")
                    .append(first.queries())
                    .append("</td>");
            for (Snapshot s : snapshots) {
                Shop.Score v = s.vector().get(family);
                html.append(
                        String.format(
                                Locale.ROOT,
                                "<td>%.3f / %.3f</td><td>%.3f</td><td>%.3f</td>",
                                v.ndcg10(),
                                s.hybrid().get(family).ndcg10(),
                                v.mrr10(),
                                v.recall10()));
            }
            html.append("</tr>");
        }
        html.append(
                        "</table><h2>nDCG@10 (vector) per model version</h2><svg width=\"640\" height=\"")
                .append(40 + 28 * FAMILIES.size())
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        int y = 20;
        String[] colours = {"#999", "#2a7", "#27a", "#a72"};
        for (String family : FAMILIES) {
            if (snapshots.get(0).vector().get(family) == null) {
                continue;
            }
            html.append("<text x=\"0\" y=\"")
                    .append(y + 12)
                    .append("\" font-size=\"12\">")
                    .append(family)
                    .append("</text>");
            for (int i = 0; i < snapshots.size(); i++) {
                double v = snapshots.get(i).vector().get(family).ndcg10();
                html.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"80\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"%s\"/>",
                                y + i * (24 / snapshots.size()),
                                v * 500,
                                Math.max(4, 24 / snapshots.size() - 2),
                                colours[i % colours.length]));
            }
            y += 28;
        }
        html.append("</svg><p>");
        for (int i = 0; i < snapshots.size(); i++) {
            html.append("<span style=\"color:")
                    .append(colours[i % colours.length])
                    .append("\">■</span> ")
                    .append(escape(snapshots.get(i).label()))
                    .append(" &nbsp; ");
        }
        html.append("</p><h2>Examples (vector mode, top 3)</h2>");
        for (int i = 0; i < snapshots.get(0).examples().size(); i++) {
            html.append("<h3>")
                    .append(escape(snapshots.get(0).examples().get(i).query()))
                    .append("</h3><ul>");
            for (Snapshot s : snapshots) {
                if (i < s.examples().size()) {
                    Shop.Example e = s.examples().get(i);
                    html.append("<li><b>").append(escape(s.label())).append(":</b> ");
                    for (int r = 0; r < Math.min(3, e.titles().size()); r++) {
                        html.append("<span class=\"g")
                                .append(e.grades().get(r))
                                .append("\">")
                                .append(escape(e.titles().get(r)))
                                .append(" [")
                                .append(e.grades().get(r))
                                .append("]</span>; ");
                    }
                    html.append("</li>");
                }
            }
            html.append("</ul>");
        }
        html.append("</body></html>");
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
