package org.grad4j.losses;

/** The one check on a label-smoothing factor. */
final class Smoothing {
    private Smoothing() {
    }

    static double require(String loss, double smoothing) {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(loss + ": label smoothing must be in [0, 1], got " + smoothing);
        }
        return smoothing;
    }
}
