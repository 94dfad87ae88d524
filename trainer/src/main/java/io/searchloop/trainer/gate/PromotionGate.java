package io.searchloop.trainer.gate;

import io.searchloop.trainer.eval.Evaluation;
import java.util.Locale;

/**
 * Refuses to make search worse: a candidate is promoted only if its holdout nDCG@10 beats the
 * production model's by at least {@code minNdcgGain} and it has not drifted from general language
 * (forgetting-guard Spearman at least {@code minSpearman}).
 */
public record PromotionGate(double minNdcgGain, double minSpearman) {

    public GateDecision decide(Evaluation candidate, Evaluation production, double spearman) {
        double gain = candidate.ndcg10() - production.ndcg10();
        String numbers = String.format(Locale.ROOT, "judged ndcg@10 %.4f vs %.4f (%+.4f, need %+.4f), forgetting spearman %.4f (need %.2f)",
                candidate.ndcg10(), production.ndcg10(), gain, minNdcgGain, spearman, minSpearman);
        if (candidate.queries() == 0) {
            return new GateDecision(false, "no holdout queries to evaluate on; " + numbers);
        }
        if (spearman < minSpearman) {
            return new GateDecision(false, "forgetting guard failed: " + numbers);
        }
        if (gain < minNdcgGain) {
            return new GateDecision(false, "not better than production: " + numbers);
        }
        return new GateDecision(true, "better than production: " + numbers);
    }
}
