package org.grad4j.core;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many OpenBLAS threads a matrix product gets. ND4J ties OpenBLAS's thread count to {@code OMP_NUM_THREADS};
 * on 2 cores that variable must be 1 (the OpenMP pool and OpenBLAS otherwise oversubscribe the CPU: a
 * 784-256-256-10 step ran 3.5x slower), but one BLAS thread halves the speed of large GEMMs, so large products
 * get every core ({@code -Dgrad4j.blasThreads=N} overrides the count).
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
     * Multiply-adds from which a product gets every BLAS thread: 2^29, above 285 M (faster on one) and at 537 M
     * (faster on two). The 285 M are W7's convolution products ([15488, 288] x [288, 64] and its two gradients):
     * on 2 busy cores one thread ran each as fast or faster (7-13 ms against 10-16 ms, best of 15), and the
     * whole W7 step took 116-123 ms of CPU against 156-177 ms with two (three alternating runs each), the idle
     * OpenBLAS worker's spinning included. {@code -Dgrad4j.blasSmallProduct=N} moves it; 0 gives every product
     * every thread.
     */
    static final long SMALL_PRODUCT = Long.getLong("grad4j.blasSmallProduct", 1L << 29);

    private static volatile int wide;

    private BlasThreads() {
    }

    static synchronized void configure() {
        if (wide > 0) {
            return;
        }
        int wanted = Integer.getInteger("grad4j.blasThreads", Runtime.getRuntime().availableProcessors());
        wide = Math.max(1, wanted);
        if (wanted > 0 && Nd4j.factory().blas().getMaxThreads() != wanted) {
            Nd4j.factory().blas().setMaxThreads(wanted);
        }
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
}
