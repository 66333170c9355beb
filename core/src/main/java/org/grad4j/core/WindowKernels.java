package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two kernels beneath convolution and pooling: {@code im2col} copies every window of a channels_last input
 * into a row of a matrix {@code [batch, outH, outW, kernelH * kernelW, channels]} (padded cells hold a given
 * value), so that a convolution is one GEMM with the kernel {@code (kh, kw, in, out)} read as
 * {@code [kh * kw * in, out]}; {@code col2im}, its adjoint, adds every window row back into the cell it came from.
 *
 * <p>Two implementations, chosen by {@link Kernels}: Java loops over ND4J's float32 memory (channels_last makes
 * each window cell one contiguous run of channels, copied in bulk), and one ND4J strided-view assignment per
 * window cell, for float64 and for {@code -Dgrad4j.kernels=nd4j}.
 */
final class WindowKernels {
    private WindowKernels() {
    }

    // ---------------------------------------------------------------- Java loops (float32, contiguous)

    // Each image is copied into a Java array, worked on there (array loops are several times faster than
    // per-element buffer access) and its result copied back in one bulk transfer; images are split over the cores.

    static void im2colFloat(FloatBuffer x, FloatBuffer cols, Windows w, float padValue) {
        int c = w.channels();
        int image = w.height() * w.width() * c;
        int rowsOut = w.outH() * w.outW() * w.windowCells() * c;
        parallel(w.batch(), (long) w.positions() * w.windowCells() * c, (from, to) -> {
            float[] in = new float[image];
            float[] out = new float[rowsOut];
            for (int b = from; b < to; b++) {
                x.get(b * image, in, 0, image);
                im2colImage(in, out, 0, w, padValue);
                cols.put(b * rowsOut, out, 0, rowsOut);
            }
        });
    }

    /** One image's window rows ({@code in}: {@code [height, width, channels]}) into {@code out} from {@code at}. */
    static void im2colImage(float[] in, float[] out, int at, Windows w, float padValue) {
        int c = w.channels();
        int dst = at;
        for (int oh = 0; oh < w.outH(); oh++) {
            for (int ow = 0; ow < w.outW(); ow++) {
                for (int kh = 0; kh < w.kernelH(); kh++) {
                    int ih = oh * w.strideH() - w.padTop() + kh * w.dilationH();
                    for (int kw = 0; kw < w.kernelW(); kw++, dst += c) {
                        int iw = ow * w.strideW() - w.padLeft() + kw * w.dilationW();
                        if (ih < 0 || ih >= w.height() || iw < 0 || iw >= w.width()) {
                            java.util.Arrays.fill(out, dst, dst + c, padValue);
                        } else if (c == 1) {
                            out[dst] = in[ih * w.width() + iw];   // one channel: a call per value would dominate
                        } else {
                            System.arraycopy(in, (ih * w.width() + iw) * c, out, dst, c);
                        }
                    }
                }
            }
        }
    }

    /** Adds each window row of {@code cols} into {@code dx} (zeros on entry). */
    static void col2imFloat(FloatBuffer cols, FloatBuffer dx, Windows w) {
        int c = w.channels();
        int image = w.height() * w.width() * c;
        int rowsIn = w.outH() * w.outW() * w.windowCells() * c;
        parallel(w.batch(), (long) w.positions() * w.windowCells() * c, (from, to) -> {
            float[] in = new float[rowsIn];
            float[] out = new float[image];
            for (int b = from; b < to; b++) {
                cols.get(b * rowsIn, in, 0, rowsIn);
                java.util.Arrays.fill(out, 0f);
                col2imImage(in, 0, out, w);
                dx.put(b * image, out, 0, image);
            }
        });
    }

