package org.grad4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times several sides of one workload in the same run: warm-up blocks first (JIT, workspaces, BLAS
 * buffers; see {@link #WARMUP_STEPS}), then rounds in which every side runs one block in turn (a, b, c, a, b,
 * c ...), so that machine noise and thermal drift hit them alike. Each block gives one measurement: its time per step.
 * Every timed block, of every side, starts after a pause of {@link #SETTLE_MILLIS}, so that no side is timed
 * beside the threads another side left spinning.
 *
 * @param warmupBlocks  blocks per side before measuring
 * @param rounds        measured blocks per side (at least 5 for the medians)
 * @param stepsPerBlock steps per block; a multiple of every side's steps per epoch
 */
record Contest(int warmupBlocks, int rounds, int stepsPerBlock) {

    Contest {
        if (warmupBlocks < 0 || rounds < 1 || stepsPerBlock < 1) {
            throw new IllegalArgumentException("Contest: needs warmupBlocks >= 0, rounds >= 1 and stepsPerBlock >= 1, got "
                    + warmupBlocks + ", " + rounds + ", " + stepsPerBlock);
        }
    }

    /** The time per step of each side, by name, in {@code unit}. */
    Map<String, Stats> run(List<? extends Side> sides, StepUnit unit) {
        return run(sides, unit, null);
    }

    /**
     * As {@link #run(List, StepUnit)}, and when {@code usage} is given, adds to it each side's CPU time and
     * kernel counters over its measured blocks, by name.
     */
    Map<String, Stats> run(List<? extends Side> sides, StepUnit unit, Map<String, ProcessUsage> usage) {
        for (Side side : sides) {
            if (stepsPerBlock % side.stepsPerEpoch() != 0) {
                throw new IllegalArgumentException("Contest: " + side.name() + " runs whole epochs of "
                        + side.stepsPerEpoch() + " steps, but a block has " + stepsPerBlock);
            }
        }
        // warm-up blocks are not timed, so they need no pause before them
        for (int w = 0; w < warmupBlocks; w++) {
            for (Side side : sides) {
                side.run(stepsPerBlock);
            }
        }
        double[][] samples = new double[sides.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < sides.size(); s++) {
                Side side = sides.get(s);
                settle();
                ProcessUsage before = usage == null ? null : ProcessUsage.now();
                long t0 = System.nanoTime();
                side.run(stepsPerBlock);
                double own = side.selfTimedNanosPerStep();
                samples[s][r] = unit.fromNanos(Double.isNaN(own) ? (double) (System.nanoTime() - t0) / stepsPerBlock : own);
                if (usage != null && side.inProcess()) {
                    usage.merge(sides.get(s).name(), ProcessUsage.now().minus(before), ProcessUsage::plus);
                }
            }
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        for (int s = 0; s < sides.size(); s++) {
            out.put(sides.get(s).name(), Stats.of(samples[s]));
        }
        return out;
    }

    /**
     * The pause before each block. After a product on OpenBLAS's own threads (DL4J's and the floor's products
     * use two) its idle worker spins on {@code sched_yield} for about 130-140 ms of a core (measured after the
     * W5 floor's last product: the process's CPU time in 20 ms windows), and the side timed next shares the
     * machine's two cores with it. The floor and DL4J run on that same pool and lose nothing; grad4j's products run
     * on its own threads, so its blocks, which came right after the floor's, were timed beside the spinning
     * worker: in one JVM, W5's fit block right after the floor took 58.9 ms a step against 56.3 ms after a
     * 300 ms pause (medians of 12 blocks of 8 steps each way, alternating), the same as a second grad4j block
     * after the first (55.9-56.1). A user's process has no such worker beside grad4j, and a pause costs the other
     * sides nothing.
     */
    static final long SETTLE_MILLIS = 250;

    /**
     * Warm-up steps a full-scale workload gives every side at least. HotSpot compiles a method with C1 once it has
     * been called about 200 times (and with C2 after thousands), so code that runs once or a few times a step, the
     * fit loop, each layer's call, the tape, stays interpreted for the first hundreds of steps and is compiled
     * while they run, on the cores the step needs. W5 had one warm-up block of 8 steps: its grad4j blocks ran
     * beside 40-110 ms of compiler threads each (of ~500 ms), and alone in a JVM its step was 1.27-1.34x its floor
     * (three runs); after 320 warm-up steps 1.19x, its blocks within 56-58 ms; after 256, 1.16x and 1.24x. A
     * user's training runs thousands of steps: the steady state is what is timed. The quick scale keeps its one or
     * two warm-up blocks: it is a short look, not the table's figures.
     */
    static final int WARMUP_STEPS = 256;

    /** Warm-up blocks of {@code stepsPerBlock} steps that make at least {@link #WARMUP_STEPS} steps. */
    static int warmupBlocksFor(int stepsPerBlock) {
        return (WARMUP_STEPS + stepsPerBlock - 1) / stepsPerBlock;
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Contest: interrupted while settling between blocks", e);
        }
    }

    /** Steps each side takes in total (warm-up and measured), so that the sides' losses can be compared. */
    int totalSteps() {
        return (warmupBlocks + rounds) * stepsPerBlock;
    }
}
