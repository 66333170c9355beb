package org.grad4j.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs the parts of a kernel on the cores: part 0 on the calling thread, the others on whichever of the caller and
 * grad4j's own worker threads is free first.
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

    /**
     * The workers: one fewer than the cores (the caller is the other), daemons, started on first use, taking tasks
     * from one queue. An idle worker polls the queue for {@link #WORKER_SPIN_NANOS} before it parks: a parked one
     * starts its part 0.2-0.4 ms after the call on this machine (a halted vCPU must be woken), and a training step
     * forks every few hundred microseconds, between passes that run on the caller alone. W5's column-split products:
     * the worker's part started 0.11 ms after the call on average with the polling against 0.18-0.20 without; one
     * JVM alternating blocks (10 rounds, medians): W4's step 2.18 ms against 2.38, W5's 58.4 against 60.7. The polling
     * costs CPU time where a step forks often: W4's blocks used 22-40 % more (W5 and W7 about the same). Until stop
     * 29 this was a ForkJoinPool, whose idle workers park at once.
     */
    private static final class Workers {
        static final Workers POOL = new Workers(Math.max(1, CORES - 1));

        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final Worker[] workers;

        private Workers(int count) {
            workers = new Worker[count];
            for (int i = 0; i < count; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void execute(Runnable task) {
            tasks.add(task);
            // added before the flags are read, and a worker sets its flag before it looks at the queue a last time:
            // one of the two sees the other's write, so no task waits for a parked worker
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                    return;
                }
            }
        }
    }

    /** Microseconds an idle worker polls for work before it parks: {@code -Dgrad4j.workerSpinMicros=N}. */
    static final long WORKER_SPIN_NANOS = 1000L * Long.getLong("grad4j.workerSpinMicros", 1000);

    private static final class Worker extends Thread {
        private final Workers pool;
        volatile boolean parked;

        Worker(Workers pool, int index) {
            super("grad4j-worker-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Runnable task = pool.tasks.poll();
                if (task != null) {
                    try {
                        task.run();
                    } catch (Throwable e) {
                        // a part's failure is kept by its Run for the caller; the worker lives on
                    }
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < WORKER_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (pool.tasks.isEmpty()) {
                        LockSupport.park(pool);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /** The number of cores a kernel may split over. */
    static int cores() {
        return CORES;
    }

    /**
     * Runs {@code part.accept(p)} for {@code p} in {@code [0, parts)}, concurrently when more than one; returns when
     * all are done. Part 0 runs on the caller, which then takes every part no worker has taken yet.
     *
     * <p>Why the caller takes parts and spins a little before it parks: on this project's 2-vCPU machine a parked
     * worker starts its part 0.3-0.4 ms after the call on average (measured in W5's step, whose wide products are two
     * 6-ms parts), and the parked caller is as slow to wake. W5's backward ReLU mask over [256, 2048] took about
     * 1.0 ms a call in two fixed parts, no faster than on one thread, and 0.85-0.89 ms in parts of 2^16 elements
     * taken as they come (alternating JVMs, timers inside fit). A late worker now costs only the parts it did not
     * take; a held one (another call's) does not hold this call at all.
     */
    static void forParts(int parts, IntConsumer part) {
        if (parts <= 1 || Thread.currentThread() instanceof Worker) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        Run run = new Run(parts, part);
        for (int w = Math.min(parts - 1, CORES - 1); w > 0; w--) {
            Workers.POOL.execute(run::takeParts);
        }
        run.take(0);
        run.takeParts();
        run.awaitAll();
        if (run.failure instanceof RuntimeException e) {
            throw e;
        }
        if (run.failure instanceof Error e) {
            throw e;
        }
        if (run.failure != null) {
            throw new IllegalStateException("a part failed", run.failure);   // a checked exception thrown sneakily
        }
    }

    /**
     * The parts of a range of {@code n} indices that together hold {@code work} elements, one part for less than
     * {@link FloatLoops#PARALLEL_FROM}, else parts of about {@link #PART_WORK} elements each (at most {@code n}):
     * parts small enough that a worker arriving late leaves little to wait for, and a count that does not depend on
     * the machine's cores, so a part-wise sum rounds the same everywhere.
     */
    static int parts(int n, long work) {
        if (work < FloatLoops.PARALLEL_FROM || n <= 1) {
            return 1;
        }
        return (int) Math.min(n, (work + PART_WORK - 1) / PART_WORK);
    }

    /** Elements a part of an element-wise pass holds: 2^16, about 50-100 us of a Java loop here. */
    static final long PART_WORK = 1L << 16;

    /** Runs {@code body} over {@code [0, n)} in {@link #parts} ranges of contiguous indices. */
    static void forRange(int n, long work, FloatLoops.Body body) {
        int parts = parts(n, work);
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        forParts(parts, p -> body.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
    }

    /** One call's parts: taken in order by the caller and the workers, counted when done. */
    private static final class Run {
        /** How long the caller spins for the last parts before it parks: about what a wake-up costs here. */
        private static final long SPIN_NANOS = 200_000;

        private final int parts;
        private final IntConsumer part;
        private final AtomicInteger next = new AtomicInteger(1);
        private final AtomicInteger done = new AtomicInteger();
        private volatile Thread waiting;
        private Throwable failure;   // written under this lock before its part counts as done, read after all are

        Run(int parts, IntConsumer part) {
            this.parts = parts;
            this.part = part;
        }

        /** Takes parts until none is left (a worker arriving after the caller took the last finds none). */
        void takeParts() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                take(p);
            }
        }

        void take(int p) {
            try {
                part.accept(p);
            } catch (Throwable e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            } finally {
                if (done.incrementAndGet() == parts) {
                    Thread t = waiting;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }

        /** Returns when every part has ended: they share buffers with the caller, even after a failure. */
        void awaitAll() {
            long start = System.nanoTime();
            while (done.get() < parts && System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            }
            if (done.get() < parts) {
                waiting = Thread.currentThread();
                while (done.get() < parts) {
                    LockSupport.park(this);
                }
            }
        }
    }
}
