package io.searchloop.testkit.simulator;

import java.util.List;

/**
 * A kind of product the simulated store sells: how titles name it, its category and category group
 * (for "related" grades), the attribute values its items vary by, and the colloquial ways shoppers
 * ask for it that titles never use.
 */
public record ProductType(
        String key,
        String titleName,
        String category,
        String group,
        List<String> materials,
        List<String> sizes,
        List<String> synonyms,
        String english) {}
