package org.grad4j.core;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float32 convolution of one group computed a few images at a time. Each chunk's window rows (im2col) go to a
 * buffer about the size of a core's cache, one GEMM turns them into the chunk's output rows, and the bias and the
 * ReLU are applied to those rows while they are still in cache. The backward pass masks a chunk's gradient,
 * builds its window rows again and adds its share of the kernel's gradient with one GEMM, and, when the input
 * needs a gradient, turns the masked rows into window-row gradients and adds them into the chunk's images.
 *
 * <p>The composition this replaces (im2col of the whole batch, one GEMM, one pass for the bias and ReLU; the
 * mirror image backward) wrote the batch's window rows to memory and read them back, and read and wrote the
 * output once more: for the Keras convnet's second convolution, 18 MB of window rows and 4 MB of output a step,
 * each way. Each output value is the same GEMM dot product with the same bias and ReLU; the kernel's gradient is
 * a sum over the batch's rows taken chunk by chunk (and core by core, the cores' sums added in order), so its
 * rounding differs from one GEMM's as a split product's does.
 *
 * <p>The cores take contiguous ranges of images; each core's BLAS calls run on one thread.
 */
final class FusedConv {
    /**
     * Floats a chunk's window rows (or output rows, if more) aim at: 256 K, 1 MB. Measured on W7 (the Keras
     * convnet, batch 128), medians of 8 steps, two alternating runs: 64 K 58-64 ms a step, 128 K 50-61, 256 K
     * 47-54, 512 K 56-61, 1 M 88-89. {@code -Dgrad4j.convChunkFloats=N} moves it.
     */
    private static final int CHUNK_FLOATS = Integer.getInteger("grad4j.convChunkFloats", 1 << 18);
    /** Below this many window-row floats over the batch one core does it all. */
    private static final long PARALLEL_FROM = 1 << 18;

