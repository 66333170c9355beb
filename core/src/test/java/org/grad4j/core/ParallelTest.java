package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The kernels' parts: each runs once, failures reach the caller after every part ends, workers keep their buffers. */
class ParallelTest {

    @Test
    void everyPartRunsOnceAndPartZeroOnTheCaller() {
        int parts = Math.max(2, Parallel.cores());
        AtomicIntegerArray runs = new AtomicIntegerArray(parts);
        Thread[] where = new Thread[parts];
        Parallel.forParts(parts, p -> {
            runs.incrementAndGet(p);
            where[p] = Thread.currentThread();
        });
        for (int p = 0; p < parts; p++) {
            assertEquals(1, runs.get(p), "part " + p);
        }
        assertSame(Thread.currentThread(), where[0]);
    }

    /**
     * The reason for grad4j's own workers: JDK 17's common pool erases a worker's thread-locals after each task,
     * so a kernel's kept buffers were made anew at every call.
     */
    @Test
    void aWorkerKeepsItsThreadLocalsFromOneCallToTheNext() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.cores() > 1, "one core: no worker");
        ThreadLocal<int[]> calls = ThreadLocal.withInitial(() -> new int[1]);
        ConcurrentHashMap<Thread, Integer> seen = new ConcurrentHashMap<>();
        for (int call = 0; call < 5; call++) {
            // part 0 waits for part 1 to start, so that the caller cannot take it: part 1 runs on a worker
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Parallel.forParts(2, p -> {
                if (p == 1) {
                    started.countDown();
                    seen.put(Thread.currentThread(), ++calls.get()[0]);
                } else {
                    try {
                        started.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(seen.keySet().stream().noneMatch(t -> t == Thread.currentThread()), "part 1 ran on a worker");
        // each worker's count is the number of calls it served: the sum of the last counts is all 5 calls
        assertEquals(5, total, "the workers' thread-locals survived between calls: " + seen);
    }

    /**
     * A worker idle longer than it polls has parked: a call must still wake it (part 0 waits for part 1 to start
     * elsewhere, so the call returns only if a worker ran it).
     */
    @Test
    void aParkedWorkerWakesForTheNextCall() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.cores() > 1, "one core: no worker");
        for (int call = 0; call < 3; call++) {
            try {
                Thread.sleep(Parallel.WORKER_SPIN_NANOS / 1_000_000 + 30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            Thread[] where = new Thread[2];
            boolean[] woke = new boolean[1];
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> Parallel.forParts(2, p -> {
                        where[p] = Thread.currentThread();
                        if (p == 1) {
                            started.countDown();
                        } else {
                            try {
                                woke[0] = started.await(5, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }));
            assertTrue(woke[0], "call " + call + ": part 1 started on a worker while part 0 waited");
            assertTrue(where[1].getName().startsWith("grad4j-worker"), "part 1 ran on " + where[1]);
        }
    }

    @Test
    void aFailureReachesTheCallerOnlyAfterEveryPartHasEnded() {
        int parts = Math.max(2, Parallel.cores());
        AtomicIntegerArray ended = new AtomicIntegerArray(parts);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forParts(parts, p -> {
            if (p == 0) {
                throw new IllegalStateException("part 0 failed");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.incrementAndGet(p);
        }));
        assertEquals("part 0 failed", thrown.getMessage());
        for (int p = 1; p < parts; p++) {
            assertEquals(1, ended.get(p), "part " + p + " had ended");
        }
    }

    /**
     * A worker held by another call does not hold this one: the caller takes the parts no worker has taken (with
     * fixed parts per thread, this call would wait for the held worker; here it would never return).
     */
    @Test
    void theCallerTakesThePartsNoWorkerHasTaken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.cores() > 1, "one core: no worker");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(Parallel.cores() - 1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> Parallel.forParts(Parallel.cores(), p -> {
            if (p > 0) {
                held.countDown();   // a worker's part: held until this test's call has returned
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        other.start();
        try {
            assertTrue(held.await(10, java.util.concurrent.TimeUnit.SECONDS), "every worker took a part of the other call");
            int parts = 16;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Thread[] where = new Thread[parts];
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> Parallel.forParts(parts, p -> {
                        runs.incrementAndGet(p);
                        where[p] = Thread.currentThread();
                    }));
            for (int p = 0; p < parts; p++) {
                assertEquals(1, runs.get(p), "part " + p);
                assertTrue(!where[p].getName().startsWith("grad4j-worker"), "part " + p + " ran on " + where[p]);
            }
        } finally {
            release.countDown();
            other.join();
        }
    }

    @Test
    void partsOfARangeDependOnTheWorkAloneAndCoverIt() {
        assertEquals(1, Parallel.parts(1_000_000, FloatLoops.PARALLEL_FROM - 1));
        assertEquals(4, Parallel.parts(1_000_000, FloatLoops.PARALLEL_FROM));
        assertEquals(8, Parallel.parts(256, 256L * 2048));
        assertEquals(3, Parallel.parts(3, 1L << 30), "at most one index a part");
        int n = 1003;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Parallel.forRange(n, 1L << 20, (from, to) -> {
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "index " + i);
        }
    }

    @Test
    void aCheckedExceptionThrownByAPartReachesTheCallerAsItsCause() {
        int parts = Math.max(2, Parallel.cores());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forParts(parts, p -> {
            if (p == parts - 1) {
                ParallelTest.<RuntimeException>sneaky(new java.io.IOException("part failed"));
            }
        }));
        assertEquals("part failed", thrown.getCause().getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void partsAskingForPartsRunThemInLine() {
        int parts = Math.max(2, Parallel.cores());
        int[][] inner = new int[parts][parts];
        Parallel.forParts(parts, p -> Parallel.forParts(parts, q -> inner[p][q]++));
        for (int[] row : inner) {
            int[] ones = new int[parts];
            Arrays.fill(ones, 1);
            assertEquals(Arrays.toString(ones), Arrays.toString(row));
        }
    }
}
