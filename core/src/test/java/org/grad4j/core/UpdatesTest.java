package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.SgdUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java passes of {@link Updates} compute what libnd4j's fused updater ops, or the ND4J op sequences of
 * {@link Nd4jUpdates}, compute: the same bits over several steps. (With {@code -Dgrad4j.kernels=nd4j} both sides
 * are the ND4J forms.)
 */
class UpdatesTest {
    private static INDArray random(long seed) {
        return Seeds.normal(new java.util.SplittableRandom(seed), new long[] {300}, 0, 1);
    }

    @Test
    void sgdMatchesLibnd4j() {
        INDArray g = random(1);
        INDArray w = random(2);
        INDArray expected = w.dup();
        expected.subi(Nd4j.exec(new SgdUpdater(g.dup(), 0.05))[0]);
        Updates.sgd(g, w, 0.05);
        assertArrayEquals(expected.toFloatVector(), w.toFloatVector());
    }

    @Test
    void adamMatchesLibnd4jOverSteps() {
        INDArray w = random(3);
        INDArray m = Nd4j.zeros(DataType.FLOAT, 300);
        INDArray v = Nd4j.zeros(DataType.FLOAT, 300);
        INDArray w2 = w.dup();
        INDArray m2 = m.dup();
        INDArray v2 = v.dup();
        for (int step = 0; step < 5; step++) {
            INDArray g = random(10 + step);
            INDArray g2 = g.dup();
            Updates.adam(g, m, v, w, 0.01, 0.9, 0.999, 1e-7, step);
            Nd4j.exec(new AdamUpdater(g2, v2, m2, 0.01, 0.9, 0.999, 1e-7, step));
            w2.subi(g2);
        }
        assertArrayEquals(w2.toFloatVector(), w.toFloatVector());
        assertArrayEquals(m2.toFloatVector(), m.toFloatVector());
        assertArrayEquals(v2.toFloatVector(), v.toFloatVector());
    }

