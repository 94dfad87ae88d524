package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.OnnxSentenceEncoder;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few dozen real training steps on the pretrained all-MiniLM-L6-v2 with each loss: the loss on
 * the toy set (measured without dropout) must fall and each query's own product must move closer
 * relative to the other products.
 */
class FineTuneIT {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuneIT.class);
    private static final String[][] PAIRS = {
        {"труба для отвода дыма", "Дымоход сэндвич из нержавеющей стали 115/200 мм"},
        {"чем крутить саморезы", "Шуруповерт аккумуляторный 18В, 2 АКБ"},
        {"утеплить стены снаружи", "Минеральная вата Rockwool Лайт Баттс 50 мм"},
        {"чем покрыть крышу", "Металлочерепица Монтеррей 0,5 мм RAL 3005"},
        {"сверлить бетон", "Перфоратор SDS-plus 800 Вт"},
        {"заделать щели вокруг окна", "Пена монтажная профессиональная 750 мл"},
        {"покрасить дом", "Краска фасадная акриловая белая 10 л"},
        {"провод для розеток", "Кабель ВВГнг-LS 3х2,5 мм², 100 м"},
        {"выровнять стены", "Штукатурка гипсовая Knauf Ротбанд 30 кг"},
        {"пол в ванную", "Плитка керамическая напольная 30х30 см"},
        {"крепеж для профлиста", "Саморез кровельный 4,8х35 с шайбой EPDM"},
        {"трубы для водопровода", "Труба полипропиленовая PN20 20 мм"},
        {"перекрыть воду", "Кран шаровой латунный 1/2\""},
        {"залезть на чердак", "Лестница алюминиевая трехсекционная 3х9"},
        {"дымо ход", "Дымоход моно из нержавеющей стали 120 мм"},
        {"держать полку на гипсокартоне", "Дюбель-бабочка для гипсокартона 10х50"},
    };

    /**
     * With {@code servingOnOnnxRuntime}, an ONNX Runtime query encoder is open and encoding in the
     * same JVM throughout, as in the one-JVM demo where search-api serves while the trainer trains.
     */
    @ParameterizedTest
    @CsvSource({"mnrl, false", "cosine, false", "mnrl, true"})
    void shouldLowerTheLossAndPullPositivesCloser(String lossName, boolean servingOnOnnxRuntime)
            throws Exception {
        List<TrainingExample> positives = new ArrayList<>();
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < PAIRS.length; i++) {
            positives.add(new TrainingExample(PAIRS[i][0], "p" + i, PAIRS[i][1], 1f));
            examples.add(positives.get(i));
            if (lossName.equals("cosine")) {
                // The cosine loss learns from scores, so it needs pairs that should be far apart
                // too.
                int other = (i + 5) % PAIRS.length;
                examples.add(
                        TrainingExample.scoredNegative(
                                PAIRS[i][0], "p" + other, PAIRS[other][1], 0f));
            }
        }
        TrainingLoss loss = TrainingLoss.named(lossName);
        int steps = 30;
        EncoderOptions cpu = EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);
        try (SentenceEncoder encoder = SentenceEncoder.base(cpu);
                TextEncoder serving =
                        servingOnOnnxRuntime
                                ? OnnxSentenceEncoder.load(BaseModel.directory(), cpu)
                                : null) {
            double[] before = evaluate(encoder, positives, examples, loss);
            try (EncoderTrainer trainer =
                    new EncoderTrainer(
                            encoder,
                            new EncoderTrainer.Options(
                                    loss,
                                    new LinearSchedule(1e-4f, 3, steps),
                                    0.01f,
                                    1f,
                                    0.1f,
                                    17L))) {
                Random random = new Random(17);
                long millis = 0;
                for (int s = 0; s < steps; s++) {
                    List<TrainingExample> shuffled = new ArrayList<>(examples);
                    Collections.shuffle(shuffled, random);
                    millis += trainer.step(shuffled.subList(0, 8)).millis();
                    if (serving != null) {
                        assertThat(serving.encode(List.of(PAIRS[s % PAIRS.length][0]))[0])
                                .hasSize(384);
                        System.gc(); // ONNX Runtime's buffers freed while PyTorch trains
                    }
                }
                LOG.info(
                        "{}: {} steps of batch 8 in {} ms ({} ms/step)",
                        lossName,
                        steps,
                        millis,
                        millis / steps);
            }
            double[] after = evaluate(encoder, positives, examples, loss);
            LOG.info(
                    "{}: loss {} -> {}, positive-minus-negative cosine margin {} -> {}",
                    lossName,
                    before[0],
                    after[0],
                    before[1],
                    after[1]);
            assertThat(after[0]).as("loss on the toy set").isLessThan(before[0]);
            assertThat(after[1])
                    .as("margin of own product over others")
                    .isGreaterThan(before[1] + 0.02);
        }
    }

    /**
     * [loss on the training examples without dropout, mean cos(q, own product) − mean cos(q, other
     * products)].
     */
    private static double[] evaluate(
            SentenceEncoder encoder,
            List<TrainingExample> positives,
            List<TrainingExample> examples,
            TrainingLoss loss) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray eq =
                    encoder.encode(examples.stream().map(TrainingExample::query).toList(), manager);
            List<String> texts = examples.stream().map(TrainingExample::productText).toList();
            NDArray ep = encoder.encode(texts, manager);
            float value = loss.compute(new TrainingBatch(eq, ep, null, examples)).getFloat();
            NDArray q =
                    encoder.encode(
                            positives.stream().map(TrainingExample::query).toList(), manager);
            NDArray p =
                    encoder.encode(
                            positives.stream().map(TrainingExample::productText).toList(), manager);
            float[] cos = q.matMul(p.transpose()).toFloatArray();
            int n = positives.size();
            double own = 0;
            double other = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        own += cos[i * n + j];
                    } else {
                        other += cos[i * n + j];
                    }
                }
            }
            return new double[] {value, own / n - other / (n * (n - 1.0))};
        }
    }
}
