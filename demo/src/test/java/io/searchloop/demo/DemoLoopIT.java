package io.searchloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.CatalogVectors;
import io.searchloop.events.ModelStatus;
import io.searchloop.testkit.simulator.Shop;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The loop end to end, smaller than the demo: real Kafka, PostgreSQL/pgvector, the real base model
 * and all four services in one JVM; simulated shoppers until the trigger fires; one round.
 */
class DemoLoopIT {

    @Test
    void shouldLearnFromShoppersAndImproveHeldOutSearch() throws Exception {
        DemoCommand demo = new DemoCommand();
        demo.catalogSize = 1680;
        demo.shoppers = 200;
        demo.rounds = 1;
        demo.minNewPairs = 600;
        demo.maxSteps = 60;
        demo.epochs = 2;
        demo.port = 0;

        DemoCommand.Outcome outcome = demo.run(false);

        assertThat(outcome.pairs()).as("training pairs produced").isGreaterThanOrEqualTo(600);
        assertThat(outcome.versions()).hasSize(1);
        assertThat(outcome.versions().get(0).status()).isEqualTo(ModelStatus.PROMOTED);
        assertThat(outcome.versions().get(0).metrics().get("production_vectors_reused"))
                .as("the round took production's catalog embeddings from the active base index")
                .isGreaterThanOrEqualTo(1_000.0);
        assertThat(
                        Path.of(URI.create(outcome.versions().get(0).artifactUri()))
                                .resolve(CatalogVectors.FILE))
                .as("the promoted artifact carries its catalog embeddings for the embedder")
                .isRegularFile();
        assertThat(outcome.servedVersion())
                .as("the search API answers with the new version")
                .isEqualTo("v1");
        Shop.Score before = outcome.snapshots().get(0).vector().get("all");
        Shop.Score after = outcome.snapshots().get(1).vector().get("all");
        assertThat(after.ndcg10())
                .as("oracle nDCG@10 on held-out queries, before %.3f", before.ndcg10())
                .isGreaterThan(before.ndcg10() + 0.02);
        assertThat(outcome.report()).exists();
    }
}
