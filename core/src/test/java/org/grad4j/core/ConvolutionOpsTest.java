package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling: values against a direct loop over the definition (float64), gradients against float64
 * central differences, and the two kernel paths (Java loops, ND4J views) against each other.
 */
class ConvolutionOpsTest {
    /** GradientCheck's relative error (floored at 1e-3); correct float64 gradients stay near 1e-9. */
    private static final double BOUND = 1e-6;

    private static Tensor random(long seed, long... shape) {
        return TestTensors.uniform(seed, shape);
    }

    /** The definition: out[b, o, f] = sum over window cells k and group channels c of x[b, o*s - pad + k*d, c] * w. */
    private static double[] directConv2d(Tensor x, Tensor kernel, int[] s, int[] d, boolean same, int groups) {
        long[] xs = x.shape();
        long[] ks = kernel.shape();
        int b = (int) xs[0];
        int h = (int) xs[1];
        int wd = (int) xs[2];
        int c = (int) xs[3];
        int kh = (int) ks[0];
        int kw = (int) ks[1];
        int cg = (int) ks[2];
        int f = (int) ks[3];
        int fg = f / groups;
        int oh = (int) Windows.outputSize(h, kh, s[0], d[0], same);
        int ow = (int) Windows.outputSize(wd, kw, s[1], d[1], same);
        int padTop = same ? Math.max((oh - 1) * s[0] + d[0] * (kh - 1) + 1 - h, 0) / 2 : 0;
        int padLeft = same ? Math.max((ow - 1) * s[1] + d[1] * (kw - 1) + 1 - wd, 0) / 2 : 0;
        double[] xv = x.toDoubleArray();
        double[] kv = kernel.toDoubleArray();
        double[] out = new double[b * oh * ow * f];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < f; o++) {
                        int g = o / fg;
                        double sum = 0;
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int ih = i * s[0] - padTop + p * d[0];
                                int iw = j * s[1] - padLeft + q * d[1];
                                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                    continue;
                                }
                                for (int ch = 0; ch < cg; ch++) {
                                    sum += xv[((n * h + ih) * wd + iw) * c + g * cg + ch]
                                            * kv[((p * kw + q) * cg + ch) * f + o];
                                }
                            }
                        }
                        out[((n * oh + i) * ow + j) * f + o] = sum;
                    }
                }
            }
        }
        return out;
    }

    private static void assertGradient(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        double error = GradientCheck.check(f, List.of(inputs));
        assertTrue(error < BOUND, name + ": max relative error " + error);
    }

    private static void assertConv2d(String name, long[] xShape, long[] kShape, int[] s, int[] d, boolean same, int groups) {
        Tensor x = random(1, xShape);
        Tensor k = random(2, kShape);
        Tensor out = ConvolutionOps.conv(x, k, null, false, s, same, d, groups);
        double[] expected = directConv2d(x, k, s, d, same, groups);
        double[] actual = out.toDoubleArray();
        assertEquals(expected.length, actual.length, name + ": output size " + Shapes.format(out.shape()));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, name + ": output element " + i);
        }
        assertGradient(name, in -> ConvolutionOps.conv(in.get(0), in.get(1), null, false, s, same, d, groups), x, k);
    }

    @Test
    void conv2dValidMatchesTheDefinitionAndItsGradient() {
        assertConv2d("valid 3x3", new long[] {2, 5, 5, 2}, new long[] {3, 3, 2, 3}, new int[] {1, 1}, new int[] {1, 1}, false, 1);
    }

    @Test
    void conv2dSameWithStridesPadsTheOddCellAtTheEnd() {
        assertConv2d("same stride 2", new long[] {1, 6, 7, 2}, new long[] {3, 4, 2, 2}, new int[] {2, 2}, new int[] {1, 1}, true, 1);
        Tensor out = ConvolutionOps.conv(random(1, 1, 6, 7, 2), random(2, 3, 4, 2, 2), null, false, new int[] {2, 2}, true,
                new int[] {1, 1}, 1);
        assertArrayEquals(new long[] {1, 3, 4, 2}, out.shape());
    }

    @Test
    void conv2dDilationSamePadding() {
        assertConv2d("dilation 1x2 same", new long[] {1, 5, 6, 2}, new long[] {2, 2, 2, 3}, new int[] {1, 1}, new int[] {1, 2}, true, 1);
        assertConv2d("dilation 2x2 valid", new long[] {2, 7, 6, 1}, new long[] {3, 2, 1, 2}, new int[] {1, 1}, new int[] {2, 2}, false, 1);
    }

    @Test
    void conv2dGroupsWithStridesAndSamePadding() {
        assertConv2d("groups 2, stride 2 same", new long[] {2, 5, 6, 4}, new long[] {3, 3, 2, 6}, new int[] {2, 2}, new int[] {1, 1}, true, 2);
        assertConv2d("groups 3, dilation 2", new long[] {1, 6, 6, 3}, new long[] {2, 2, 1, 3}, new int[] {1, 1}, new int[] {2, 2}, true, 3);
    }

    @Test
    void conv1dIsTheHeightOneCaseWithBiasAndRelu() {
        Tensor x = random(3, 2, 7, 3);
        Tensor k = random(4, 4, 3, 2);
        Tensor bias = random(5, 2);
        Tensor out = ConvolutionOps.conv(x, k, bias, true, new int[] {2}, true, new int[] {1}, 1);
        assertArrayEquals(new long[] {2, 4, 2}, out.shape());
        double[] plain = directConv2d(x.reshape(2, 1, 7, 3), k.reshape(1, 4, 3, 2), new int[] {1, 2}, new int[] {1, 1}, true, 1);
        double[] b = bias.toDoubleArray();
        double[] actual = out.toDoubleArray();
        for (int i = 0; i < plain.length; i++) {
            assertEquals(Math.max(plain[i] + b[i % 2], 0), actual[i], 1e-12, "element " + i);
        }
        assertGradient("conv1d same stride 2 + bias", in -> ConvolutionOps.conv(in.get(0), in.get(1), in.get(2), false,
                new int[] {2}, true, new int[] {1}, 1), x, k, bias);
        assertGradient("conv1d groups + dilation", in -> ConvolutionOps.conv(in.get(0), in.get(1), null, false,
                new int[] {1}, true, new int[] {2}, 3), random(6, 2, 8, 3), random(7, 3, 1, 6));
    }

    @Test
    void maxPoolIgnoresPaddingAndRoutesTheGradientToTheMaximum() {
        Tensor x = random(8, 1, 5, 6, 2);
        Tensor out = ConvolutionOps.maxPool(x, new int[] {3, 3}, new int[] {2, 2}, true);
        assertArrayEquals(new long[] {1, 3, 3, 2}, out.shape());
        double[] xv = x.toDoubleArray();
        // pads H (1, 1), W (0, 1): the top-left window covers rows 0..1 and columns 0..2
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                best = Math.max(best, xv[(i * 6 + j) * 2]);
            }
        }
        assertEquals(best, out.toDoubleArray()[0], 0.0);
        assertGradient("maxPool same 3x3 stride 2", in -> ConvolutionOps.maxPool(in.get(0), new int[] {3, 3}, new int[] {2, 2}, true), x);
        assertGradient("maxPool1d valid", in -> ConvolutionOps.maxPool(in.get(0), new int[] {2}, new int[] {2}, false), random(9, 2, 7, 2));
    }

    @Test
    void avgPoolSameDividesByTheRealCellsOnly() {
        Tensor x = random(10, 1, 5, 6, 2);
        Tensor out = ConvolutionOps.avgPool(x, new int[] {3, 3}, new int[] {2, 2}, true);
        double[] xv = x.toDoubleArray();
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                sum += xv[(i * 6 + j) * 2 + 1];
            }
        }
        assertEquals(sum / 6, out.toDoubleArray()[1], 1e-12);
        assertGradient("avgPool same 3x3 stride 2", in -> ConvolutionOps.avgPool(in.get(0), new int[] {3, 3}, new int[] {2, 2}, true), x);
        assertGradient("avgPool1d same", in -> ConvolutionOps.avgPool(in.get(0), new int[] {3}, new int[] {2}, true), random(11, 2, 6, 2));
    }

    @Test
    void im2colAndCol2imAreAdjoint() {
        // <im2col(x), c> == <x, col2im(c)>: what lets each serve as the other's gradient
        Tensor x = random(12, 2, 5, 4, 3);
        Windows w = Windows.of("test", x.shape(), new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, true);
        Tensor c = random(13, w.windowsShape());
        double left = ConvolutionOps.im2col(x, w, 0.0).mul(c).sumDouble();
        double right = x.mul(ConvolutionOps.col2im(c, w)).sumDouble();
        assertEquals(left, right, 1e-12);
        assertGradient("col2im", in -> ConvolutionOps.col2im(in.get(0), w).square(), c);
    }

    @Test
    void javaLoopsAndNd4jViewsGiveTheSameWindows() {
        Tensor x = random(14, 2, 7, 6, 3).castTo(DataType.FLOAT);
        Windows w = Windows.of("test", x.shape(), new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, true);
        INDArray viaJava = Kernels.im2col(x, w, -2.5).array();
        INDArray viaViews = WindowKernels.im2colViews(x.array(), w, -2.5);
        assertEquals(viaViews, viaJava);
        Tensor cols = random(15, w.windowsShape()).castTo(DataType.FLOAT);
        INDArray backJava = Kernels.col2im(cols, w).array();
        INDArray backViews = WindowKernels.col2imViews(cols.array(), w);
        assertTrue(backViews.equalsWithEps(backJava, 1e-6), "col2im paths differ");
    }

    @Test
    void maxPoolGivesATiedWindowsGradientToItsFirstMaximumOnBothPaths() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 2, 2, 2, 2}, 1, 2, 4, 1);
        Windows w = Windows.of("test", x.shape(), new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, false);
        assertArrayEquals(new int[] {1, 2}, cells(x, w));
        assertArrayEquals(new int[] {1, 2}, WindowKernels.maxCellsViews(x.array(), w));
        Tensor tracked = x.detach().requiresGrad(true);
        ConvolutionOps.maxPool(tracked, new int[] {2, 2}, new int[] {2, 2}, false).sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0, 0}, tracked.grad().toFloatArray());
        Tensor big = random(22, 2, 9, 7, 3).castTo(DataType.FLOAT);
        Windows same = Windows.of("test", big.shape(), new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, true);
        assertArrayEquals(WindowKernels.maxCellsViews(big.array(), same), cells(big, same));
    }

    /** The cells the pooling itself finds: the Java pass's, or ND4J's views where that pass does not run. */
    private static int[] cells(Tensor x, Windows w) {
        Kernels.MaxPooled pooled = Kernels.maxPool(x, w, new long[] {w.batch(), w.outH(), w.outW(), w.channels()});
        return pooled != null ? pooled.cells() : Kernels.maxCells(x, w);
    }

    @Test
    void maxPoolAgreesWithNd4jsCellsOnSpecialValuesInBothDirections() {
        SplittableRandom r = new SplittableRandom(23);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 1f, 1f};
        float[] v = new float[2 * 5 * 6 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : (float) r.nextDouble(-1, 1);
        }
        Tensor x = Tensor.of(v, 2, 5, 6, 3);
        int[][] shapes = {{2, 2, 2, 2, 0}, {3, 3, 2, 2, 1}, {3, 2, 1, 1, 0}, {2, 3, 1, 2, 1}};
        for (int[] p : shapes) {
            String name = "pool " + p[0] + "x" + p[1] + " stride " + p[2] + "x" + p[3] + (p[4] == 1 ? " same" : " valid");
            Windows w = Windows.of("test", x.shape(), new int[] {p[0], p[1]}, new int[] {p[2], p[3]}, new int[] {1, 1}, p[4] == 1);
            int[] cells = WindowKernels.maxCellsViews(x.array(), w);   // ND4J's arg-max: the reference
            float[] expected = new float[cells.length];
            for (int i = 0; i < cells.length; i++) {
                expected[i] = v[cells[i]];
            }
            Tensor tracked = x.detach().requiresGrad(true);
            Tensor out = ConvolutionOps.maxPool(tracked, new int[] {p[0], p[1]}, new int[] {p[2], p[3]}, p[4] == 1);
            assertBitsEqual(expected, out.toFloatArray(), name + " values");
            float[] g = new float[cells.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = i % 5 == 0 ? special[i % special.length] : (float) r.nextDouble(-1, 1);
            }
            float[] dx = new float[v.length];
            for (int i = 0; i < cells.length; i++) {
                dx[cells[i]] += g[i];
            }
            out.backward(Tensor.of(g, out.shape()), false, false);
            assertBitsEqual(dx, tracked.grad().toFloatArray(), name + " gradient");
        }
        // 1-D: the same windows with height 1
        Tensor steps = x.reshape(2, 30, 3);
        Windows w = Windows.of("test", steps.shape(), new int[] {3}, new int[] {2}, new int[] {1}, true);
        int[] cells = WindowKernels.maxCellsViews(steps.array(), w);
        float[] expected = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
            expected[i] = v[cells[i]];
        }
        assertBitsEqual(expected, ConvolutionOps.maxPool(steps, new int[] {3}, new int[] {2}, true).toFloatArray(), "pool1d values");
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @Test
    void concatAndSliceAreEachOthersGradient() {
        assertGradient("concat axis 1", in -> Tensor.concat(List.of(in.get(0), in.get(1)), 1).square(), random(16, 2, 3, 2),
                random(17, 2, 1, 2));
        assertGradient("concat last", in -> Tensor.concat(List.of(in.get(0), in.get(1)), -1), random(18, 2, 3, 2),
                random(19, 2, 3, 4));
        assertGradient("slice", in -> in.get(0).slice(1, 1, 3).square(), random(20, 2, 4, 3));
        Tensor joined = Tensor.concat(List.of(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {3}, 1, 1)), 1);
        assertArrayEquals(new float[] {1, 2, 3}, joined.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.concat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), 1));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 3]"), e.getMessage());
    }

    @Test
    void takeAddsTheGradientOfRepeatedIds() {
        Tensor ids = Tensor.of(Nd4j.createFromArray(new int[][] {{1, 3, 1}, {0, 1, 5}}));
        Tensor table = random(21, 6, 2);
        Tensor rows = table.take(ids);
        assertArrayEquals(new long[] {2, 3, 2}, rows.shape());
        assertEquals(table.toDoubleArray()[3 * 2 + 1], rows.toDoubleArray()[3], 0.0);
        assertGradient("take", in -> in.get(0).take(ids).square(), table);
        Tensor t = Tensor.ones(6, 2).requiresGrad(true);
        t.take(ids).sum().backward();
        assertArrayEquals(new float[] {1, 1, 3, 3, 0, 0, 1, 1, 0, 0, 1, 1}, t.grad().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 2).take(ids));
    }

    @Test
    void windowErrorsNameTheShapes() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.conv(Tensor.zeros(1, 2, 2, 1), Tensor.zeros(3, 3, 1, 1), null, false, new int[] {1, 1},
                        false, new int[] {1, 1}, 1));
        assertTrue(big.getMessage().contains("larger than the input") && big.getMessage().contains("[1, 2, 2, 1]"),
                big.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.conv(Tensor.zeros(1, 4, 4, 3), Tensor.zeros(3, 3, 2, 4), null, false, new int[] {1, 1},
                        false, new int[] {1, 1}, 1));
        assertTrue(channels.getMessage().contains("[3, 3, 2, 4]"), channels.getMessage());
    }
}
