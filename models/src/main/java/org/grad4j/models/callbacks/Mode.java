package org.grad4j.models.callbacks;

import java.util.Locale;

/**
 * Keras' {@code mode} of the monitoring callbacks ({@link EarlyStopping}, {@link ModelCheckpoint},
 * {@link ReduceLROnPlateau}): whether a lower or a higher value of the monitored quantity is better.
 */
public enum Mode {
    /** Decide from the monitored name: accuracies, AUC, precision and recall grow; losses and errors shrink. */
    AUTO,
    /** Lower is better (losses, errors). */
    MIN,
    /** Higher is better (accuracies). */
    MAX;

    /** By Keras name: {@code "auto"}, {@code "min"} or {@code "max"} (any case). */
    public static Mode of(String name) {
        if (name != null) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(name.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("Mode: unknown mode " + (name == null ? "null" : "\"" + name + "\"")
                + " (known: auto, min, max)");
    }

    /**
     * {@link #MIN} or {@link #MAX}; {@link #AUTO} looks at {@code monitor} without its {@code val_} prefix.
     * Keras 3 asks the compiled metric for its direction; grad4j's metrics carry none, so the names Keras gives
     * its growing metrics decide ({@code accuracy}, {@code top_k_categorical_accuracy}, {@code auc},
     * {@code precision}, {@code recall}, also with a {@code _1} suffix); every other quantity is minimised.
     */
    public Mode resolve(String monitor) {
        if (this != AUTO) {
            return this;
        }
        String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        name = name.toLowerCase(Locale.ROOT);
        boolean grows = name.contains("acc") || name.startsWith("auc") || name.startsWith("precision")
                || name.startsWith("recall");
        return grows ? MAX : MIN;
    }

    /** The Keras spelling, {@code "min"}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
