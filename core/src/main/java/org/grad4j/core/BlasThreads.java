package org.grad4j.core;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives matrix products every core while element-wise ops keep the one OpenMP thread the scripts ask for.
 * ND4J ties OpenBLAS's thread count to {@code OMP_NUM_THREADS}; on 2 cores that variable must be 1 (the
 * OpenMP pool and OpenBLAS otherwise oversubscribe the CPU: a 784-256-256-10 step ran 3.5x slower), but
 * one BLAS thread halves the speed of large GEMMs. OpenBLAS itself runs small products on one thread, so
 * all cores is the right ceiling for any size. {@code -Dgrad4j.blasThreads=N} overrides it.
 */
final class BlasThreads {
    private static boolean configured;

    private BlasThreads() {
    }

    static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        int wanted = Integer.getInteger("grad4j.blasThreads", Runtime.getRuntime().availableProcessors());
        if (wanted > 0 && Nd4j.factory().blas().getMaxThreads() != wanted) {
            Nd4j.factory().blas().setMaxThreads(wanted);
        }
    }
}
