package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java loops for small float32 tensors against ND4J's float64 ops (which never take the small path):
 * each op's value and its gradients, with broadcasting, must agree to float32 precision.
 */
class SmallTensorsTest {
    @BeforeEach
    void javaKernelsOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.JAVA,
                "-Dgrad4j.kernels=nd4j keeps no tensor in a Java array: these tests are about the Java kernels");
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(3);

    private static double[] random(long[] shape, double min, double max) {
        double[] v = new double[(int) Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = min + (max - min) * RANDOM.nextDouble();
        }
        return v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Runs {@code op} on small float32 leaves and on float64 leaves; compares values and gradients of sum(op). */
    private static void check(String what, Function<List<Tensor>, Tensor> op, double min, double max, long[]... shapes) {
        List<Tensor> small = new java.util.ArrayList<>();
        List<Tensor> exact = new java.util.ArrayList<>();
        for (long[] shape : shapes) {
            double[] v = random(shape, min, max);
            float[] f = floats(v);
            Tensor s = Tensor.of(f, shape).requiresGrad(true);
            assertTrue(s.isSmallBacked(), what + ": the float32 input should be small-backed");
            small.add(s);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];   // the same values, so only the arithmetic differs
            }
            exact.add(Tensor.of(d, DataType.DOUBLE, shape).requiresGrad(true));
        }
        Tensor outSmall = op.apply(small);
        Tensor outExact = op.apply(exact);
        assertTrue(outSmall.isSmallBacked(), what + ": the result should stay small-backed");
        assertArrayEquals(outExact.shape(), outSmall.shape(), what + ": shape");
        assertClose(what + " value", outExact.toDoubleArray(), outSmall.toDoubleArray());
        outSmall.sum().backward();
        outExact.sum().backward();
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], small.get(i).grad().shape(), what + ": gradient shape of input " + i);
            assertClose(what + " gradient " + i, exact.get(i).grad().toDoubleArray(), small.get(i).grad().toDoubleArray());
        }
    }

    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 2e-6 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, what + " at " + i);
        }
    }

    @Test
    void elementwiseWithBroadcasting() {
        check("add", t -> t.get(0).add(t.get(1)), -2, 2, new long[] {4, 3}, new long[] {3});
        check("sub", t -> t.get(0).sub(t.get(1)), -2, 2, new long[] {4, 1}, new long[] {1, 3});
        check("mul", t -> t.get(0).mul(t.get(1)), -2, 2, new long[] {2, 3, 4}, new long[] {3, 1});
        check("div", t -> t.get(0).div(t.get(1)), 0.5, 2, new long[] {5}, new long[] {2, 5});
        check("mul one-element tensor", t -> t.get(0).mul(t.get(1)), -2, 2, new long[] {6}, new long[] {1});
    }

    @Test
    void scalarOperandsAndUnaryOps() {
        check("scalar ops", t -> t.get(0).add(1.5).mul(-2.0).rsub(3.0).div(4.0), -2, 2, new long[] {3, 2});
        check("rdiv", t -> t.get(0).rdiv(2.0), 0.5, 2, new long[] {7});
        check("pow", t -> t.get(0).pow(3), 0.1, 2, new long[] {2, 2});
        check("square sqrt", t -> t.get(0).square().add(1.0).sqrt(), -2, 2, new long[] {8});
        check("exp log", t -> t.get(0).exp().add(t.get(0).log()), 0.2, 2, new long[] {4, 2});
        check("abs", t -> t.get(0).abs(), -2, 2, new long[] {9});
        check("clip", t -> t.get(0).clip(-0.5, 1.0), -2, 2, new long[] {4, 5});
        check("sigmoid tanh relu", t -> t.get(0).sigmoid().add(t.get(0).tanh()).add(t.get(0).relu()), -3, 3,
                new long[] {3, 3});
    }

    @Test
    void reductionsShapesAndMatmul() {
        check("sum axes", t -> t.get(0).sum(false, 1).mul(t.get(0).sum(true, 0, 2).sum()), -1, 1, new long[] {2, 3, 4});
        check("mean", t -> t.get(0).mean(true, -1), -1, 1, new long[] {5, 4});
        check("reshape expand squeeze", t -> t.get(0).reshape(3, 4).expandDims(0).squeeze(0).mul(t.get(0).reshape(-1, 4)),
                -1, 1, new long[] {2, 6});
        check("broadcastTo sumToShape", t -> t.get(0).broadcastTo(4, 3).mul(t.get(1)).sumToShape(1, 3), -1, 1,
                new long[] {1, 3}, new long[] {4, 3});
        check("matmul", t -> t.get(0).matmul(t.get(1)), -1, 1, new long[] {5, 3}, new long[] {3, 2});
        check("matmul transposed", t -> t.get(0).matmul(t.get(1), true, true), -1, 1, new long[] {3, 5}, new long[] {2, 3});
    }

    @Test
    void largeResultsAndOtherTypesLeaveTheSmallPath() {
        Tensor row = Tensor.of(new float[200], 1, 200);
        Tensor column = Tensor.of(new float[200], 200, 1);
        Tensor product = row.add(column);
        assertFalse(product.isSmallBacked(), "a [200, 200] result is too large for Java loops");
        assertArrayEquals(new long[] {200, 200}, product.shape());
        assertFalse(Tensor.of(new float[Kernels.SMALL + 1]).isSmallBacked());
        assertFalse(Tensor.of(new double[] {1, 2}, DataType.DOUBLE).add(1.0).isSmallBacked());
    }

    @Test
    void arrayAccessMovesTheValuesIntoNd4jOnceAndInPlaceChangesAreSeen() {
        Tensor t = Tensor.of(new float[] {1, 2, 3});
        assertTrue(t.isSmallBacked());
        t.array().muli(2);
        assertFalse(t.isSmallBacked());
        assertArrayEquals(new float[] {2, 4, 6}, t.toFloatArray());
        assertArrayEquals(new float[] {3, 5, 7}, t.add(1.0).toFloatArray());
        assertEquals(DataType.FLOAT, Tensor.scalar(1f).dataType());
        assertEquals(0, Tensor.scalar(1f).rank());
        assertEquals(Nd4j.scalar(4f), Tensor.scalar(4f).array());
    }

    @Test
    void aTensorFirstReadInsideAWorkspaceKeepsItsValuesAfterTheWorkspaceIsReused() {
        Tensor longLived = Tensor.of(new float[] {1, 2, 3});
        var conf = org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        for (int round = 0; round < 3; round++) {
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "SmallTensorsTest")) {
                longLived.array();
                Nd4j.create(DataType.FLOAT, 64).assign(9);   // would overwrite workspace memory
            }
        }
        assertArrayEquals(new float[] {1, 2, 3}, longLived.toFloatArray());
    }
}
