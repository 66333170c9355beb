package org.grad4j.losses;

import static org.grad4j.losses.LossTesting.assertGradientOk;
import static org.grad4j.losses.LossTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class FusedCrossEntropyTest {
    @Test
    void sigmoidWithLogitsGradientForLabelsAndLogits() {
        Tensor labels = uniform(51, 0, 1, 3, 4);
        Tensor logits = Tensor.of(new double[] {0, -4, 2.5, 0, 1, -0.3, 0, 6, -1, 0.2, 0, -2}, DataType.DOUBLE, 3, 4);
        assertGradientOk("sigmoidWithLogits", xs -> FusedCrossEntropy.sigmoidWithLogits(xs.get(0), xs.get(1)),
                labels, logits);
        assertEquals("SigmoidCrossEntropyWithLogitsBackward", FusedCrossEntropy.sigmoidWithLogits(labels,
                Tensor.of(logits.array().dup()).requiresGrad(true)).gradFn().name());
    }

    @Test
    void softmaxWithLogitsGradientForLabelsAndLogits() {
        Tensor labels = uniform(52, 0, 1, 3, 4);
        Tensor logits = uniform(53, -3, 3, 3, 4);
        assertGradientOk("softmaxWithLogits axis -1", xs -> FusedCrossEntropy.softmaxWithLogits(xs.get(0), xs.get(1), -1),
                labels, logits);
        assertGradientOk("softmaxWithLogits axis 0", xs -> FusedCrossEntropy.softmaxWithLogits(xs.get(0), xs.get(1), 0),
                labels, logits);
    }

    /**
     * The largest error (GradientCheck's measure) of the second derivative along {@code r},
     * {@code d/dx sum(grad(x) * r)}, from a createGraph backward against central differences of
     * first gradients.
     */
    private static double secondOrderError(Function<Tensor, Tensor> loss, Tensor x0, Tensor r) {
        Tensor x = Tensor.of(x0.array().dup()).requiresGrad(true);
        loss.apply(x).sum().backward(null, false, true);
        Tensor firstGradient = x.grad();
        x.clearGrad();
        firstGradient.mul(r).sum().backward();
        double[] analytic = x.grad().toDoubleArray();
        double[] values = x0.toDoubleArray();
        double h = 1e-6;
        double worst = 0;
        for (int j = 0; j < values.length; j++) {
            double[] plus = values.clone();
            plus[j] += h;
            double[] minus = values.clone();
            minus[j] -= h;
            double numeric = (projectedGradient(loss, plus, x0.shape(), r) - projectedGradient(loss, minus, x0.shape(), r))
                    / (2 * h);
            double scale = Math.max(Math.max(Math.abs(analytic[j]), Math.abs(numeric)), 1e-3);
            worst = Math.max(worst, Math.abs(analytic[j] - numeric) / scale);
        }
        return worst;
    }

    private static double projectedGradient(Function<Tensor, Tensor> loss, double[] values, long[] shape, Tensor r) {
        Tensor x = Tensor.of(values, DataType.DOUBLE, shape).requiresGrad(true);
        loss.apply(x).sum().backward();
        return x.grad().mul(r).sum().itemDouble();
    }

    @Test
    void backwardRulesCanBeDifferentiatedAgain() {
        Tensor labels = uniform(54, 0, 1, 2, 3);
        Tensor r = uniform(57, 0.5, 1.5, 2, 3);
        double sigmoid = secondOrderError(x -> FusedCrossEntropy.sigmoidWithLogits(labels, x), uniform(55, -3, 3, 2, 3), r);
        assertTrue(sigmoid < LossTesting.BOUND, "second derivative of sigmoidWithLogits: " + sigmoid);
        double softmax = secondOrderError(x -> FusedCrossEntropy.softmaxWithLogits(labels, x, -1), uniform(56, -3, 3, 2, 3), r);
        assertTrue(softmax < LossTesting.BOUND, "second derivative of softmaxWithLogits: " + softmax);
    }

    @Test
    void labelsAndLogitsMustMatch() {
        assertThrows(IllegalArgumentException.class,
                () -> FusedCrossEntropy.softmaxWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 4), -1));
    }
}
