package org.grad4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times several sides of one workload in the same run: warm-up blocks first (JIT, workspaces, BLAS
 * buffers), then rounds in which every side runs one block in turn (a, b, c, a, b, c ...), so that
 * machine noise and thermal drift hit them alike. Each block gives one measurement: its time per step.
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
        for (int w = 0; w < warmupBlocks; w++) {
            for (Side side : sides) {
                side.run(stepsPerBlock);
            }
        }
        double[][] samples = new double[sides.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < sides.size(); s++) {
                Side side = sides.get(s);
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

    /** Steps each side takes in total (warm-up and measured), so that the sides' losses can be compared. */
    int totalSteps() {
        return (warmupBlocks + rounds) * stepsPerBlock;
    }
}
