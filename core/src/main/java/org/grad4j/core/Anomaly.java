package org.grad4j.core;

/**
 * Anomaly detection, as PyTorch's {@code detect_anomaly}: while enabled, every recorded op keeps the
 * Java stack trace of its forward call, and a NaN or Inf produced by a backward rule raises an
 * {@link AnomalyException} naming the op, with that trace as its cause. It slows every op down; switch
 * it on to hunt a NaN, not for training.
 */
public final class Anomaly {
    private static volatile boolean enabled;

    private Anomaly() {
    }

    public static void enable(boolean on) {
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }
}
