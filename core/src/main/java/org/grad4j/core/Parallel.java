package org.grad4j.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * Runs the parts of a kernel on the cores: part 0 on the calling thread, the others on grad4j's own worker threads.
 *
 * <p>Not the common pool's parallel streams: JDK 17's common-pool workers erase their thread-locals after every
 * task, so the buffers a kernel keeps per thread (window rows, direct scratch buffers, block arrays) were made
 * anew on the worker at every call. In W7 that was megabytes of Java garbage and of fresh direct memory a step,
 * and on this machine first touching a page costs ~17 us (measured: ~4,000 page faults a step until the collector
 * caught up). grad4j's workers are ordinary threads and keep theirs.
 *
 * <p>A part that itself asks for parts runs them all in line (no nesting on the workers).
 */
final class Parallel {
    private Parallel() {
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** The workers: one fewer than the cores (the caller is the other), daemons, started on first use. */
    private static final class Workers {
        static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, CORES - 1), pool -> {
            ForkJoinWorkerThread t = new ForkJoinWorkerThread(pool) { };
            t.setName("grad4j-worker-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** The number of cores a kernel may split over. */
    static int cores() {
        return CORES;
    }

    /** Runs {@code part.accept(p)} for {@code p} in {@code [0, parts)}, concurrently when more than one; returns when all are done. */
    static void forParts(int parts, IntConsumer part) {
        if (parts <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == Workers.POOL) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int index = p;
            others[p - 1] = Workers.POOL.submit(() -> part.accept(index));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : others) {
            try {
                task.join();   // every part is finished before returning, even after a failure: they share buffers
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
