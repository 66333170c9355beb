package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each workload, shrunk to a few steps, trains on both sides: the loss over the training set is finite
 * and lower after the steps than before, for each grad4j variant and for DL4J. W5 is left out: it is built
 * by the same code as W4 (only the widths differ), and Adam's first steps overshoot on its wide layers on
 * both sides (2.39 to 4.4 and 5.2 after 2 steps), so a falling loss needs about 8 of its ~10-GFLOP steps
 * per side, some 6 s, more than this module may add to CI.
 */
class WorkloadsTest {
    private static final Contest NOT_TIMED = new Contest(0, 1, 1);

    static Stream<Arguments> workloads() {
        return Stream.of(
                workload("W1", () -> Workloads.seedRegression(NOT_TIMED), 100),
                workload("W2", () -> Workloads.seedClassification(NOT_TIMED), 100),
                workload("W3", () -> Workloads.linearRegression(320, NOT_TIMED), 40),
                workload("W4", () -> Workloads.mlpMnistShape(256, NOT_TIMED), 6),
                workload("W6", () -> Workloads.tutorial(FashionData.synthetic(256, 9), "synthetic", NOT_TIMED), 8),
                // one batch of 128, three steps on it: W7's steps are ~0.1 s (grad4j) to ~0.4 s (DL4J) each
                workload("W7", () -> Workloads.convnet(FashionData.asImages(FashionData.synthetic(128, 11)), "synthetic",
                        NOT_TIMED), 3));
    }

    private static Arguments workload(String id, Supplier<Workload> create, int steps) {
        return Arguments.of(Named.of(id, create), steps);
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void everySideLowersTheLoss(Supplier<Workload> create, int steps) {
        Workload w = create.get();
        for (Trainee t : w.trainees()) {
            double before = t.loss();
            t.run(steps);
            double after = t.loss();
            assertTrue(Double.isFinite(before) && Double.isFinite(after),
                    w.id() + " " + t.name() + ": loss must be finite, went " + before + " -> " + after);
            assertTrue(after < before, w.id() + " " + t.name() + ": loss must fall over " + steps + " steps, went "
                    + before + " -> " + after);
        }
    }

    @Test
    void theConvnetsPhasesRunOnImages() {
        Workload w = Workloads.convnet(FashionData.asImages(FashionData.synthetic(256, 12)), "synthetic", NOT_TIMED);
        PhasedStep.Result r = w.phases().run(3);   // crosses the epoch of 2 steps
        assertEquals(3, r.steps());
        assertTrue(r.nanos()[2] > 0 && r.nanos()[3] > 0, r.format());
    }

    @Test
    void theTutorialsPhasesAccountForEveryStep() {
        Workload w = Workloads.tutorial(FashionData.synthetic(96, 10), "synthetic", NOT_TIMED);
        PhasedStep.Result r = w.phases().run(5);   // crosses an epoch of 3 steps, so the shuffle is re-done
        assertEquals(5, r.steps());
        assertEquals(PhasedStep.PHASES.size(), r.nanos().length);
        for (int p = 0; p < r.nanos().length; p++) {
            assertTrue(r.nanos()[p] > 0, PhasedStep.PHASES.get(p) + " took no time: " + r.format());
        }
        assertTrue(r.format().startsWith(String.format(java.util.Locale.ROOT, "%.3f ms/step: slicing ",
                java.util.Arrays.stream(r.nanos()).sum() / 1e6 / 5)), r.format());
    }

    @Test
    void theMlpsPhasesRunOnTheirOwnModel() {
        Workload w = Workloads.mlpMnistShape(256, NOT_TIMED);
        double before = w.grad4j().get(0).loss();
        PhasedStep.Result r = w.phases().run(3);   // crosses the epoch of 2 steps
        assertEquals(3, r.steps());
        assertTrue(r.nanos()[2] > 0 && r.nanos()[3] > 0 && r.nanos()[4] > 0, r.format());
        assertEquals(before, w.grad4j().get(0).loss(), 0.0, "the phased steps moved the fit side's weights");
    }
}
