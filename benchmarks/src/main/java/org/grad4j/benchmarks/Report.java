package org.grad4j.benchmarks;

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

    static String timings(Workload w, Map<String, Stats> times) {
        StringBuilder s = new StringBuilder(w.id());
        for (Side side : w.sides()) {
            Stats t = times.get(side.name());
            s.append(' ').append(side.name()).append('=').append(number(t.median())).append(' ').append(w.unit().label())
                    .append(" (").append(number(t.min())).append('–').append(number(t.max())).append(')');
        }
        double dl4j = times.get(w.dl4j().name()).median();
        boolean several = w.grad4j().size() > 1;
        for (String other : w.floor() == null ? List.of("dl4j") : List.of("dl4j", "floor")) {
            double base = other.equals("dl4j") ? dl4j : times.get(w.floor().name()).median();
            for (Trainee g : w.grad4j()) {
                String variant = several ? "(" + g.name().substring(g.name().indexOf('_') + 1) + ")" : "";
                s.append(' ').append("ratio_").append(other).append(variant).append('=')
                        .append(String.format(Locale.ROOT, "%.2f", times.get(g.name()).median() / base));
            }
        }
        if (w.unit() == StepUnit.MILLIS) {
            s.append(" | samples/s");
            for (Side side : w.sides()) {
                double seconds = w.unit().toSeconds(times.get(side.name()).median());
                s.append(' ').append(side.name()).append('=').append(String.format(Locale.ROOT, "%.0f", w.batchSize() / seconds));
            }
        }
        if (w.flopsPerStep() > 0) {
            s.append(" | GFLOP/s");
            for (Side side : w.sides()) {
                double seconds = w.unit().toSeconds(times.get(side.name()).median());
                s.append(' ').append(side.name()).append('=').append(String.format(Locale.ROOT, "%.1f", w.flopsPerStep() / seconds / 1e9));
            }
        }
        return s.toString();
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
