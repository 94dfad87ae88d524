package io.searchloop.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.TinyModels;
import io.searchloop.search.http.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryBatcherTest {
    @TempDir Path tmp;

    @Test
    void shouldGiveEachConcurrentQueryItsOwnEmbedding() throws Exception {
        List<String> queries =
                List.of(
                        "дымоход",
                        "труба для отвода дыма",
                        "шуруповерт 18в",
                        "кран",
                        "минвата 50 мм",
                        "лестница",
                        "пена",
                        "дымо ход");
        try (SentenceEncoder encoder =
                        SentenceEncoder.load(
                                TinyModels.write(tmp.resolve("tiny"), 5),
                                EncoderOptions.defaults()
                                        .withDevice(EncoderOptions.DeviceChoice.CPU));
                QueryBatcher batcher = new QueryBatcher(encoder, 4, "test")) {
            float[][] expected = encoder.encode(queries);
            ExecutorService clients = Executors.newFixedThreadPool(queries.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<float[]>> answers = new ArrayList<>();
            for (String q : queries) {
                answers.add(
                        clients.submit(
                                () -> {
                                    go.await();
                                    return batcher.encode(q);
                                }));
            }
            go.countDown();
            for (int i = 0; i < queries.size(); i++) {
                float[] got = answers.get(i).get();
                for (int d = 0; d < got.length; d++) {
                    assertThat(got[d])
                            .as("%s, dimension %d", queries.get(i), d)
                            .isCloseTo(expected[i][d], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
            clients.shutdown();
        }
    }

    @Test
    void shouldTakeItsBatchSizeFromTheEncodersRuntimeWhenAuto() {
        for (String engine : List.of("onnx", "pytorch")) {
            TextEncoder encoder =
                    new TextEncoder() {
                        @Override
                        public float[][] encode(List<String> texts) {
                            return new float[texts.size()][1];
                        }

                        @Override
                        public int dimension() {
                            return 1;
                        }

                        @Override
                        public String engine() {
                            return engine;
                        }

                        @Override
                        public void close() {}
                    };
            try (QueryBatcher auto = new QueryBatcher(encoder, QueryBatcher.AUTO, engine);
                    QueryBatcher fixed = new QueryBatcher(encoder, 3, engine)) {
                assertThat(auto.maxBatch()).isEqualTo(engine.equals("onnx") ? 1 : 16);
                assertThat(fixed.maxBatch()).isEqualTo(3);
            }
        }
    }

    @Test
    void shouldRefuseQueriesAfterClose() throws Exception {
        try (SentenceEncoder encoder =
                SentenceEncoder.load(
                        TinyModels.write(tmp.resolve("tiny"), 5),
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            QueryBatcher batcher = new QueryBatcher(encoder, 4, "test");
            assertThat(batcher.encode("кран")).hasSize(encoder.dimension());
            batcher.close();
            assertThatThrownBy(() -> batcher.encode("кран"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void shouldCloseTheModelOnlyAfterACallStillRunningReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean closedUnderACall = new AtomicBoolean();
        AtomicBoolean modelClosed = new AtomicBoolean();
        QueryBatcher.BatchEncoder slow =
                texts -> {
                    running.set(true);
                    busy.countDown();
                    try {
                        // A native call does not see interrupts: wait for the release whatever.
                        while (release.getCount() > 0) {
                            try {
                                release.await();
                            } catch (InterruptedException ignored) {
                                // keep running, as a native call would
                            }
                        }
                        return texts.stream().map(t -> new float[] {1}).toArray(float[][]::new);
                    } finally {
                        running.set(false);
                    }
                };
        Runnable closeModel =
                () -> {
                    closedUnderACall.set(running.get());
                    modelClosed.set(true);
                };
        ExecutorService clients = Executors.newSingleThreadExecutor();
        QueryBatcher batcher =
                new QueryBatcher(slow, 1, 2, Duration.ofMillis(300), "slow", closeModel);
        Future<float[]> inEncoder = clients.submit(() -> batcher.encode("a"));
        busy.await();
        batcher.close();
        assertThat(modelClosed).as("close returned while the call still runs").isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).untilTrue(modelClosed);
        assertThat(closedUnderACall).isFalse();
        // Its caller got an answer (the embedding, or 503 if its 300 ms ran out first), not left
        // waiting.
        await().atMost(Duration.ofSeconds(5)).until(inEncoder::isDone);
        clients.shutdown();
    }

    @Test
    void shouldKeepServingAfterTheEncoderThrowsAnError() throws Exception {
        int[] calls = {0};
        QueryBatcher.BatchEncoder flaky =
                texts -> {
                    if (calls[0]++ == 0) {
                        throw new OutOfMemoryError("native allocation failed");
                    }
                    return texts.stream()
                            .map(t -> new float[] {t.length()})
                            .toArray(float[][]::new);
                };
        try (QueryBatcher batcher =
                new QueryBatcher(flaky, 4, 8, Duration.ofSeconds(5), "error", () -> {})) {
            assertThatThrownBy(() -> batcher.encode("first"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("native allocation failed");
            assertThat(batcher.encode("second")).containsExactly(6f);
        }
    }

    @Test
    void shouldAnswer503WhenTheQueueIsFullOrTheAnswerTooSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        QueryBatcher.BatchEncoder stuck =
                texts -> {
                    busy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return texts.stream().map(t -> new float[] {1}).toArray(float[][]::new);
                };
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try (QueryBatcher batcher =
                new QueryBatcher(stuck, 1, 2, Duration.ofMillis(1500), "full", () -> {})) {
            Future<float[]> inEncoder = clients.submit(() -> batcher.encode("a"));
            busy.await();
            assertThatThrownBy(() -> batcher.encode("b"))
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(503))
                    .hasMessageContaining("not encoded within 1500 ms");
            Future<float[]> queued1 = clients.submit(() -> batcher.encode("c"));
            Future<float[]> queued2 = clients.submit(() -> batcher.encode("d"));
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> batcher.queued() == 2);
            assertThatThrownBy(() -> batcher.encode("e"))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("2 queries are waiting");
            for (Future<float[]> f : List.of(inEncoder, queued1, queued2)) {
                assertThatThrownBy(f::get)
                        .hasCauseInstanceOf(ApiException.class); // each waited longer than 1500 ms
            }
            release.countDown();
            assertThat(batcher.encode("f")).containsExactly(1f);
        } finally {
            clients.shutdownNow();
        }
    }
}
