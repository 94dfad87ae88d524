package io.searchloop.schemas.keys;

import io.searchloop.events.CatalogItem;
import java.util.List;

/**
 * The text a product is embedded and trained as: {@code title | category | attr: value | …}, with
 * the attributes chosen by configuration. One definition, so that the pairs the model is trained on
 * and the index it searches describe products alike.
 */
public final class ProductText {
    private ProductText() {}

    public static String of(CatalogItem item, List<String> attributes) {
        StringBuilder text = new StringBuilder(item.getTitle());
        if (item.getCategory() != null && !item.getCategory().isBlank()) {
            text.append(" | ").append(item.getCategory());
        }
        for (String attribute : attributes) {
            String value = item.getAttributes().get(attribute);
            if (value != null && !value.isBlank()) {
                text.append(" | ").append(attribute).append(": ").append(value);
            }
        }
        return text.toString();
    }
}
