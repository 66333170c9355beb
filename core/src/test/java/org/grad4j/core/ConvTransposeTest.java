package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The transposed convolution: values against a direct scatter loop over its definition (float64), the adjoint
 * identity with {@link ConvolutionOps#conv} that makes it the convolution's input gradient, gradients against
 * float64 central differences, Keras' output sizes, and the Java-loop and ND4J-view kernels against each other.
 */
class ConvTransposeTest {
    /** GradientCheck's relative error (floored at 1e-3); correct float64 gradients stay near 1e-9. */
    private static final double BOUND = 1e-6;

    private static Tensor random(long seed, long... shape) {
        return TestTensors.uniform(seed, shape);
    }

    /**
     * The definition: every input cell {@code (b, i, j)} adds {@code x[b, i, j, :] . kernel[p, q, f, :]} into output
     * cell {@code (i*s - padBefore + p*d, j*s - padBefore + q*d, f)} when that cell exists; the output size is Keras'
     * and the padding TensorFlow's, written out here independently of {@link Windows}.
     */
    private static double[] direct(Tensor x, Tensor kernel, int[] s, int[] d, boolean same, int[] outputPadding,
            int[] outSize) {
        long[] xs = x.shape();
        long[] ks = kernel.shape();
        int b = (int) xs[0];
        int h = (int) xs[1];
        int wd = (int) xs[2];
        int c = (int) xs[3];
        int kh = (int) ks[0];
        int kw = (int) ks[1];
        int f = (int) ks[2];
        int[] m = {h, wd};
        int[] k = {kh, kw};
        int[] pad = new int[2];
        for (int a = 0; a < 2; a++) {
            int span = d[a] * (k[a] - 1) + 1;
            if (same) {
                outSize[a] = outputPadding == null ? m[a] * s[a] : (m[a] - 1) * s[a] + span % 2 + outputPadding[a];
                pad[a] = Math.max((m[a] - 1) * s[a] + span - outSize[a], 0) / 2;
            } else {
                outSize[a] = (m[a] - 1) * s[a] + span + (outputPadding == null ? Math.max(span, s[a]) - span : outputPadding[a]);
            }
        }
        double[] xv = x.toDoubleArray();
        double[] kv = kernel.toDoubleArray();
        double[] out = new double[b * outSize[0] * outSize[1] * f];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    for (int p = 0; p < kh; p++) {
                        for (int q = 0; q < kw; q++) {
                            int oh = i * s[0] - pad[0] + p * d[0];
                            int ow = j * s[1] - pad[1] + q * d[1];
                            if (oh < 0 || oh >= outSize[0] || ow < 0 || ow >= outSize[1]) {
                                continue;
                            }
                            for (int o = 0; o < f; o++) {
                                double sum = 0;
                                for (int ch = 0; ch < c; ch++) {
                                    sum += xv[((n * h + i) * wd + j) * c + ch] * kv[((p * kw + q) * f + o) * c + ch];
                                }
                                out[((n * outSize[0] + oh) * outSize[1] + ow) * f + o] += sum;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void assertCase(String name, long[] xShape, long[] kShape, int[] s, int[] d, boolean same,
            int[] outputPadding) {
        Tensor x = random(1, xShape);
        Tensor k = random(2, kShape);
        Tensor bias = random(3, kShape[2]);
        Tensor out = ConvolutionOps.convTranspose(x, k, null, s, same, outputPadding, d);
        int[] size = new int[2];
        double[] expected = direct(x, k, s, d, same, outputPadding, size);
        assertArrayEquals(new long[] {xShape[0], size[0], size[1], kShape[2]}, out.shape(), name + ": output shape");
        double[] actual = out.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, name + ": output element " + i);
        }
        double error = GradientCheck.check(in -> ConvolutionOps.convTranspose(in.get(0), in.get(1), in.get(2), s, same,
                outputPadding, d), List.of(x, k, bias));
        assertTrue(error < BOUND, name + ": max relative gradient error " + error);
    }

    @Test
    void sameStrides2PutsTheOddCellAtTheEnd() {
        // kernel 3, stride 2: the convolution it inverts pads 1 cell in total, at the end (TensorFlow's rule)
        assertCase("same k3 s2", new long[] {2, 3, 4, 3}, new long[] {3, 3, 2, 3}, new int[] {2, 2}, new int[] {1, 1}, true, null);
        assertCase("same k4x2 s2", new long[] {1, 3, 3, 2}, new long[] {4, 2, 3, 2}, new int[] {2, 2}, new int[] {1, 1}, true, null);
    }

    @Test
    void validStrides2AndKernelsSmallerThanTheStride() {
        assertCase("valid k3 s2", new long[] {2, 3, 4, 2}, new long[] {3, 3, 2, 2}, new int[] {2, 2}, new int[] {1, 1}, false, null);
        // output (n-1)*3 + max(2, 3): the last cell of each stride is bias only
        assertCase("valid k2 s3", new long[] {1, 2, 3, 2}, new long[] {2, 2, 2, 2}, new int[] {3, 3}, new int[] {1, 1}, false, null);
    }

    @Test
    void outputPaddingSetsTheSize() {
        assertCase("valid s2 output_padding 1", new long[] {1, 3, 3, 2}, new long[] {2, 3, 3, 2}, new int[] {2, 2},
                new int[] {1, 1}, false, new int[] {1, 1});
        assertCase("same k4 s2 output_padding (1, 0)", new long[] {2, 3, 4, 2}, new long[] {4, 4, 2, 2}, new int[] {2, 2},
                new int[] {1, 1}, true, new int[] {1, 0});
        assertCase("same k3 s(2, 3) output_padding (0, 2)", new long[] {1, 3, 3, 2}, new long[] {3, 3, 2, 2}, new int[] {2, 3},
                new int[] {1, 1}, true, new int[] {0, 2});
    }

    @Test
    void dilation() {
        assertCase("same dilation 2", new long[] {1, 4, 5, 2}, new long[] {3, 3, 2, 2}, new int[] {1, 1}, new int[] {2, 2}, true, null);
        assertCase("valid dilation (2, 1)", new long[] {2, 3, 3, 2}, new long[] {3, 2, 3, 2}, new int[] {1, 1}, new int[] {2, 1},
                false, null);
    }

    @Test
    void isTheGradientOfTheConvolutionWithTheSameKernel() {
        // <convTranspose(y, K), x> == <y, conv(x, K)>: Keras' (kh, kw, filters, in) is conv's (kh, kw, in', out')
        for (boolean same : new boolean[] {true, false}) {
            Tensor y = random(4, 2, 3, 4, 5);
            Tensor k = random(5, 3, 3, 2, 5);
            Tensor up = ConvolutionOps.convTranspose(y, k, null, new int[] {2, 2}, same, null, new int[] {1, 1});
            Tensor x = random(6, up.shape());
            Tensor down = ConvolutionOps.conv(x, k, null, false, new int[] {2, 2}, same, new int[] {1, 1}, 1);
            assertArrayEquals(y.shape(), down.shape(), "same " + same);
            assertEquals(up.mul(x).sumDouble(), y.mul(down).sumDouble(), 1e-10, "same " + same);
        }
    }

    @Test
    void oneDimensionIsTheHeightOneCase() {
        Tensor x = random(7, 2, 5, 3);
        Tensor k = random(8, 3, 2, 3);
        Tensor bias = random(9, 2);
        Tensor out = ConvolutionOps.convTranspose(x, k, bias, new int[] {2}, true, null, new int[] {1});
        assertArrayEquals(new long[] {2, 10, 2}, out.shape());
        Tensor asImage = ConvolutionOps.convTranspose(x.reshape(2, 1, 5, 3), k.reshape(1, 3, 2, 3), bias, new int[] {1, 2},
                true, null, new int[] {1, 1});
        assertArrayEquals(asImage.toDoubleArray(), out.toDoubleArray(), 0.0);
        double error = GradientCheck.check(in -> ConvolutionOps.convTranspose(in.get(0), in.get(1), in.get(2), new int[] {2},
                false, new int[] {1}, new int[] {1}), List.of(x, k, bias));
        assertTrue(error < BOUND, "1-D valid output_padding: " + error);
    }

    @Test
    void kerasOutputSizes() {
        // Conv2DTranspose(16, 3, strides=2, padding='same') on 7 -> 14; 'valid' -> (7-1)*2 + 3 = 15
        assertEquals(14, Windows.transposeOutputSize(7, 3, 2, 1, true, null));
        assertEquals(15, Windows.transposeOutputSize(7, 3, 2, 1, false, null));
        assertEquals(13, Windows.transposeOutputSize(7, 3, 2, 1, true, 0));
        assertEquals(16, Windows.transposeOutputSize(7, 3, 2, 1, false, 1));
        assertEquals(21, Windows.transposeOutputSize(7, 2, 3, 1, false, null));
        assertEquals(9, Windows.transposeOutputSize(5, 3, 1, 2, false, null));
        assertEquals(-1, Windows.transposeOutputSize(-1, 3, 2, 1, true, null));
    }

    @Test
    void javaLoopsAndNd4jViewsAgreeOnTransposedWindows() {
        Tensor x = random(10, 2, 4, 5, 3).castTo(DataType.FLOAT);
        Windows w = Windows.transposed("test", x.shape(), 2, new int[] {3, 4}, new int[] {2, 2}, new int[] {1, 1}, true,
                new int[] {1, 0});
        Tensor cols = random(11, w.windowsShape()).castTo(DataType.FLOAT);
        INDArray viaJava = Kernels.col2im(cols, w).array();
        INDArray viaViews = WindowKernels.col2imViews(cols.array(), w);
        assertTrue(viaViews.equalsWithEps(viaJava, 1e-6), "col2im paths differ");
        Tensor g = random(12, w.inputShape()).castTo(DataType.FLOAT);
        assertEquals(WindowKernels.im2colViews(g.array(), w, 0.0), Kernels.im2col(g, w, 0.0).array());
        // and the whole op in float32 (Java loops unless -Dgrad4j.kernels=nd4j) against float64 (ND4J views)
        Tensor k = random(13, 3, 4, 2, 3);
        Tensor narrow = ConvolutionOps.convTranspose(x, k.castTo(DataType.FLOAT), null, new int[] {2, 2}, true, new int[] {1, 0},
                new int[] {1, 1});
        Tensor wide = ConvolutionOps.convTranspose(x.castTo(DataType.DOUBLE), k, null, new int[] {2, 2}, true,
                new int[] {1, 0}, new int[] {1, 1});
        assertTrue(wide.array().equalsWithEps(narrow.castTo(DataType.DOUBLE).array(), 1e-5), "float32 and float64 differ");
    }

    @Test
    void errorsNameTheShapes() {
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.convTranspose(Tensor.zeros(1, 4, 4, 3), Tensor.zeros(3, 3, 2, 4), null, new int[] {1, 1},
                        false, null, new int[] {1, 1}));
        assertTrue(channels.getMessage().contains("[1, 4, 4, 3]") && channels.getMessage().contains("[3, 3, 2, 4]"),
                channels.getMessage());
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.convTranspose(Tensor.zeros(1, 4, 4, 3), Tensor.zeros(3, 3, 2, 3), null, new int[] {2, 2},
                        true, new int[] {2, 0}, new int[] {1, 1}));
        assertTrue(padding.getMessage().contains("output_padding [2, 0]"), padding.getMessage());
        // kernel 2, stride 2, 'same', output_padding 0 on one cell: (1-1)*2 + 0 + 0 = 0 cells
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.convTranspose(Tensor.zeros(1, 1, 4, 3), Tensor.zeros(2, 2, 2, 3), null, new int[] {2, 2},
                        true, new int[] {0, 0}, new int[] {1, 1}));
        assertTrue(empty.getMessage().contains("0 cells along height") && empty.getMessage().contains("[1, 1, 4, 3]"),
                empty.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionOps.convTranspose(Tensor.zeros(4, 4, 3), Tensor.zeros(3, 3, 2, 3), null, new int[] {1, 1},
                        false, null, new int[] {1, 1}));
        assertTrue(rank.getMessage().contains("[4, 4, 3]"), rank.getMessage());
    }
}
