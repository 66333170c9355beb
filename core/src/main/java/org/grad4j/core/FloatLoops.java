package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Java loops over the native memory of float32 ND4J arrays, for fused kernels: one pass that reads and writes
 * each array once, split over the cores for large arrays. With one OpenMP thread (see {@link BlasThreads})
 * libnd4j's ops run on one core, and its fused Adam updater, plus a second pass to subtract the update, took
 * about 7 times as long as the same update as one Java pass on 2 cores (6.3 M weights, the benchmarks' W5).
 * {@link Kernels} decides when they run; {@link Updates} and {@link NeuralNetOps#dense} use them.
 */
final class FloatLoops {
    /** Below this many elements one thread does the whole loop. */
    static final int PARALLEL_FROM = 1 << 18;
    /** Elements a loop copies at a time from ND4J's memory into a Java array (16 KB: stays in the L1/L2 cache). */
    static final int BLOCK = 4096;

    /**
     * The floats of each buffer that {@link #inBlocks} copies in at a time, for buffers of {@code n} floats. Large
     * buffers, read from memory rather than cache, go in blocks of 256: an optimizer's four blocks (1 KB each) then
     * stay in the core's L1 cache between the copies and the loop. Adam over W5's 6.3 M weights on both cores,
     * medians of 15 calls, two runs of five rounds: 3.0-3.6 ms in blocks of 256 against 4.0-4.3 in blocks of 4,096
     * (64 KB in all, which spill to L2), 3.6-3.9 in blocks of 512; pieces of 256-1,024 copied into 4,096-float blocks were
     * slower still (4.5-5.7). Buffers that fit in the cache pay more for the calls than for the spill: over W6's
     * 100,352 weights 0.07 ms in blocks of 256, 0.05 in blocks of 512, 0.06 in blocks of 4,096; at 1.6 M weights
     * every size from 256 to 8,192 took 0.64-0.78 ms.
     */
    static int updateBlock(int n) {
        return n >= 1 << 20 ? 256 : 512;
    }

    /** A loop body over the index range {@code [from, to)}. */
    interface Body {
        void run(int from, int to);
    }

    private FloatLoops() {
    }

    /*
     * ReLU and its mask as integer selects. "v < 0f ? 0f : v" compiles to a branch (x86 has no conditional move
     * for floats), and on a ReLU's input, about half negative in no order, that branch is mispredicted so often
     * that the loop ran 6-10x slower than these (7.7-11 against 1.2 ns an element, 2.7 M elements: W7's first
     * convolution); an int select becomes a conditional move.
     */

    /** libnd4j's ReLU, {@code v < 0 ? 0 : v}: NaN and -0.0 pass unchanged, negatives become +0.0. */
    static float relu(float v) {
        int keep = v < 0f ? 0 : -1;
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & keep);
    }

    /**
     * {@code block[0, count)} plus {@code rowBias} (when not null; a {@link #tileRows tiled} bias, one copy per row of
     * the block; without one, -0.0 stays), then {@link #relu} when asked. The bias is added at the block's own index,
     * which Java 17 vectorises: the same add at {@code [r + j]} against {@code bias[j]} does not (two float arrays read
     * at different offsets may be one array), 0.58 against 0.05 ns an element on 2 MB of W5's rows here. The float
     * ReLU's select does not vectorise either ({@link #reluBits} does); one loop per case: tests of the two flags
     * inside the loop made it 1.7x slower (2.4 against 1.4 ns an element, rows of 32 and 64).
     */
    static void biasRelu(float[] block, int count, float[] rowBias, boolean relu) {
        if (rowBias != null && relu) {
            for (int i = 0; i < count; i++) {
                block[i] = relu(block[i] + rowBias[i]);
            }
        } else if (rowBias != null) {
            for (int i = 0; i < count; i++) {
                block[i] += rowBias[i];
            }
        } else if (relu) {
            for (int i = 0; i < count; i++) {
                block[i] = relu(block[i]);
            }
        }
    }

    /**
     * {@code units} floats from {@code bias} repeated {@code rows} times, for {@link #biasRelu}: the calling thread's
     * kept array {@link #kept slot} 6, valid until its next call (a new one per call was 16 KB of garbage a layer
     * and step for the Keras tutorial's batches).
     */
    static float[] tileRows(FloatBuffer bias, int units, int rows) {
        float[] tiled = kept(6, units * rows);
        bias.get(0, tiled, 0, units);
        for (int r = 1; r < rows; r++) {
            System.arraycopy(tiled, 0, tiled, r * units, units);
        }
        return tiled;
    }

    /** 1 where {@code v} is positive, else +0.0 (NaN included): a ReLU's derivative read off its output. */
    static float positiveMask(float v) {
        return Float.intBitsToFloat(v > 0f ? 0x3f800000 : 0);
    }

    /**
     * {@code g * positiveMask(out)} on the floats' bits, in place over {@code g[0, count)}: where {@code out} is
     * positive (+Inf included, NaN not) it is {@code g * 1}, elsewhere {@code g * 0}, with the bits x86's multiply
     * gives: {@code g} itself, or a zero of {@code g}'s sign, the default NaN (0xffc00000) for an infinite {@code g}
     * times 0, and a NaN {@code g} made quiet either way. Integer operations only, so the loop vectorises: the
     * float version's select on a float's bits does not (0.50 against 0.05 ns an element on Java arrays here).
     */
    static void maskBits(int[] g, int[] out, int count) {
        for (int i = 0; i < count; i++) {
            int o = out[i];
            int b = g[i];
            int keep = ~(((o - 1) | (0x7f800000 - o)) >> 31);   // all ones for 0x00000001 .. 0x7f800000: out > 0
            int magnitude = b & 0x7fffffff;
            int nonFinite = (0x7f7fffff - magnitude) >> 31;      // all ones for +-Inf and NaN
            int nan = (0x7f800000 - magnitude) >> 31;            // all ones for NaN
            int quiet = b | (nan & 0x00400000);                  // a NaN times anything: the NaN made quiet
            int timesZero = (b & 0x80000000 & ~nonFinite) | (nan & quiet) | (nonFinite & ~nan & 0xffc00000);
            g[i] = (quiet & keep) | (~keep & timesZero);
        }
    }

    /**
     * The array's elements as a buffer indexed from 0, or null unless it is float32 and one contiguous
     * row-major block (then the caller uses the ND4J op instead). Always null with {@code -Dgrad4j.kernels=nd4j}:
     * then no Java loop touches ND4J's memory.
     */
    static FloatBuffer floats(INDArray a) {
        if (!Kernels.JAVA || a.dataType() != DataType.FLOAT || a.length() > Integer.MAX_VALUE || !rowMajorBlock(a)) {
            return null;
        }
        FloatBuffer whole = a.data().asNioFloat();
        long offset = a.offset();
        if (offset + a.length() > whole.capacity()) {
            return null;
        }
        return whole.position((int) offset).slice().limit((int) a.length());
    }

    /** A tensor's ND4J memory read as the floats' bits ({@link #bits(INDArray)}); null for a small tensor's Java array. */
    static java.nio.IntBuffer bits(Tensor t) {
        return t.isSmallBacked() ? null : bits(t.array());
    }

    /** {@link #floats}'s memory read as the floats' bits, or null when {@link #floats} gives none. */
    static java.nio.IntBuffer bits(INDArray a) {
        FloatBuffer f = floats(a);
        if (f == null) {
            return null;
        }
        java.nio.IntBuffer whole = a.data().asNioInt();
        return whole.position((int) a.offset()).slice().limit((int) a.length());
    }

    /**
     * {@link #relu} on floats' bits, in place over {@code bits[0, count)}: negatives (finite or -Inf, bits
     * 0x80000001 to 0xff800000) become +0.0, everything else (+0.0, -0.0, positives, NaN of either sign) stays.
     * Integer operations only, so the loop vectorises (a select on a float's bits does not: 1.4 ns an element).
     */
    static void reluBits(int[] bits, int count) {
        for (int i = 0; i < count; i++) {
            int b = bits[i];
            int t = b - 0x80000001;   // 0 to 0x7f7fffff exactly for the negatives
            bits[i] = b & ~((~t & (t - 0x7f800000)) >> 31);
        }
    }

    /** A float32 array's values in one bulk copy from its memory ({@link #floats}), or null when it has none. */
    static float[] copyOf(INDArray a) {
        FloatBuffer block = floats(a);
        if (block == null) {
            return null;
        }
        float[] out = new float[block.limit()];
        block.get(0, out);
        return out;
    }

    /**
     * A float32 tensor's values as a buffer: a small tensor's Java array (never write to it unless the tensor is
     * fresh and unshared), or {@link #floats(INDArray)} of its ND4J array; null when neither applies.
     */
    static FloatBuffer floats(Tensor t) {
        if (t.isSmallBacked()) {
            return Kernels.JAVA && t.smallValues().length == t.size() ? FloatBuffer.wrap(t.smallValues()) : null;
        }
        return floats(t.array());
    }

    /**
     * Whether the array's elements lie in one block in row-major order: 'c' ordered with unit stride, or with at
     * most one axis longer than 1 (a batch of one sample, a column), where 'f' and 'c' order are the same order.
     * ND4J reports such views 'f' ordered; copying them first cost a W1 step a fifth of its time.
     */
    static boolean rowMajorBlock(INDArray a) {
        if (a.length() <= 1) {
            return true;
        }
        if (a.elementWiseStride() != 1) {
            return false;
        }
        if (a.ordering() == 'c') {
            return true;
        }
        int longer = 0;
        for (long size : a.shape()) {
            if (size > 1) {
                longer++;
            }
        }
        return longer <= 1;
    }

    /**
     * The buffers ({@link #floats}) of arrays of one length, in order, or null if any array has none or the
     * lengths differ.
     */
    static FloatBuffer[] all(Tensor... tensors) {
        FloatBuffer[] buffers = new FloatBuffer[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            buffers[i] = tensors[i].size() == tensors[0].size() ? floats(tensors[i]) : null;
            if (buffers[i] == null) {
                return null;
            }
        }
        return buffers;
    }

    /** As {@link #all(Tensor...)}, for ND4J arrays. */
    static FloatBuffer[] all(INDArray... arrays) {
        FloatBuffer[] buffers = new FloatBuffer[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            buffers[i] = arrays[i].length() == arrays[0].length() ? floats(arrays[i]) : null;
            if (buffers[i] == null) {
                return null;
            }
        }
        return buffers;
    }

    /** {@code f} of each element of a float32 array, into a new row-major array. */
    static INDArray map(INDArray a, JavaKernels.Unary f) {
        FloatBuffer contiguous = floats(a);
        // a view: one copy makes it a contiguous block
        FloatBuffer in = contiguous != null ? contiguous : floats(a.dup('c'));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, a.shape());
        FloatBuffer o = floats(out);
        forRange((int) a.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                o.put(i, f.apply(in.get(i)));
            }
        });
        return out;
    }

    /** A loop body over Java arrays holding one block of each buffer: elements {@code [0, count)} of each. */
    interface BlockBody {
        void run(float[][] blocks, int count);
    }

    /**
     * Runs {@code body} over buffers of one length, a block of each ({@link #updateBlock}) at a time copied into a Java array,
     * and copies back the blocks of the buffers marked in {@code written}. Element by element, buffer access
     * neither vectorises nor drops its checks: Adam's update read and wrote its four buffers that way at about
     * half of a W6 step's Java time; over arrays the same arithmetic runs several times faster, and gives the same
     * bits. Large arrays are split over the cores.
     */
    static void inBlocks(FloatBuffer[] buffers, boolean[] written, BlockBody body) {
        int block = updateBlock(buffers[0].limit());
        forRange(buffers[0].limit(), (from, to) -> {
            float[][] blocks = scratch(buffers.length);
            for (int first = from; first < to; first += block) {
                int count = Math.min(block, to - first);
                for (int b = 0; b < buffers.length; b++) {
                    buffers[b].get(first, blocks[b], 0, count);
                }
                body.run(blocks, count);
                for (int b = 0; b < buffers.length; b++) {
                    if (written[b]) {
                        buffers[b].put(first, blocks[b], 0, count);
                    }
                }
            }
        });
    }

    /** Each thread's block arrays, kept: a step runs these loops a few times per layer, and new arrays each time were most of its garbage. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[0][]);

    /**
     * Each thread's kept arrays by slot, grown on need (the fused convolution uses slots 0-3, the max pooling 4-5, the
     * dense forward's tiled bias 6):
     * per-image and per-chunk buffers a kernel needs for one call, on the calling thread or on grad4j's workers
     * (see {@link Parallel}, whose threads keep them between calls).
     */
    private static final ThreadLocal<float[][]> KEPT = ThreadLocal.withInitial(() -> new float[7][0]);
    private static final ThreadLocal<int[][]> KEPT_INTS = ThreadLocal.withInitial(() -> new int[2][0]);

    /** The calling thread's float array {@code slot}, at least {@code n} long; its contents are whatever was left. */
    static float[] kept(int slot, int n) {
        float[][] kept = KEPT.get();
        if (kept[slot].length < n) {
            kept[slot] = new float[n];
        }
        return kept[slot];
    }

    private static final ThreadLocal<double[]> KEPT_DOUBLES = ThreadLocal.withInitial(() -> new double[0]);

    /** The calling thread's double array, at least {@code n} long, its first {@code n} elements zeroed. */
    static double[] keptDoubles(int n) {
        double[] kept = KEPT_DOUBLES.get();
        if (kept.length < n) {
            kept = new double[n];
            KEPT_DOUBLES.set(kept);
        } else {
            java.util.Arrays.fill(kept, 0, n, 0.0);
        }
        return kept;
    }

    /**
     * The calling thread's int array {@code slot} (0 or 1), at least {@code n} long; its contents are whatever was
     * left.
     */
    static int[] keptInts(int slot, int n) {
        int[][] kept = KEPT_INTS.get();
        if (kept[slot].length < n) {
            kept[slot] = new int[n];
        }
        return kept[slot];
    }

    /**
     * At least {@code count} arrays of {@link #BLOCK} floats, the calling thread's own, valid until its next call.
     *
     * <p>Each is {@link #STAGGER} floats longer than a block, so that arrays made one after another start at
     * different offsets within a 4 KB page. Arrays of exactly {@code BLOCK} floats lie 16,400 bytes apart, 16 bytes
     * off a multiple of 4 KB, and the core then takes a load from one for a store to another at the same page
     * offset and waits for it (4K aliasing). Adam over W5's 6.3 M weights in blocks of 256, medians of 40 calls,
     * five JVMs on a noisy day: 3.20-6.23 ms with block arrays 1,104 bytes apart against 3.47-6.59 with these
     * (faster by 5-17 % in every JVM).
     */
    static float[][] scratch(int count) {
        float[][] kept = SCRATCH.get();
        if (kept.length < count) {
            kept = new float[count][];
            for (int k = 0; k < count; k++) {
                kept[k] = new float[BLOCK + STAGGER];
            }
            SCRATCH.set(kept);
        }
        return kept;
    }

    /** Extra floats per {@link #scratch} array: consecutive arrays then start 1,104 bytes apart modulo 4 KB. */
    static final int STAGGER = 272;

    /** Runs {@code body} over {@code [0, n)}, in parts over the cores when {@code n} is large ({@link Parallel#forRange}). */
    static void forRange(int n, Body body) {
        Parallel.forRange(n, n, body);
    }
}
