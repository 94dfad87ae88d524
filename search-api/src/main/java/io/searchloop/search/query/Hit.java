package io.searchloop.search.query;

/** One search result before positions are assigned. */
public record Hit(String productId, String title, String category, double score) {}