    /**
     * Across many blocks and both block sizes ({@link FloatLoops#updateBlock}: a length under 2^20 and one over it,
     * each ending in a partial block, the larger one split over the cores), still libnd4j's bits.
     */
    @Test
    void adamMatchesLibnd4jAcrossBlocks() {
        int small = 3 * FloatLoops.updateBlock(1000) + 44;
        int large = (1 << 20) + 3 * FloatLoops.updateBlock(1 << 20) + 44;
        for (int n : new int[] {small, large}) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(n);
            INDArray w = Seeds.normal(random, new long[] {n}, 0, 1);
            INDArray m = Nd4j.zeros(DataType.FLOAT, n);
            INDArray v = Nd4j.zeros(DataType.FLOAT, n);
            INDArray w2 = w.dup();
            INDArray m2 = m.dup();
            INDArray v2 = v.dup();
            for (int step = 0; step < 2; step++) {
                INDArray g = Seeds.normal(random, new long[] {n}, 0, 1);
                INDArray g2 = g.dup();
                Updates.adam(g, m, v, w, 0.01, 0.9, 0.999, 1e-7, step);
                Nd4j.exec(new AdamUpdater(g2, v2, m2, 0.01, 0.9, 0.999, 1e-7, step));
                w2.subi(g2);
            }
            assertArrayEquals(w2.toFloatVector(), w.toFloatVector(), "weights, length " + n);
            assertArrayEquals(m2.toFloatVector(), m.toFloatVector(), "momentum, length " + n);
            assertArrayEquals(v2.toFloatVector(), v.toFloatVector(), "velocity, length " + n);
        }
    }

    /** One rule's step: the gradient, the slots (then the weights last), the 0-based step. */
    private interface Step {
        void run(INDArray g, INDArray[] state, int step);
    }

    /** Runs {@code java} and {@code nd4j} from the same start for 5 steps and compares every slot and the weights. */
    private static void assertSameBits(int slots, Step java, Step nd4j) {
        INDArray[] a = new INDArray[slots + 1];
        for (int i = 0; i < slots; i++) {
            a[i] = org.nd4j.linalg.ops.transforms.Transforms.abs(random(40 + i).muli(i % 2 == 0 ? 0.1 : 1), false);   // non-negative, as accumulators are
        }
        a[slots] = random(3);
        INDArray[] b = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].dup();
        }
        for (int step = 0; step < 5; step++) {
            INDArray g = random(10 + step);
            java.run(g.dup(), a, step);
            nd4j.run(g.dup(), b, step);
        }
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(b[i].toFloatVector(), a[i].toFloatVector(), "array " + i);
        }
        assertTrue(a[slots].sumNumber().doubleValue() != random(3).sumNumber().doubleValue(), "the weights moved");
        assertTrue(!Nans.any(a[slots]), "no NaN in the weights: the comparison is of numbers");
    }

    @Test
    void adagradMatchesNd4jOps() {
        assertSameBits(1, (g, s, t) -> Updates.adagrad(g, s[0], s[1], 0.01, 1e-7),
                (g, s, t) -> Nd4jUpdates.adagrad(g, s[0], s[1], 0.01, 1e-7));
    }

    @Test
    void rmspropMatchesNd4jOpsPlainCenteredAndWithMomentum() {
        assertSameBits(1, (g, s, t) -> Updates.rmsprop(g, s[0], null, null, s[1], 0.01, 0.9, 0, 1e-7),
                (g, s, t) -> Nd4jUpdates.rmsprop(g, s[0], null, null, s[1], 0.01, 0.9, 0, 1e-7));
        // centered: the velocity (s[1], of order 1) above the squared average gradient (s[0], of order 0.1)
        assertSameBits(3, (g, s, t) -> Updates.rmsprop(g, s[1], s[0], s[2], s[3], 0.01, 0.9, 0.5, 1e-7),
                (g, s, t) -> Nd4jUpdates.rmsprop(g, s[1], s[0], s[2], s[3], 0.01, 0.9, 0.5, 1e-7));
    }

    @Test
    void adamaxMatchesNd4jOps() {
        assertSameBits(2, (g, s, t) -> Updates.adamax(g, s[0], s[1], s[2], 0.9, 0.999, 1e-7, 0.002 / (1 - Math.pow(0.9, t + 1))),
                (g, s, t) -> Nd4jUpdates.adamax(g, s[0], s[1], s[2], 0.9, 0.999, 1e-7, 0.002 / (1 - Math.pow(0.9, t + 1))));
    }

    @Test
    void adamaxKeepsANaNNormOnBothPaths() {
        // libnd4j's max(NaN, x) is x; NumPy's maximum, and Keras' Adamax, keep the NaN
        for (boolean java : new boolean[] {true, false}) {
            INDArray m = Nd4j.zeros(DataType.FLOAT, 300);
            INDArray u = Nd4j.zeros(DataType.FLOAT, 300);
            u.putScalar(7, Float.NaN);
            INDArray w = random(3);
            if (java) {
                Updates.adamax(random(4), m, u, w, 0.9, 0.999, 1e-7, 0.02);
            } else {
                Nd4jUpdates.adamax(random(4), m, u, w, 0.9, 0.999, 1e-7, 0.02);
            }
            assertTrue(Float.isNaN(u.getFloat(7)) && Float.isNaN(w.getFloat(7)), java ? "java" : "nd4j");
            assertTrue(!Float.isNaN(u.getFloat(6)) && !Float.isNaN(w.getFloat(6)), java ? "java" : "nd4j");
        }
    }

    @Test
    void nadamMatchesNd4jOps() {
        assertSameBits(2, (g, s, t) -> Updates.nadam(g, s[0], s[1], s[2], 0.002, 0.9, 0.999, 1e-7, 0.3, 0.7, 1 - Math.pow(0.999, t + 1)),
                (g, s, t) -> Nd4jUpdates.nadam(g, s[0], s[1], s[2], 0.002, 0.9, 0.999, 1e-7, 0.3, 0.7, 1 - Math.pow(0.999, t + 1)));
    }

    @Test
    void amsgradMatchesLibnd4j() {
        assertSameBits(3, (g, s, t) -> Updates.amsgrad(g, s[0], s[1], s[2], s[3], 0.01, 0.9, 0.999, 1e-7, t),
                (g, s, t) -> Nd4jUpdates.amsgrad(g, s[0], s[1], s[2], s[3], 0.01, 0.9, 0.999, 1e-7, t));
    }
}
