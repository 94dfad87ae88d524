package io.searchloop.pairs;

/**
 * The pair-builder in a JVM of its own for tests that kill it: what the launcher's {@code
 * pair-builder} command does, without the launcher (which this module cannot depend on).
 */
public final class PairBuilderProcess {
    private PairBuilderProcess() {}

    public static void main(String[] args) throws Exception {
        PairBuilderMain.run(PairBuilderConfig.fromEnv(System.getenv()));
    }
}
