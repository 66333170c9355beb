package org.grad4j.benchmarks;

import java.util.Arrays;

/** Median, min and max of repeated measurements. */
record Stats(double median, double min, double max) {

    static Stats of(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Stats(median, s[0], s[n - 1]);
    }

    String format(String unit) {
        return String.format("%.2f %s (min %.2f, max %.2f)", median, unit, min, max);
    }
}