    /** Adds one image's window rows ({@code in} from {@code at}) into its cells {@code out} ({@code [height, width, channels]}). */
    static void col2imImage(float[] in, int at, float[] out, Windows w) {
        int c = w.channels();
        int src = at;
        for (int oh = 0; oh < w.outH(); oh++) {
            for (int ow = 0; ow < w.outW(); ow++) {
                for (int kh = 0; kh < w.kernelH(); kh++) {
                    int ih = oh * w.strideH() - w.padTop() + kh * w.dilationH();
                    for (int kw = 0; kw < w.kernelW(); kw++, src += c) {
                        int iw = ow * w.strideW() - w.padLeft() + kw * w.dilationW();
                        if (ih < 0 || ih >= w.height() || iw < 0 || iw >= w.width()) {
                            continue;   // a padded cell: its gradient belongs to no input
                        }
                        int dst = (ih * w.width() + iw) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[dst + ch] += in[src + ch];
                        }
                    }
                }
            }
        }
    }

    /**
     * A max pooling's output {@code [batch, outH, outW, channels]}: each window's value at its maximal cell, and
     * for the gradient those cells' flat input indices: the first maximum in the window's row-major order
     * (TensorFlow's choice among ties); padded cells never win. Keeping them costs an int per output
     * and spares the backward pass a second search of every window (the search is most of the pooling's time).
     */
    static int[] maxPoolFloat(FloatBuffer x, FloatBuffer out, Windows w) {
        int c = w.channels();
        int image = w.height() * w.width() * c;
        int perImage = w.outH() * w.outW() * c;
        int[] winners = StepArrays.ints(w.positions() * c);   // kept by the pooling for its backward pass
        parallel(w.batch(), (long) w.positions() * w.windowCells() * c, (from, to) -> {
            float[] in = FloatLoops.kept(4, image);
            int[] local = FloatLoops.keptInts(0, perImage);
            float[] values = FloatLoops.kept(5, perImage);
            for (int b = from; b < to; b++) {
                x.get(b * image, in, 0, image);
                maxCellsOfImage(in, w, local);
                for (int i = 0; i < perImage; i++) {
                    values[i] = in[local[i]];
                    winners[b * perImage + i] = b * image + local[i];
                }
                out.put(b * perImage, values, 0, perImage);
            }
        });
        return winners;
    }

    /**
     * The gradient of {@link #maxPoolFloat}: each output cell's gradient {@code g} added into {@code dx} at its
     * window's maximal cell ({@code winners}, from the forward pass), in the order of the outputs, as a scatter
     * over the same indices. Images never share a cell, so they are split over the cores.
     */
    static void maxPoolGradFloat(int[] winners, FloatBuffer g, FloatBuffer dx, Windows w) {
        int c = w.channels();
        int image = w.height() * w.width() * c;
        int perImage = w.outH() * w.outW() * c;
        parallel(w.batch(), (long) w.positions() * c, (from, to) -> {
            float[] gradient = FloatLoops.kept(4, perImage);
            float[] sums = FloatLoops.kept(5, image);
            for (int b = from; b < to; b++) {
                g.get(b * perImage, gradient, 0, perImage);
                java.util.Arrays.fill(sums, 0, image, 0f);
                int offset = b * image;
                for (int i = 0; i < perImage; i++) {
                    sums[winners[b * perImage + i] - offset] += gradient[i];
                }
                dx.put(b * image, sums, 0, image);
            }
        });
    }

    /**
     * For one image {@code [height, width, channels]}, the index in it of each output cell's maximum (-1: a window
     * of padding only): the first cell in the window's row-major order whose value none after it exceeds, a NaN
     * above everything (so the first NaN wins, as NumPy's maximum is NaN). Compared as integers ({@link #order})
     * and chosen by integer selects: the comparisons on a ReLU's output go either way in no pattern, and as
     * branches they were mispredicted so often that the search ran 1.5x slower (95 against 60 us a 26x26x32 image).
     */
    private static void maxCellsOfImage(float[] in, Windows w, int[] winners) {
        if (isTwoByTwo(w)) {
            maxCellsTwoByTwo(in, w, winners);
            return;
        }
        int c = w.channels();
        int[] cells = new int[w.windowCells()];
        int out = 0;
        for (int oh = 0; oh < w.outH(); oh++) {
            for (int ow = 0; ow < w.outW(); ow++, out += c) {
                int count = 0;
                for (int kh = 0; kh < w.kernelH(); kh++) {
                    int ih = oh * w.strideH() - w.padTop() + kh * w.dilationH();
                    for (int kw = 0; kw < w.kernelW(); kw++) {
                        int iw = ow * w.strideW() - w.padLeft() + kw * w.dilationW();
                        if (ih >= 0 && ih < w.height() && iw >= 0 && iw < w.width()) {
                            cells[count++] = (ih * w.width() + iw) * c;   // padded cells never win
                        }
                    }
                }
                if (count == 0) {
                    java.util.Arrays.fill(winners, out, out + c, -1);
                    continue;
                }
                for (int ch = 0; ch < c; ch++) {
                    int best = cells[0] + ch;
                    int bestOrder = order(in[best]);
                    for (int k = 1; k < count; k++) {
                        int cell = cells[k] + ch;
                        int o = order(in[cell]);
                        best = o > bestOrder ? cell : best;   // strictly greater: ties keep the first
                        bestOrder = Math.max(o, bestOrder);
                    }
                    winners[out + ch] = best;
                }
            }
        }
    }

    /** Keras' default MaxPooling2D(2): 2 x 2 windows, stride 2, no padding, every window inside the image. */
    private static boolean isTwoByTwo(Windows w) {
        return w.kernelH() == 2 && w.kernelW() == 2 && w.strideH() == 2 && w.strideW() == 2 && w.dilationH() == 1
                && w.dilationW() == 1 && w.padTop() == 0 && w.padLeft() == 0 && 2 * w.outH() <= w.height()
                && 2 * w.outW() <= w.width();
    }

    /**
     * {@link #maxCellsOfImage} for {@link #isTwoByTwo} windows with the four cells written out in the window's
     * row-major order: no list of cells and no loop over them (about 1.4x faster than the general loop).
     */
    private static void maxCellsTwoByTwo(float[] in, Windows w, int[] winners) {
        int c = w.channels();
        int row = w.width() * c;
        int out = 0;
        for (int oh = 0; oh < w.outH(); oh++) {
            for (int ow = 0; ow < w.outW(); ow++, out += c) {
                int c0 = (2 * oh * w.width() + 2 * ow) * c;
                int c1 = c0 + c;
                int c2 = c0 + row;
                int c3 = c2 + c;
                for (int ch = 0; ch < c; ch++) {
                    int best = c0 + ch;
                    int bestOrder = order(in[best]);
                    int o = order(in[c1 + ch]);
                    best = o > bestOrder ? c1 + ch : best;
                    bestOrder = Math.max(o, bestOrder);
                    o = order(in[c2 + ch]);
                    best = o > bestOrder ? c2 + ch : best;
                    bestOrder = Math.max(o, bestOrder);
                    o = order(in[c3 + ch]);
                    winners[out + ch] = o > bestOrder ? c3 + ch : best;
                }
            }
        }
    }

    /**
     * An int that orders floats as {@code >} does, with -0.0 equal to +0.0 (so the first of them wins, as
     * {@code v > best} keeps it) and every NaN above +Inf and equal to each other (so the first NaN wins).
     */
    private static int order(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = bits >> 31;
        int magnitude = bits & 0x7fffffff;
        int signed = (magnitude ^ sign) - sign;
        return magnitude > 0x7f800000 ? Integer.MAX_VALUE : signed;
    }

    private static void parallel(int n, long work, FloatLoops.Body body) {
        Parallel.forRange(n, work, body);
    }

    // ---------------------------------------------------------------- ND4J views (any type, any backend)

    /** {@code x} as {@code [batch, height, width, channels]}, padded with {@code padValue}, windows into cols. */
    static INDArray im2colViews(INDArray x, Windows w, double padValue) {
        INDArray padded = pad(x.reshape('c', w.inputShape()), w, padValue);
        INDArray cols = Nd4j.createUninitialized(x.dataType(), w.batch(), w.outH(), w.outW(), w.kernelH(), w.kernelW(),
                w.channels());
        for (int kh = 0; kh < w.kernelH(); kh++) {
            for (int kw = 0; kw < w.kernelW(); kw++) {
                cols.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(kh),
                        NDArrayIndex.point(kw), NDArrayIndex.all()).assign(padded.get(window(w, kh, kw)));
            }
        }
        return cols.reshape('c', w.windowsShape());
    }

    /**
     * As {@link #maxPoolFloat}'s cells, from ND4J's arg-max over each window (its first maximum). ND4J's arg-max passes over
     * a NaN that is not first in its window, so a window holding a NaN takes its first NaN instead, as the Java loop.
     */
    static int[] maxCellsViews(INDArray x, Windows w) {
        INDArray cols = im2colViews(x, w, Double.NEGATIVE_INFINITY);
        long outputs = (long) w.positions() * w.channels();
        int[] cell = Nd4j.argMax(cols, 3).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).reshape('c', new long[] {outputs}).toIntVector();
        if (cols.dataType().isFPType()) {
            INDArray nans = cols.isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT32);
            int[] anyNan = nans.max(3).reshape('c', new long[] {outputs}).toIntVector();
            int[] firstNan = Nd4j.argMax(nans, 3).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).reshape('c', new long[] {outputs}).toIntVector();
            for (int i = 0; i < cell.length; i++) {
                if (anyNan[i] != 0) {
                    cell[i] = firstNan[i];
                }
            }
        }
        int c = w.channels();
        int[] winners = new int[cell.length];
        for (int i = 0; i < cell.length; i++) {
            int ch = i % c;
            int position = i / c;
            int ow = position % w.outW();
            int oh = (position / w.outW()) % w.outH();
            int b = position / (w.outW() * w.outH());
            int ih = oh * w.strideH() - w.padTop() + (cell[i] / w.kernelW()) * w.dilationH();
            int iw = ow * w.strideW() - w.padLeft() + (cell[i] % w.kernelW()) * w.dilationW();
            winners[i] = ((b * w.height() + ih) * w.width() + iw) * c + ch;
        }
        return winners;
    }

    /** The adjoint of {@link #im2colViews}: {@code [batch, height, width, channels]}. */
    static INDArray col2imViews(INDArray cols, Windows w) {
        INDArray c6 = cols.reshape('c', w.batch(), w.outH(), w.outW(), w.kernelH(), w.kernelW(), w.channels());
        long[] paddedShape = paddedShape(w);
        INDArray padded = Nd4j.zeros(cols.dataType(), paddedShape);
        for (int kh = 0; kh < w.kernelH(); kh++) {
            for (int kw = 0; kw < w.kernelW(); kw++) {
                padded.get(window(w, kh, kw)).addi(c6.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.point(kh), NDArrayIndex.point(kw), NDArrayIndex.all()));
            }
        }
        if (paddedShape[1] == w.height() && paddedShape[2] == w.width()) {
            return padded;
        }
        return padded.get(NDArrayIndex.all(), NDArrayIndex.interval(w.padTop(), w.padTop() + w.height()),
                NDArrayIndex.interval(w.padLeft(), w.padLeft() + w.width()), NDArrayIndex.all()).dup('c');
    }

    /** The input cells that window cell {@code (kh, kw)} reads, for every output position, in padded coordinates. */
    private static INDArrayIndex[] window(Windows w, int kh, int kw) {
        long top = (long) kh * w.dilationH();
        long left = (long) kw * w.dilationW();
        return new INDArrayIndex[] {NDArrayIndex.all(), strided(top, w.strideH(), w.outH()),
                strided(left, w.strideW(), w.outW()), NDArrayIndex.all()};
    }

    /** {@code count} cells from {@code first}, {@code stride} apart; one cell is a unit interval (ND4J mis-sizes a strided one). */
    private static INDArrayIndex strided(long first, int stride, int count) {
        return count == 1 || stride == 1 ? NDArrayIndex.interval(first, first + (long) (count - 1) * stride + 1)
                : NDArrayIndex.interval(first, stride, first + (long) (count - 1) * stride + 1);
    }

    /** Large enough for every window: padding before, the input, and whatever the windows reach past its end. */
    private static long[] paddedShape(Windows w) {
        long h = Math.max(w.padTop() + w.height(), (long) (w.outH() - 1) * w.strideH() + (long) w.dilationH() * (w.kernelH() - 1) + 1);
        long wd = Math.max(w.padLeft() + w.width(), (long) (w.outW() - 1) * w.strideW() + (long) w.dilationW() * (w.kernelW() - 1) + 1);
        return new long[] {w.batch(), h, wd, w.channels()};
    }

    private static INDArray pad(INDArray x, Windows w, double padValue) {
        long[] shape = paddedShape(w);
        if (shape[1] == w.height() && shape[2] == w.width()) {
            return x;
        }
        INDArray padded = Nd4j.createUninitialized(x.dataType(), shape).assign(padValue);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(w.padTop(), w.padTop() + w.height()),
                NDArrayIndex.interval(w.padLeft(), w.padLeft() + w.width()), NDArrayIndex.all()).assign(x);
        return padded;
    }
}
