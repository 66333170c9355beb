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
            Parallel.forParts(2, p -> {
                if (p == 1) {
                    seen.put(Thread.currentThread(), ++calls.get()[0]);
                }
            });
        }
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(seen.keySet().stream().noneMatch(t -> t == Thread.currentThread()), "part 1 ran on a worker");
        // each worker's count is the number of calls it served: the sum of the last counts is all 5 calls
        assertEquals(5, total, "the workers' thread-locals survived between calls: " + seen);
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
