package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output lines of a workload, in the shape:
 * {@code W4 grad4j=… dl4j=… floor=… ratio_dl4j=… ratio_floor=…}, each median followed by its min–max, and
 * for W1/W2 both grad4j variants with a ratio each. Ratios are grad4j's median over the other's.
 */
final class Report {
    private Report() {
    }

    /** The name under which PyTorch's times join a workload's, when it ran. */
    static final String TORCH = "torch";

    /**
     * The timing line. {@code times} holds every side's by name and, when PyTorch ran the workload too, its
     * times under {@link #TORCH}: they follow DL4J's, and {@code ratio_torch} follows {@code ratio_dl4j}.
     */
    static String timings(Workload w, Map<String, Stats> times) {
        List<String> names = new ArrayList<>();
        for (Side side : w.sides()) {
            names.add(side.name());
            if (side == w.dl4j() && times.containsKey(TORCH)) {
                names.add(TORCH);
            }
        }
        StringBuilder s = new StringBuilder(w.id());
        for (String name : names) {
            Stats t = times.get(name);
            s.append(' ').append(name).append('=').append(number(t.median())).append(' ').append(w.unit().label())
                    .append(" (").append(number(t.min())).append('–').append(number(t.max())).append(')');
        }
        boolean several = w.grad4j().size() > 1;
        List<String> peers = new ArrayList<>(List.of(w.dl4j().name()));
        if (times.containsKey(TORCH)) {
            peers.add(TORCH);
        }
        if (w.floor() != null) {
            peers.add(w.floor().name());
        }
        for (String other : peers) {
            double base = times.get(other).median();
            for (Trainee g : w.grad4j()) {
                String variant = several ? "(" + g.name().substring(g.name().indexOf('_') + 1) + ")" : "";
                s.append(' ').append("ratio_").append(other).append(variant).append('=')
                        .append(String.format(Locale.ROOT, "%.2f", times.get(g.name()).median() / base));
            }
        }
        if (w.unit() == StepUnit.MILLIS) {
            s.append(" | samples/s");
            for (String name : names) {
                double seconds = w.unit().toSeconds(times.get(name).median());
                s.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.0f", w.batchSize() / seconds));
            }
        }
        if (w.flopsPerStep() > 0) {
            s.append(" | GFLOP/s");
            for (String name : names) {
                double seconds = w.unit().toSeconds(times.get(name).median());
                s.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.1f", w.flopsPerStep() / seconds / 1e9));
            }
        }
        return s.toString();
    }

    /** Seconds per training epoch of each side (median step × steps per epoch), or null when the workload has no epoch. */
    static String epochs(Workload w, Map<String, Stats> times) {
        if (w.stepsPerEpoch() <= 0) {
            return null;
        }
        StringBuilder s = new StringBuilder(w.id()).append(" seconds per epoch (").append(w.stepsPerEpoch()).append(" steps):");
        for (Map.Entry<String, Stats> e : times.entrySet()) {
            double seconds = w.unit().toSeconds(e.getValue().median()) * w.stepsPerEpoch();
            s.append(' ').append(e.getKey()).append('=').append(String.format(Locale.ROOT, "%.2f", seconds));
        }
        return s.toString();
    }

    /**
     * Each side's CPU time over its measured blocks, user and system, system's share, and per step the read
     * calls and minor page faults (native allocation shows in both).
     */
    static String usage(Workload w, Map<String, ProcessUsage> usage) {
        long steps = (long) w.contest().rounds() * w.contest().stepsPerBlock();
        StringBuilder s = new StringBuilder(w.id()).append(" CPU over the measured blocks:");
        String sep = " ";
        for (Map.Entry<String, ProcessUsage> e : usage.entrySet()) {
            s.append(sep).append(e.getKey()).append(' ').append(cpu(e.getValue(), steps));
            sep = "; ";
        }
        return s.toString();
    }

    /** {@code user 3.10 s sys 0.20 s (sys 6 %), reads 0.5/step, minor faults 2.1/step}. */
    static String cpu(ProcessUsage u, long steps) {
        String s = String.format(Locale.ROOT, "user %.2f s sys %.2f s (sys %.0f %%)", u.userSeconds(), u.systemSeconds(),
                u.systemPercent());
        if (u.readCalls() >= 0) {
            s += String.format(Locale.ROOT, ", reads %.1f/step", (double) u.readCalls() / steps);
        }
        return s + String.format(Locale.ROOT, ", minor faults %.1f/step", (double) u.minorFaults() / steps);
    }

    /** Each trainee's loss over the training set before and after the same number of steps. */
    static String losses(Workload w, Map<String, double[]> startAndEnd) {
        StringBuilder s = new StringBuilder(w.id()).append(" loss after ").append(w.contest().totalSteps()).append(" steps:");
        for (Trainee t : w.trainees()) {
            double[] v = startAndEnd.get(t.name());
            s.append(' ').append(t.name()).append(' ').append(String.format(Locale.ROOT, "%.4g→%.4g", v[0], v[1]));
        }
        return s.toString();
    }

    private static String number(double v) {
        String format = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, format, v);
    }
}
