package io.searchloop.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryBatcherTest {
    @TempDir
    Path tmp;

    @Test
    void shouldGiveEachConcurrentQueryItsOwnEmbedding() throws Exception {
        List<String> queries = List.of("дымоход", "труба для отвода дыма", "шуруповерт 18в", "кран", "минвата 50 мм", "лестница", "пена", "дымо ход");
        try (SentenceEncoder encoder = SentenceEncoder.load(TinyModels.write(tmp.resolve("tiny"), 5), EncoderOptions.defaults()
                .withDevice(EncoderOptions.DeviceChoice.CPU));
             QueryBatcher batcher = new QueryBatcher(encoder, 4, "test")) {
            float[][] expected = encoder.encode(queries);
            ExecutorService clients = Executors.newFixedThreadPool(queries.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<float[]>> answers = new ArrayList<>();
            for (String q : queries) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return batcher.encode(q);
                }));
            }
            go.countDown();
            for (int i = 0; i < queries.size(); i++) {
                float[] got = answers.get(i).get();
                for (int d = 0; d < got.length; d++) {
                    assertThat(got[d]).as("%s, dimension %d", queries.get(i), d).isCloseTo(expected[i][d], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
            clients.shutdown();
        }
    }

    @Test
    void shouldRefuseQueriesAfterClose() throws Exception {
        try (SentenceEncoder encoder = SentenceEncoder.load(TinyModels.write(tmp.resolve("tiny"), 5), EncoderOptions.defaults()
                .withDevice(EncoderOptions.DeviceChoice.CPU))) {
            QueryBatcher batcher = new QueryBatcher(encoder, 4, "test");
            assertThat(batcher.encode("кран")).hasSize(encoder.dimension());
            batcher.close();
            assertThatThrownBy(() -> batcher.encode("кран")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }
}
