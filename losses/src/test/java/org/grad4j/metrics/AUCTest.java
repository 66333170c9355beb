package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Cases from Keras' {@code confusion_metrics_test.py} (AUCTest): 3 thresholds {-1e-7, 0.5, 1+1e-7},
 * predictions [0, 0.5, 0.3, 0.9], labels [0, 0, 1, 1], weights [1, 2, 3, 4]; then tp = [7, 4, 0],
 * fp = [3, 0, 0], fn = [0, 3, 7], tn = [0, 3, 3] weighted.
 */
class AUCTest {
    private static final Tensor Y_TRUE = Tensor.of(new float[] {0, 0, 1, 1});
    private static final Tensor Y_PRED = Tensor.of(new float[] {0, 0.5f, 0.3f, 0.9f});
    private static final Tensor WEIGHTS = Tensor.of(new float[] {1, 2, 3, 4});

    @Test
    void unweightedRoc() {
        AUC auc = new AUC(3);
        auc.updateState(Y_TRUE, Y_PRED);
        // recall [1, 0.5, 0], false positive rate [1, 0, 0]: one trapezoid of width 1 and height 0.75
        assertEquals(0.75, auc.result(), 1e-12);
    }

    @Test
    void weightedRoc() {
        AUC auc = new AUC(3);
        auc.updateState(Y_TRUE, Y_PRED, WEIGHTS);
        assertEquals((1 + 4.0 / 7) / 2, auc.result(), 1e-12);
    }

    @Test
    void weightedPrInterpolation() {
        AUC auc = new AUC(3, AUC.Curve.PR);
        auc.updateState(Y_TRUE, Y_PRED, WEIGHTS);
        assertEquals((0.5 * (3 + 2 * Math.log(2.5)) + 4) / 7, auc.result(), 1e-12);
    }

    @Test
    void weightedRocMinoringAndMajoring() {
        AUC minoring = new AUC(3).summationMethod(AUC.SummationMethod.MINORING);
        minoring.updateState(Y_TRUE, Y_PRED, WEIGHTS);
        assertEquals(4.0 / 7, minoring.result(), 1e-12);
        AUC majoring = new AUC(3).summationMethod(AUC.SummationMethod.MAJORING);
        majoring.updateState(Y_TRUE, Y_PRED, WEIGHTS);
        assertEquals(1.0, majoring.result(), 1e-12);
    }

    @Test
    void perfectSeparationWithTheDefaultThresholds() {
        AUC auc = new AUC();
        auc.updateState(Tensor.of(new float[] {0, 1, 0, 1}, 4, 1), Tensor.of(new float[] {0.1f, 0.8f, 0.3f, 0.95f}, 4, 1));
        assertEquals(1.0, auc.result(), 1e-12);
        assertEquals(200, auc.numThresholds());
    }

    @Test
    void logitsGiveTheSameAreaAsTheirProbabilities() {
        Tensor yTrue = Tensor.of(new float[] {0, 1, 1, 0, 1, 0});
        Tensor logits = Tensor.of(new float[] {-2, 1.5f, -0.3f, 0.4f, 3, -1});
        AUC fromLogits = new AUC().fromLogits(true);
        fromLogits.updateState(yTrue, logits);
        AUC fromProbabilities = new AUC();
        fromProbabilities.updateState(yTrue, logits.sigmoid());
        assertEquals(fromProbabilities.result(), fromLogits.result(), 1e-12);
        assertEquals(8.0 / 9, fromLogits.result(), 1e-12);
    }

    @Test
    void accumulatesAndResets() {
        AUC auc = new AUC(3);
        auc.updateState(Y_TRUE.reshape(2, 2), Y_PRED.reshape(2, 2));
        auc.updateState(Y_TRUE, Y_PRED);
        assertEquals(0.75, auc.result(), 1e-12);
        auc.reset();
        assertEquals(0.0, auc.result(), 0.0);
    }

    @Test
    void thresholdsBeyondMemoryAreRefusedBeforeAllocating() {
        // num_thresholds can come from a model file's compile_config: 4 arrays of 2^31 - 1 doubles are 64 GiB
        var e = assertThrows(IllegalArgumentException.class, () -> new AUC(Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("AUC: confusion counts [4, 2147483647] DOUBLE needs 68,719,476,704 bytes"),
                e.getMessage());
    }
}
