package io.searchloop.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.searchloop.encoder.TextEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogIndexTest {
    /** Texts are unit vectors on named axes: "x", "y", or "xy" between them. */
    private static final class AxisEncoder implements TextEncoder {
        @Override
        public float[][] encode(List<String> texts) {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                String t = texts.get(i);
                float x = t.contains("x") ? 1 : 0;
                float y = t.contains("y") ? 1 : 0;
                float norm = (float) Math.sqrt(x * x + y * y);
                out[i] = new float[] {x / norm, y / norm, 0};
            }
            return out;
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public String engine() {
            return "test";
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldScoreOnTheDeviceItIsGivenAndRankByCosine() {
        Map<String, String> catalog = new LinkedHashMap<>();
        catalog.put("p-x", "x");
        catalog.put("p-y", "y");
        catalog.put("p-xy", "xy");
        try (CatalogIndex index = CatalogIndex.build(new AxisEncoder(), catalog, Device.cpu())) {
            assertThat(index.device()).isEqualTo(Device.cpu());
            assertThat(index.topK(List.of("x", "y"), 2))
                    .containsExactly(List.of("p-x", "p-xy"), List.of("p-y", "p-xy"));
            assertThat(index.similarities("x", List.of("p-y", "p-xy", "unknown")))
                    .containsOnlyKeys("p-y", "p-xy")
                    .hasEntrySatisfying("p-y", s -> assertThat(s).isZero())
                    .hasEntrySatisfying(
                            "p-xy", s -> assertThat(s).isCloseTo(0.7071f, within(1e-4f)));
        }
    }
}
