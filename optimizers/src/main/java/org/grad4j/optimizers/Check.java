package org.grad4j.optimizers;

/**
 * Hyper-parameter checks shared by every rule and schedule. Each names its owner and the value it
 * got, e.g. {@code Adam: beta_1 must be in [0, 1), got 1.0}, and runs before anything is assigned.
 */
final class Check {
    private Check() {
    }

    /** A finite value {@code > 0} (learning rates, clip thresholds, decay steps). */
    static double positive(String owner, String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be positive, got " + value);
        }
        return value;
    }

    /** A count {@code > 0} (decay steps). */
    static long positive(String owner, String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be positive, got " + value);
        }
        return value;
    }

    /** A count {@code >= 0} (warmup steps). */
    static long nonNegative(String owner, String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A finite value {@code >= 0} (epsilon, weight decay, initial accumulator). */
    static double nonNegative(String owner, String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A value in {@code [0, 1)} (betas, rho: an average that must forget). */
    static double fraction(String owner, String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** A value in {@code [0, 1]} (momentum, as Keras allows). */
    static double unitInterval(String owner, String what, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1], got " + value);
        }
        return value;
    }
}
