package org.grad4j.benchmarks;

/** Something timed in blocks of training steps: one framework's way of training a workload, or a floor. */
interface Side {
    /** A short name for the output line: {@code grad4j_fit}, {@code dl4j}, {@code floor}. */
    String name();

    /** Runs {@code steps} training steps (a multiple of {@link #stepsPerEpoch()}). */
    void run(int steps);

    /** Steps that must run together (one epoch for a {@code fit}-based side); 1 when any count will do. */
    default int stepsPerEpoch() {
        return 1;
    }

    /**
     * The last block's time per step in nanoseconds as the side measured it itself (a process of its own, whose
     * clock leaves out the round trip to it), or NaN for the contest's clock around {@link #run}.
     */
    default double selfTimedNanosPerStep() {
        return Double.NaN;
    }

    /** Whether the side runs in this JVM, so that this process's CPU time during its blocks is its own. */
    default boolean inProcess() {
        return true;
    }
}
