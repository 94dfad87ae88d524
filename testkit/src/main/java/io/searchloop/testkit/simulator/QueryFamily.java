package io.searchloop.testkit.simulator;

/** The ways people ask, reported separately in the evaluation. */
public enum QueryFamily {
    FORMAL,
    SYNONYM,
    TYPO,
    LAYOUT,
    ENGLISH
}
