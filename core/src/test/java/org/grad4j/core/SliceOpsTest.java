package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** slice, concat, stack and unstack: values against ND4J's indexing, float64 gradient checks, errors. */
class SliceOpsTest {
    private static final double BOUND = 1e-6;

    private static Tensor doubles(long seed, long... shape) {
        return TestTensors.uniform(seed, shape);
    }

    private static Tensor floats(long seed, long... shape) {
        return doubles(seed, shape).castTo(DataType.FLOAT);
    }

    @Test
    void sliceMatchesNd4jIndexingForSmallAndLargeTensors() {
        for (long[] shape : new long[][] {{2, 5, 3}, {8, 40, 30}}) {
            Tensor x = floats(1, shape);
            Tensor s = x.slice(1, 2, 4);
            assertArrayEquals(new long[] {shape[0], 2, shape[2]}, s.shape());
            assertEquals(x.array().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(),
                    s.array());
            assertEquals(x.array().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)).dup(),
                    x.slice(-1, 1, 3).array());
        }
    }

    @Test
    void float32GradientsPadWithZerosForSmallAndLargeTensors() {
        for (long[] shape : new long[][] {{2, 5, 3}, {8, 40, 30}}) {
            Tensor x = floats(7, shape).requiresGrad(true);
            Tensor a = x.slice(1, 1, 3);
            Tensor b = x.slice(1, 2, 4);
            Tensor.concat(List.of(a, b), 2).mul(Tensor.concat(List.of(a, b), 2)).sum().backward();
            double[] g = x.grad().toDoubleArray();
            double[] v = x.toDoubleArray();
            for (int i = 0; i < g.length; i++) {
                long t = (i / shape[2]) % shape[1];
                double uses = (t >= 1 && t < 3 ? 1 : 0) + (t >= 2 && t < 4 ? 1 : 0);
                assertEquals(2 * uses * v[i], g[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void concatAndStackMatchNd4jForSmallAndLargeTensors() {
        for (long n : new long[] {3, 300}) {
            Tensor a = floats(2, 4, n);
            Tensor b = floats(3, 4, n);
            assertEquals(Nd4j.concat(1, a.array(), b.array()), Tensor.concat(List.of(a, b), 1).array());
            assertEquals(Nd4j.concat(0, a.array(), b.array()), Tensor.concat(List.of(a, b), 0).array());
            Tensor stacked = Tensor.stack(List.of(a, b), 1);
            assertArrayEquals(new long[] {4, 2, n}, stacked.shape());
            assertEquals(b.array(), stacked.slice(1, 1, 2).reshape(4, n).array());
        }
    }

    @Test
    void unstackGivesEverySliceInOrder() {
        for (long steps : new long[] {1, 2, 7}) {
            Tensor x = floats(4, 3, steps, 2);
            List<Tensor> parts = x.unstack(1);
            assertEquals(steps, parts.size());
            for (int t = 0; t < steps; t++) {
                assertArrayEquals(new long[] {3, 2}, parts.get(t).shape());
                assertEquals(x.slice(1, t, t + 1).reshape(3, 2).array(), parts.get(t).array());
            }
            assertEquals(x.array(), Tensor.stack(parts, 1).array());
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        assertTrue(GradientCheck.check(in -> in.get(0).slice(1, 1, 3).square(), List.of(doubles(5, 2, 4, 3))) < BOUND);
        assertTrue(GradientCheck.check(in -> Tensor.concat(List.of(in.get(0), in.get(1).tanh(), in.get(0)), -1),
                List.of(doubles(6, 2, 3), doubles(7, 2, 1))) < BOUND);
        assertTrue(GradientCheck.check(in -> Tensor.stack(List.of(in.get(0).square(), in.get(1)), 0),
                List.of(doubles(8, 2, 3), doubles(9, 2, 3))) < BOUND);
        assertTrue(GradientCheck.check(in -> {
            List<Tensor> parts = in.get(0).unstack(1);
            Tensor acc = parts.get(0);
            for (int t = 1; t < parts.size(); t++) {
                acc = acc.mul(parts.get(t)).add(parts.get(t).square());
            }
            return acc;
        }, List.of(doubles(10, 2, 5, 3))) < BOUND);
    }

    @Test
    void secondDerivativeThroughSliceAndPad() {
        Tensor x = doubles(11, 4);
        Tensor second;
        try (GradientTape outer = GradientTape.persistent()) {
            outer.watch(x);
            Tensor first;
            try (GradientTape inner = GradientTape.persistent()) {
                inner.watch(x);
                first = inner.gradient(x.slice(0, 1, 3).pow(3).sum(), x);   // 3x² inside the range, padded with 0
            }
            second = outer.gradient(first.sum(), x);
        }
        double[] v = x.toDoubleArray();
        double[] d = second.toDoubleArray();
        assertEquals(0.0, d[0]);
        assertEquals(6 * v[1], d[1], 1e-12);
        assertEquals(6 * v[2], d[2], 1e-12);
        assertEquals(0.0, d[3]);
    }

    @Test
    void badArgumentsNameTheShapes() {
        Tensor x = floats(12, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.slice(1, 2, 5));
        assertTrue(e.getMessage().contains("[2, 5)") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(List.of(x, floats(13, 3, 3)), 1));
        assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.stack(List.of(x, floats(13, 2, 4)), 0));
        assertTrue(e.getMessage().contains("[2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(List.of(), 0));
    }
}
