package org.grad4j.benchmarks;

/** The unit a workload reports its step time in: microseconds for the seed-sized ones, milliseconds for the MLPs. */
enum StepUnit {
    MICROS("µs/step", 1e3),
    MILLIS("ms/step", 1e6);

    private final String label;
    private final double nanosPerUnit;

    StepUnit(String label, double nanosPerUnit) {
        this.label = label;
        this.nanosPerUnit = nanosPerUnit;
    }

    String label() {
        return label;
    }

    double fromNanos(double nanos) {
        return nanos / nanosPerUnit;
    }

    /** The value in seconds, for throughput figures. */
    double toSeconds(double value) {
        return value * nanosPerUnit / 1e9;
    }
}
