package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers shared by the layer tests: seeded inputs, a hand-written gradient-descent step, shape checks. */
final class LayerTesting {
    /**
     * GradientCheck's error is relative, floored at a gradient scale of 1e-3 (see its class comment);
     * correct float64 gradients with h = 1e-5 stay near 1e-8.
     */
    static final double GRADIENT_BOUND = 1e-6;

    private LayerTesting() {
    }

    /** N(0, scale²) samples of {@code dtype}, redrawn while within 0.05 of a kink (a point where the derivative jumps). */
    static Tensor normal(long seed, DataType dtype, double scale, double[] kinks, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < v.length; i++) {
            do {
                v[i] = scale * Seeds.gaussian(random);
            } while (near(v[i], kinks));
        }
        return Tensor.of(Nd4j.create(v, shape, 'c').castTo(dtype));
    }

    /** Float32 N(0, 1) samples. */
    static Tensor normal(long seed, long... shape) {
        return normal(seed, DataType.FLOAT, 1.0, new double[0], shape);
    }

    /** Float64 N(0, 1) samples. */
    static Tensor normal64(long seed, long... shape) {
        return normal(seed, DataType.DOUBLE, 1.0, new double[0], shape);
    }

    private static boolean near(double v, double[] kinks) {
        for (double k : kinks) {
            if (Math.abs(v - k) < 0.05) {
                return true;
            }
        }
        return false;
    }

    /** Mean squared error of the layer's training-mode output against {@code y}, plus the layer's penalties. */
    static Tensor loss(Layer layer, Tensor x, Tensor y) {
        Tensor loss = layer.apply(x, true).sub(y).square().mean();
        for (Tensor penalty : layer.losses()) {
            loss = loss.add(penalty);
        }
        return loss;
    }

    /**
     * One plain gradient-descent step by hand ({@code w -= lr * dL/dw} for each trainable weight), as an
     * optimizer would do it; returns the loss before the step.
     */
    static double descend(Layer layer, Tensor x, Tensor y, double lr) {
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = loss(layer, x, y);
        }
        List<Variable> vars = layer.trainableWeights();
        List<Tensor> grads = tape.gradient(loss, vars);
        for (int i = 0; i < vars.size(); i++) {
            vars.get(i).assign(vars.get(i).array().sub(grads.get(i).array().mul(lr)));
        }
        return loss.itemDouble();
    }

    /** The variable's name and shape, {@code dense/kernel:0 [9, 64]}, as a model summary lists it. */
    static String describe(Variable v) {
        return v.name() + " " + Shapes.format(v.shape());
    }

    static void assertShape(long[] expected, Tensor t) {
        assertArrayEquals(expected, t.shape(), () -> "shape " + Shapes.format(t.shape()));
    }

    static void assertNames(List<String> expected, List<Variable> vars) {
        assertEquals(expected, vars.stream().map(LayerTesting::describe).toList());
    }
}
