package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One of the issues' workloads, ready to run: grad4j's ways of training it, DL4J's, and (W4–W7) the GEMM
 * floor, with how they are timed.
 *
 * @param id           {@code W1} .. {@code W7}
 * @param description  what it trains, for the output
 * @param unit         how step times are reported
 * @param contest      warm-up, rounds and block size
 * @param grad4j       grad4j's sides (W1/W2: fit and tape loop)
 * @param dl4j         DL4J's side
 * @param floor        the raw GEMMs of one step, or null
 * @param batchSize    samples per step, for samples/s
 * @param flopsPerStep the floor's floating-point operations a step (MLPs: 6 × kernel entries × batch size), or 0 when
 *                     GFLOP/s is not reported
 * @param stepsPerEpoch steps of a training epoch, to report seconds per epoch, or 0 to leave them out
 * @param phases       grad4j's step with a clock between its phases, or null
 */
record Workload(String id, String description, StepUnit unit, Contest contest, List<Trainee> grad4j, Trainee dl4j,
        Side floor, int batchSize, long flopsPerStep, int stepsPerEpoch, PhasedStep phases) {

    Workload {
        grad4j = List.copyOf(grad4j);
    }

    Workload(String id, String description, StepUnit unit, Contest contest, List<Trainee> grad4j, Trainee dl4j,
            Side floor, int batchSize, long flopsPerStep) {
        this(id, description, unit, contest, grad4j, dl4j, floor, batchSize, flopsPerStep, 0, null);
    }

    /** grad4j's sides, DL4J and the floor, in the order they alternate. */
    List<Side> sides() {
        List<Side> all = new ArrayList<>(grad4j);
        all.add(dl4j);
        if (floor != null) {
            all.add(floor);
        }
        return all;
    }

    List<Trainee> trainees() {
        List<Trainee> all = new ArrayList<>(grad4j);
        all.add(dl4j);
        return all;
    }
}