    /** Each thread's direct buffers: window rows, masked gradient rows, window-row gradients; kept, grown on need. */
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[4]);

    private FusedConv() {
    }

    /**
     * {@code out = relu?(im2col(x) · kernel + bias)}.
     *
     * @param x      {@code [batch, height, width, channels]} (or a 1-D input's equivalent) in row-major order
     * @param kernel {@code [cells * channels, filters]}
     * @param bias   {@code [filters]}, or null
     * @param out    {@code [positions, filters]}, written
     * @param outBits {@code out}'s memory read as ints: the ReLU runs on the floats' bits there
     */
    static void forward(FloatBuffer x, FloatBuffer kernel, float[] bias, boolean relu, FloatBuffer out,
            java.nio.IntBuffer outBits, Windows w, int filters) {
        Shape s = new Shape(w, filters);
        FloatBuffer k = direct(kernel, 3);
        BlasThreads.before(0);   // the cores share the images: each BLAS call on one thread
        forParts(s, (part, from, to) -> {
            float[] image = array(0, s.image);
            float[] rows = array(1, s.chunk * s.rowsPerImage * s.depth);
            int chunkOut = s.chunk * s.rowsPerImage * filters;
            float[] biasRows = bias == null ? null : array(3, chunkOut);
            int[] bits = relu ? FloatLoops.keptInts(0, chunkOut) : null;
            if (biasRows != null) {
                for (int r = 0; r < chunkOut; r += filters) {
                    System.arraycopy(bias, 0, biasRows, r, filters);
                }
            }
            FloatBuffer cols = scratch(0, rows.length);
            for (int first = from; first < to; first += s.chunk) {
                int last = Math.min(to, first + s.chunk);
                int n = (last - first) * s.rowsPerImage;
                int count = n * filters;
                windowRows(x, first, last, s, w, image, rows, cols);
                int at = first * s.rowsPerImage * filters;
                FloatBuffer target = out.slice(at, count);
                // the bias goes in first and the product is added to it (beta 1), a pass fewer than adding it after;
                // the sum rounds as that would unless OpenBLAS splits a long inner dimension into blocks
                if (biasRows != null) {
                    target.put(0, biasRows, 0, count);
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, filters, s.depth, 1f, cols, s.depth, k, filters,
                        biasRows == null ? 0f : 1f, target, filters);
                if (bits != null) {
                    java.nio.IntBuffer targetBits = outBits.slice(at, count);
                    targetBits.get(0, bits, 0, count);
                    FloatLoops.reluBits(bits, count);
                    targetBits.put(0, bits, 0, count);
                }
            }
        });
    }

    /**
     * The gradients of {@link #forward} for the output gradient {@code g [positions, filters]}.
     *
     * @param out     forward's output when it applied a ReLU (its mask), else null
     * @param outBits {@code out}'s memory read as ints, or null: with {@code gBits}, the mask runs on the bits
     * @param gBits   {@code g}'s memory read as ints, or null
     * @param dKernel {@code [cells * channels, filters]}, written
     * @param dBias   {@code [filters]}, the bias gradient's sums in double, or null for none
     * @param dx      {@code x}'s shape, written, or null when the input needs no gradient
     */
    static void backward(FloatBuffer x, FloatBuffer kernel, FloatBuffer out, java.nio.IntBuffer outBits, FloatBuffer g,
            java.nio.IntBuffer gBits, Windows w, int filters, FloatBuffer dKernel, double[] dBias, FloatBuffer dx) {
        Shape s = new Shape(w, filters);
        FloatBuffer k = dx == null ? null : direct(kernel, 3);
        int size = s.depth * filters;
        FloatBuffer[] sums = BlasThreads.partials(s.parts, size);
        sums[0] = dKernel;
        double[][] biasParts = new double[s.parts][dBias == null ? 0 : filters];
        BlasThreads.before(0);
        forParts(s, (part, from, to) -> {
            float[] image = array(0, s.image);
            float[] rows = array(1, s.chunk * s.rowsPerImage * s.depth);
            float[] gradient = array(2, s.chunk * s.rowsPerImage * filters);
            boolean onBits = out != null && outBits != null && gBits != null;
            float[] output = out == null || onBits ? null : array(3, gradient.length);
            int[] gradientBits = onBits ? FloatLoops.keptInts(0, gradient.length) : null;
            int[] outputBits = onBits ? FloatLoops.keptInts(1, gradient.length) : null;
            FloatBuffer cols = scratch(0, rows.length);
            FloatBuffer masked = scratch(1, gradient.length);
            java.nio.IntBuffer maskedBits = onBits ? scratchBits(1, gradient.length) : null;   // the same memory
            FloatBuffer dCols = dx == null ? null : scratch(2, rows.length);
            double[] biasSums = biasParts[part];
            float beta = 0f;
            for (int first = from; first < to; first += s.chunk) {
                int last = Math.min(to, first + s.chunk);
                int n = (last - first) * s.rowsPerImage;
                int count = n * filters;
                int at = first * s.rowsPerImage * filters;
                if (onBits) {
                    // the mask on the floats' bits, where the loop vectorises; the bias sums then read the masked floats
                    gBits.get(at, gradientBits, 0, count);
                    outBits.get(at, outputBits, 0, count);
                    FloatLoops.maskBits(gradientBits, outputBits, count);
                    maskedBits.put(0, gradientBits, 0, count);
                    if (dBias != null) {
                        masked.get(0, gradient, 0, count);
                    }
                } else {
                    g.get(at, gradient, 0, count);
                }
                if (output != null) {
                    out.get(first * s.rowsPerImage * filters, output, 0, count);
                    for (int i = 0; i < count; i++) {
                        // as the composition's g * mask: an infinite or NaN gradient times 0 is NaN
                        gradient[i] = gradient[i] * FloatLoops.positiveMask(output[i]);
                    }
                }
                if (dBias != null) {
                    for (int r = 0; r < count; r += filters) {
                        for (int j = 0; j < filters; j++) {
                            biasSums[j] += gradient[r + j];
                        }
                    }
                }
                if (!onBits) {
                    masked.put(0, gradient, 0, count);
                }
                windowRows(x, first, last, s, w, image, rows, cols);
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, s.depth, filters, n, 1f, cols, s.depth, masked, filters,
                        beta, sums[part], filters);
                beta = 1f;
                if (dx != null) {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, s.depth, filters, 1f, masked, filters, k, filters,
                            0f, dCols, s.depth);
                    dCols.get(0, rows, 0, n * s.depth);
                    for (int b = first; b < last; b++) {
                        java.util.Arrays.fill(image, 0, s.image, 0f);
                        WindowKernels.col2imImage(rows, (b - first) * s.rowsPerImage * s.depth, image, w);
                        dx.put(b * s.image, image, 0, s.image);
                    }
                }
            }
            if (beta == 0f) {
                // a core with no images (more cores than images): its share is zero
                for (int i = 0; i < size; i++) {
                    sums[part].put(i, 0f);
                }
            }
        });
        BlasThreads.addParts(sums, size);   // the cores' kernel-gradient sums, in core order
        if (dBias != null) {
            for (double[] p : biasParts) {
                for (int j = 0; j < filters; j++) {
                    dBias[j] += p[j];
                }
            }
        }
    }

    /** Sizes of one convolution's chunks. */
    private static final class Shape {
        final int image;
        final int rowsPerImage;
        final int depth;
        final int chunk;
        final int parts;
        final int batch;

        Shape(Windows w, int filters) {
            image = w.height() * w.width() * w.channels();
            rowsPerImage = w.outH() * w.outW();
            depth = w.windowCells() * w.channels();
            batch = w.batch();
            long perImage = Math.max(1L, (long) rowsPerImage * Math.max(depth, filters));
            chunk = (int) Math.max(1, Math.min(batch, CHUNK_FLOATS / perImage));
            long work = (long) w.positions() * depth;
            parts = work < PARALLEL_FROM ? 1 : Math.max(1, Math.min(batch, Runtime.getRuntime().availableProcessors()));
        }
    }

    private interface Part {
        void run(int part, int from, int to);
    }

    /** Runs {@code body} on contiguous ranges of images, one per core (or one in all for small work). */
    private static void forParts(Shape s, Part body) {
        if (s.parts == 1) {
            body.run(0, 0, s.batch);
            return;
        }
        Parallel.forParts(s.parts, p -> body.run(p, (int) ((long) s.batch * p / s.parts),
                (int) ((long) s.batch * (p + 1) / s.parts)));
    }

    /** Images {@code [first, last)}'s window rows into {@code rows}, then into the direct buffer {@code cols}. */
    private static void windowRows(FloatBuffer x, int first, int last, Shape s, Windows w, float[] image, float[] rows,
            FloatBuffer cols) {
        // windows are built from a Java copy of each image (array loops are several times faster than buffer access)
        for (int b = first; b < last; b++) {
            x.get(b * s.image, image, 0, s.image);
            WindowKernels.im2colImage(image, rows, (b - first) * s.rowsPerImage * s.depth, w, 0f);
        }
        cols.put(0, rows, 0, (last - first) * s.rowsPerImage * s.depth);
    }

    /**
     * The thread's Java array {@code slot} (0: an image, 1: window rows, 2: gradient rows, 3: the bias repeated
     * for a chunk's rows forward, the ReLU's output rows backward), at least {@code floats} long (its contents are
     * whatever was left).
     */
    private static float[] array(int slot, int floats) {
        return FloatLoops.kept(slot, floats);
    }

    /** A direct buffer of the thread's scratch {@code slot}, at least {@code floats} long. */
    private static FloatBuffer scratch(int slot, int floats) {
        return scratchBytes(slot, floats).asFloatBuffer();
    }

    /** {@link #scratch}'s memory read as ints. */
    private static java.nio.IntBuffer scratchBits(int slot, int floats) {
        return scratchBytes(slot, floats).asIntBuffer();
    }

    private static ByteBuffer scratchBytes(int slot, int floats) {
        ByteBuffer[] kept = SCRATCH.get();
        if (kept[slot] == null || kept[slot].capacity() < floats * Float.BYTES) {
            kept[slot] = ByteBuffer.allocateDirect(Math.max(1, floats) * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        return kept[slot];
    }

    /** {@code buffer} itself when direct; else its values copied into the calling thread's scratch {@code slot}. */
    private static FloatBuffer direct(FloatBuffer buffer, int slot) {
        if (buffer.isDirect()) {
            return buffer;
        }
        FloatBuffer copy = scratch(slot, buffer.limit());
        copy.put(0, buffer, 0, buffer.limit());
        return copy;
    }
}
