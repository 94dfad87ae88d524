package io.searchloop.pairs;

import java.util.Locale;

/** Why an interaction (or the evidence it would have given) was not credited; each is a counter. */
public enum DropReason {
    /** The product was not in the search's logged result list. */
    NOT_SHOWN,
    /** The interaction's search never arrived within the window. */
    NO_SEARCH,
    /** The interaction happened after the search's attribution window. */
    AFTER_WINDOW,
    /**
     * More interactions for one request id than the per-request cap: the whole request counts for
     * nothing.
     */
    REQUEST_CAP,
    /** A session engaged more than the per-session cap within the hold period. */
    SESSION_CAP,
    /** A session interacted faster than a human in some minute. */
    SESSION_RATE,
    /** A session bought more products it never put in a cart than allowed. */
    CARTLESS_PURCHASE,
    /** The same (query, product) was engaged from more sessions in a burst than allowed. */
    PRODUCT_BURST,
    /** The record would make its state larger than a state store can hold; it was dead-lettered. */
    UNSTORABLE;

    /** The label value in metrics: {@code not_shown}, {@code request_cap}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
