package org.grad4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/** Helpers shared by the loss tests: float64 inputs and gradient checks. */
final class LossTesting {
    /**
     * GradientCheck's error is relative, floored at a gradient scale of 1e-3; with float64 and h = 1e-6,
     * correct gradients of these smooth losses measure around 1e-9 or less.
     */
    static final double BOUND = 1e-6;

    private LossTesting() {
    }

    /** Float64 values uniform in [min, max), from a generator seeded with {@code seed}. */
    static Tensor uniform(long seed, double min, double max, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = min + (max - min) * random.nextDouble();
        }
        return Tensor.of(data, DataType.DOUBLE, shape);
    }

    static Tensor f64(double[] data, long... shape) {
        return Tensor.of(data, DataType.DOUBLE, shape);
    }

    /**
     * Checks {@code loss(y_true, y_pred[, sample_weight])} against central differences for every input
     * (labels, predictions and weights alike), and that each input gets a gradient of its own shape.
     *
     * @return the measured error
     */
    static double assertGradientOk(String what, Loss loss, Tensor... inputs) {
        Function<List<Tensor>, Tensor> f = xs -> loss.call(xs.get(0), xs.get(1), xs.size() > 2 ? xs.get(2) : null);
        return assertGradientOk(what, f, inputs);
    }

    static double assertGradientOk(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        List<Tensor> tracked = new ArrayList<>();
        for (Tensor x : inputs) {
            tracked.add(Tensor.of(x.array().dup()).requiresGrad(true));
        }
        Tensor out = f.apply(tracked);
        (out.rank() == 0 ? out : out.sum()).backward();
        for (int i = 0; i < inputs.length; i++) {
            assertNotNull(tracked.get(i).grad(), what + ": no gradient for input " + i);
            assertArrayEquals(inputs[i].shape(), tracked.get(i).grad().shape(), what + ": gradient shape of input " + i);
        }
        double error = GradientCheck.check(f, List.of(inputs));
        assertTrue(error < BOUND, what + ": max relative error " + error);
        return error;
    }

    /** Every element finite. */
    static void assertFinite(String what, Tensor t) {
        assertNotNull(t, what + ": missing");
        for (double v : t.toDoubleArray()) {
            assertTrue(Double.isFinite(v), what + ": not finite: " + t);
        }
    }
}
