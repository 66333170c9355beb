package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output lines keep the shape: medians with min–max, then grad4j's ratios to each peer. */
class ReportTest {

    private static Trainee named(String name) {
        return new Trainee() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(int steps) {
            }

            @Override
            public double loss() {
                return 0;
            }
        };
    }

    @Test
    void seedWorkloadReportsBothGrad4jVariantsAgainstDl4j() {
        Workload w = new Workload("W1", "", StepUnit.MICROS, new Contest(0, 5, 10),
                List.of(named("grad4j_fit"), named("grad4j_tape")), named("dl4j"), null, 1, 0);
        Map<String, Stats> times = Map.of(
                "grad4j_fit", new Stats(90, 80, 100),
                "grad4j_tape", new Stats(45, 40, 50),
                "dl4j", new Stats(450, 400, 500));
        assertEquals("W1 grad4j_fit=90.0 µs/step (80.0–100) grad4j_tape=45.0 µs/step (40.0–50.0) dl4j=450 µs/step (400–500)"
                + " ratio_dl4j(fit)=0.20 ratio_dl4j(tape)=0.10", Report.timings(w, times));
    }

    @Test
    void mlpWorkloadAddsFloorRatioThroughputAndGflops() {
        Workload w = new Workload("W5", "", StepUnit.MILLIS, new Contest(0, 5, 10), List.of(named("grad4j")), named("dl4j"),
                named("floor"), 256, 4_000_000_000L);
        Map<String, Stats> times = Map.of(
                "grad4j", new Stats(80, 70, 90),
                "dl4j", new Stats(200, 190, 210),
                "floor", new Stats(40, 39, 41));
        assertEquals("W5 grad4j=80.0 ms/step (70.0–90.0) dl4j=200 ms/step (190–210) floor=40.0 ms/step (39.0–41.0)"
                + " ratio_dl4j=0.40 ratio_floor=2.00 | samples/s grad4j=3200 dl4j=1280 floor=6400"
                + " | GFLOP/s grad4j=50.0 dl4j=20.0 floor=100.0", Report.timings(w, times));
    }

    @Test
    void torchFollowsDl4jInTimesAndRatiosAndEpochsUseTheTutorialsSteps() {
        Workload w = new Workload("W6", "", StepUnit.MILLIS, new Contest(0, 5, 10), List.of(named("grad4j")), named("dl4j"),
                named("floor"), 32, 0, 1875, null);
        Map<String, Stats> times = new java.util.LinkedHashMap<>();
        times.put("grad4j", new Stats(2, 1.5, 3));
        times.put("dl4j", new Stats(4, 3, 5));
        times.put("floor", new Stats(0.5, 0.4, 0.6));
        times.put(Report.TORCH, new Stats(1, 0.9, 1.1));
        assertEquals("W6 grad4j=2.00 ms/step (1.50–3.00) dl4j=4.00 ms/step (3.00–5.00) torch=1.00 ms/step (0.90–1.10)"
                + " floor=0.50 ms/step (0.40–0.60) ratio_dl4j=0.50 ratio_torch=2.00 ratio_floor=4.00"
                + " | samples/s grad4j=16000 dl4j=8000 torch=32000 floor=64000", Report.timings(w, times));
        assertEquals("W6 seconds per epoch (1875 steps): grad4j=3.75 dl4j=7.50 floor=0.94 torch=1.88", Report.epochs(w, times));
    }
}
