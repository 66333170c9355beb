package org.grad4j.core;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How many OpenBLAS threads a matrix product gets. ND4J ties OpenBLAS's thread count to {@code OMP_NUM_THREADS};
 * on 2 cores that variable must be 1 (the OpenMP pool and OpenBLAS otherwise oversubscribe the CPU: a
 * 784-256-256-10 step ran 3.5x slower), but one BLAS thread halves the speed of large GEMMs, so large products
 * get every core: split by grad4j over its workers, one one-thread call per core, or OpenBLAS's own threads
 * ({@code -Dgrad4j.blasThreads=N} overrides their count).
 *
 * <p>Products under {@link #SMALL_PRODUCT} multiply-adds run on one thread. OpenBLAS splits a product of a few
 * million multiply-adds (a batch of 32 through 784 x 128) over its threads too, and between the many small
 * GEMMs of a training step its idle workers spin on {@code sched_yield}, about 300 system calls a step, taking a
 * core from the thread that does the rest of the step. Measured on 2 busy cores, one thread was as fast or
 * faster for each product of a 784-128-10 and a 784-256-256-10 step (3 to 26 million multiply-adds; up to 2x
 * for the transposed kernel-gradient products), two threads 1.4x faster for 256 x 1024 x 2048.
 */
final class BlasThreads {
    /**
     * Multiply-adds from which a product runs on every core: split by output columns over grad4j's workers
     * ({@link #splitsColumns}), or with too few columns given every BLAS thread. 2^29, above 285 M (faster on one)
     * and at 537 M (faster on two). The 285 M are W7's convolution products ([15488, 288] x [288, 64] and its two gradients):
     * on 2 busy cores one thread ran each as fast or faster (7-13 ms against 10-16 ms, best of 15), and the
     * whole W7 step took 116-123 ms of CPU against 156-177 ms with two (three alternating runs each), the idle
     * OpenBLAS worker's spinning included. {@code -Dgrad4j.blasSmallProduct=N} moves it; 0 gives every product
     * every thread.
     */
    static final long SMALL_PRODUCT = Long.getLong("grad4j.blasSmallProduct", 1L << 29);

    /**
     * Multiply-adds from which a product under {@link #SMALL_PRODUCT} is split over the cores by grad4j itself:
     * each core computes its share of the output rows (or, for a transposed left operand, of the inner dimension)
     * as a one-thread BLAS call of its own. Those calls share no OpenBLAS thread pool, so nothing spins between
     * products. {@code -Dgrad4j.blasSplitFrom=N} moves it; 0 turns the split off.
     */
    static final long SPLIT_FROM = Long.getLong("grad4j.blasSplitFrom", 1L << 24);

    private static volatile int wide;

    private BlasThreads() {
    }

    static synchronized void configure() {
        if (wide > 0) {
            return;
        }
        int wanted = Integer.getInteger("grad4j.blasThreads", Runtime.getRuntime().availableProcessors());
        wide = Math.max(1, wanted);
        libnd4jThreads();
        if (wanted > 0 && Nd4j.factory().blas().getMaxThreads() != wanted) {
            Nd4j.factory().blas().setMaxThreads(wanted);
        }
    }

    /**
     * Gives libnd4j's own thread pool and OpenMP one thread, as {@code OMP_NUM_THREADS=1} would, unless the user
     * set that variable or {@code -Dgrad4j.nd4jThreads=N}. libnd4j reads the variable once, when it loads, and
     * without it splits its ops over every core; its idle workers then spin between the many small ops of a
     * step. Run with plain {@code java} on 2 cores, a 784-128-10 training step took 5.4-8.6 ms of CPU time
     * (2.8-4.4 ms of wall time) against 2.9-3.3 (1.5-1.9) with one thread, a second thread spinning beside the
     * one doing the work and taking the core that grad4j's own loops split onto. grad4j's large element-wise work runs in its own
     * loops ({@link FloatLoops}) and large products in OpenBLAS, so libnd4j's ops lose little with one thread.
     */
    private static void libnd4jThreads() {
        Integer property = Integer.getInteger("grad4j.nd4jThreads");
        if (property == null && System.getenv("OMP_NUM_THREADS") != null) {
            return;
        }
        int threads = Math.max(1, property == null ? 1 : property);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** The threads a product of {@code multiplyAdds} gets. */
    static int forProduct(long multiplyAdds) {
        return multiplyAdds < SMALL_PRODUCT ? 1 : wide;
    }

    /**
     * Sets OpenBLAS's thread count for the next product of {@code multiplyAdds}. The count is read back first
     * (a native call of nanoseconds) rather than remembered, since other code in the process, DL4J or ND4J's own
     * ops, may set it too.
     */
    static void before(long multiplyAdds) {
        configure();
        int threads = forProduct(multiplyAdds);
        if (Nd4j.factory().blas().getMaxThreads() != threads) {
            Nd4j.factory().blas().setMaxThreads(threads);
        }
    }

    /**
     * {@code c = op(a) · op(b)} for row-major matrices, {@code [n, k] · [k, m]} after the transposes: one BLAS call
     * with {@link #forProduct}'s threads, or, for a product from {@link #SPLIT_FROM} under {@link #SMALL_PRODUCT},
     * one one-thread call per core on contiguous blocks: rows of {@code a} and {@code c}, or, when {@code a} is
     * transposed (its rows are then the inner dimension), rows of {@code a} and {@code b} whose partial products
     * are added.
     *
     * <p>Float32 matrices in row-major blocks go to OpenBLAS's {@code sgemm} directly, on their memory: the same
     * library and call libnd4j's matmul op makes (the same bits), without the op around it. That op costs a
     * context, argument buffers and shape checks, each a native allocation the garbage collector must find later:
     * 30-45 us of a [32, 784] x [784, 128] product's 110-120 us, and 8-20 us of a [32, 128] x [128, 10] one's
     * 2.6 us. Anything else (float64, views with strides, {@code -Dgrad4j.kernels=nd4j}) takes ND4J's
     * {@code gemm}; the parts' views are then made on the calling thread, where its workspace is.
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, long n, long k, long m) {
        FloatBuffer[] direct = direct(a, b, c, n, k, m);
        if (direct != null) {
            gemm(direct[0], direct[1], direct[2], ta, tb, (int) n, (int) k, (int) m);
            return;
        }
        long work = n * k * m;
        int cores = Runtime.getRuntime().availableProcessors();
        boolean splits = splits(work, ta, tb, ta ? k : n) && a.ordering() == 'c' && b.ordering() == 'c' && c.ordering() == 'c'
                && a.elementWiseStride() == 1 && b.elementWiseStride() == 1;
        before(splits ? 0 : work);
        if (!splits) {
            Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
            return;
        }
        long split = ta ? k : n;
        INDArray[] as = new INDArray[cores];
        INDArray[] bs = new INDArray[cores];
        INDArray[] cs = new INDArray[cores];
        for (int p = 0; p < cores; p++) {
            long from = split * p / cores;
            long to = split * (p + 1) / cores;
            as[p] = a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            bs[p] = ta ? b.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()) : b;
            // rows of c are disjoint; partial sums over the inner dimension each need their own output
            cs[p] = ta ? (p == 0 ? c : Nd4j.createUninitialized(c.dataType(), c.shape()))
                    : c.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        }
        Parallel.forParts(cores, p -> Nd4j.gemm(as[p], bs[p], cs[p], ta, tb, 1.0, 0.0));
        if (ta) {
            for (int p = 1; p < cores; p++) {
                c.addi(cs[p]);
            }
        }
    }

    /**
     * {@code c = op(a) · op(b)} on float32 memory in row-major order: each buffer a direct one (an ND4J array's
     * memory) or one over a whole Java array (a small tensor's values, which JavaCPP copies in and out). Threads
     * and splits as {@link #gemm(INDArray, INDArray, INDArray, boolean, boolean, long, long, long)}; only direct
     * buffers are split, as JavaCPP reads a Java array from its start whatever a slice of it says.
     */
    static void gemm(FloatBuffer a, FloatBuffer b, FloatBuffer c, boolean ta, boolean tb, int n, int k, int m) {
        long work = (long) n * k * m;
        boolean direct = a.isDirect() && b.isDirect() && c.isDirect();
        if (direct && splitsColumns(work, m)) {
            before(0);
            sgemmColumns(a, b, c, ta, tb, n, k, m, Parallel.cores());
            return;
        }
        boolean splits = splits(work, ta, tb, ta ? k : n) && direct;
        before(splits ? 0 : work);
        sgemm(new FloatBuffer[] {a, b, c}, ta, tb, n, k, m, splits ? Runtime.getRuntime().availableProcessors() : 1);
    }

    /**
     * True for a product of at least {@link #COLUMN_SPLIT_FROM} multiply-adds with 128 output columns or more for
     * every core: grad4j splits its columns itself, one one-thread call per core.
     *
     * <p>From {@link #SMALL_PRODUCT} on, rather than giving it OpenBLAS's threads: after a threaded call OpenBLAS's
     * idle worker spins on {@code sched_yield} for a long while, through the optimizer's update and the
     * element-wise passes that grad4j splits over the same cores. W5's step (1024-2048-2048-10, batch 256) spent
     * 13 % of its CPU time in the kernel for it and ran its Java passes on one and a half cores; its eight products
     * took 51-63 ms a step split by columns against 52-64 with OpenBLAS's two threads (alternating, one JVM).
     *
     * <p>Below it, rather than one thread, or the row and inner-dimension splits: W4's products (batch 128,
     * 784-256-256-10), 200 calls each, medians of 5 rounds: [128, 784] x [784, 256] 380 us split by columns
     * against 450 by rows and 575 on one thread; its kernel gradient [784, 128]ᵀ-shaped product 460 against 600 for
     * the inner split, whose partial sums must then be added; [128, 256] x [256, 256] 165 against 190 on one thread.
     * Narrow products keep their row split (a few columns a core is slower), small ones one thread: W6's
     * [784, 32]ᵀ x [32, 128] kernel gradient took 140-190 us split by columns against 75-90 on one thread.
     * {@code -Dgrad4j.blasColumnSplit=false} turns the column split off.
     */
    static boolean splitsColumns(long work, int m) {
        int cores = Parallel.cores();
        return COLUMN_SPLIT && cores > 1 && work >= COLUMN_SPLIT_FROM && m >= 128L * cores;
    }

    private static final boolean COLUMN_SPLIT = !"false".equals(System.getProperty("grad4j.blasColumnSplit"));

    /** Multiply-adds from which a wide product is split by columns ({@link #splitsColumns}): 2^23. */
    static final long COLUMN_SPLIT_FROM = 1L << 23;

    /**
     * {@code c = op(a) · op(b)} in {@code parts} one-thread calls, each on a contiguous block of {@code c}'s
     * columns (and of {@code op(b)}'s): every part reads all of {@code op(a)} and writes its own block of every row
     * of {@code c}, so nothing is added afterwards. The results are within float32 rounding of one call's, not
     * bit for bit (OpenBLAS blocks a part of the columns differently from the whole, as its own threads' split
     * does).
     */
    private static void sgemmColumns(FloatBuffer a, FloatBuffer b, FloatBuffer c, boolean ta, boolean tb, int n, int k,
            int m, int parts) {
        int lda = ta ? n : k;
        int ldb = tb ? k : m;
        int transA = ta ? CblasTrans : CblasNoTrans;
        int transB = tb ? CblasTrans : CblasNoTrans;
        Parallel.forParts(parts, p -> {
            int from = (int) ((long) m * p / parts);
            int to = (int) ((long) m * (p + 1) / parts);
            // b stored [k, m]: columns start at offset from; stored [m, k] (transposed): rows from..to
            FloatBuffer bp = tb ? b.slice(from * k, (to - from) * k) : b.slice(from, b.limit() - from);
            cblas_sgemm(CblasRowMajor, transA, transB, n, to - from, k, 1f, a, lda, bp, ldb, 0f,
                    c.slice(from, c.limit() - from), m);
        });
    }

    private static boolean splits(long work, boolean ta, boolean tb, long splitAxis) {
        int cores = Runtime.getRuntime().availableProcessors();
        return SPLIT_FROM > 0 && work >= SPLIT_FROM && work < SMALL_PRODUCT && cores > 1 && !(ta && tb)
                && splitAxis >= 64L * cores;
    }

    /**
     * OpenBLAS's row-major {@code sgemm} on {a, b, c}, in {@code parts} one-thread calls when more than one (split
     * as {@link #gemm} says). The partial products of a split inner dimension go to the calling thread's kept
     * buffers and are added into {@code c} in part order.
     */
    private static void sgemm(FloatBuffer[] abc, boolean ta, boolean tb, int n, int k, int m, int parts) {
        int lda = ta ? n : k;
        int ldb = tb ? k : m;
        int transA = ta ? CblasTrans : CblasNoTrans;
        int transB = tb ? CblasTrans : CblasNoTrans;
        if (parts == 1) {
            cblas_sgemm(CblasRowMajor, transA, transB, n, m, k, 1f, abc[0], lda, abc[1], ldb, 0f, abc[2], m);
            return;
        }
        if (!ta) {
            // rows of a and of c
            Parallel.forParts(parts, p -> {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                cblas_sgemm(CblasRowMajor, transA, transB, to - from, m, k, 1f, abc[0].slice(from * lda, (to - from) * lda),
                        lda, abc[1], ldb, 0f, abc[2].slice(from * m, (to - from) * m), m);
            });
            return;
        }
        // rows of a (stored [k, n]) and of b (stored [k, m]: b is not transposed here); part 0 writes c itself,
        // the others the calling thread's kept buffers
        FloatBuffer[] outputs = partials(parts, n * m);
        outputs[0] = abc[2];
        Parallel.forParts(parts, p -> {
            int from = (int) ((long) k * p / parts);
            int to = (int) ((long) k * (p + 1) / parts);
            cblas_sgemm(CblasRowMajor, transA, transB, n, m, to - from, 1f, abc[0].slice(from * n, (to - from) * n), n,
                    abc[1].slice(from * m, (to - from) * m), m, 0f, outputs[p], m);
        });
        addParts(outputs, n * m);
    }

    /**
     * {@code parts[0] += parts[1] + parts[2] ...} over {@code length} floats, in part order and in float: as adding
     * the parts' arrays would. The sum of partial products that split an inner dimension over the cores.
     */
    static void addParts(FloatBuffer[] parts, int length) {
        float[][] blocks = FloatLoops.scratch(2);
        for (int first = 0; parts.length > 1 && first < length; first += FloatLoops.BLOCK) {
            int count = Math.min(FloatLoops.BLOCK, length - first);
            parts[0].get(first, blocks[0], 0, count);
            for (int p = 1; p < parts.length; p++) {
                parts[p].get(first, blocks[1], 0, count);
                for (int i = 0; i < count; i++) {
                    blocks[0][i] += blocks[1][i];
                }
            }
            parts[0].put(first, blocks[0], 0, count);
        }
    }

    /** The calling thread's buffers for the partial products of a split inner dimension: index 0 left for c. */
    private static final ThreadLocal<FloatBuffer[]> PARTIALS = ThreadLocal.withInitial(() -> new FloatBuffer[0]);

    /**
     * {@code parts} direct buffers of {@code length} floats for partial products, the calling thread's own and kept
     * (fresh native memory costs more than the products here); index 0 is left null, for the result itself.
     */
    static FloatBuffer[] partials(int parts, int length) {
        FloatBuffer[] kept = PARTIALS.get();
        if (kept.length < parts || (parts > 1 && kept[1].capacity() < length)) {
            kept = new FloatBuffer[parts];
            for (int p = 1; p < parts; p++) {
                kept[p] = ByteBuffer.allocateDirect(Math.max(1, length) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            PARTIALS.set(kept);
        }
        FloatBuffer[] out = new FloatBuffer[parts];
        for (int p = 1; p < parts; p++) {
            out[p] = kept[p].slice(0, length);
        }
        return out;
    }

    /** The memory of float32 matrices in row-major blocks of the product's sizes, or null (ND4J's gemm then). */
    private static FloatBuffer[] direct(INDArray a, INDArray b, INDArray c, long n, long k, long m) {
        if (n == 0 || k == 0 || m == 0 || n * Math.max(k, m) > Integer.MAX_VALUE || k * m > Integer.MAX_VALUE
                || a.length() != n * k || b.length() != k * m || c.length() != n * m) {
            return null;
        }
        FloatBuffer fa = FloatLoops.floats(a);
        FloatBuffer fb = fa == null ? null : FloatLoops.floats(b);
        FloatBuffer fc = fb == null ? null : FloatLoops.floats(c);
        return fc == null ? null : new FloatBuffer[] {fa, fb, fc};
    }
}
