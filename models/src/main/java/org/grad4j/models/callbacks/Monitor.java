package org.grad4j.models.callbacks;

import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * The part that {@link EarlyStopping}, {@link ModelCheckpoint} and {@link ReduceLROnPlateau} share (Keras'
 * {@code MonitorCallback}): read one quantity from the logs and tell whether a value beats a reference by
 * more than {@code minDelta} in the chosen direction. One instance serves one {@code fit} call.
 */
final class Monitor {
    private final String owner;
    private final String key;
    private final boolean maximize;
    private final double minDelta;
    private final System.Logger log;
    private boolean warned;

    /**
     * @param owner    the callback's class, for messages
     * @param key      the log entry, e.g. {@code val_loss}
     * @param mode     {@link Mode#AUTO} is resolved from {@code key}
     * @param minDelta {@code >= 0}: a change of at most this much is no improvement
     */
    Monitor(Class<?> owner, String key, Mode mode, double minDelta) {
        this.owner = owner.getSimpleName();
        this.key = key;
        this.maximize = mode.resolve(key) == Mode.MAX;
        this.minDelta = minDelta;
        this.log = System.getLogger(owner.getName());
    }

    String key() {
        return key;
    }

    boolean maximize() {
        return maximize;
    }

    /** The starting "best": anything finite beats it. */
    double worst() {
        return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Whether {@code current} is better than {@code reference} by more than {@code minDelta}; NaN never is. */
    boolean improves(double current, double reference) {
        return maximize ? current - minDelta > reference : current + minDelta < reference;
    }

    /**
     * The monitored value, or null when the logs lack it (e.g. {@code val_loss} on an epoch without
     * validation). As Keras does, that is a warning, not an error; it is given once per fit, naming the
     * entries that are there, so a misspelt monitor is easy to spot without flooding the log.
     */
    Double read(Map<String, Double> logs, String consequence) {
        Double value = logs == null ? null : logs.get(key);
        if (value == null && !warned) {
            warned = true;
            log.log(Level.WARNING, owner + ": monitor \"" + key + "\" is not in the logs (available: "
                    + (logs == null || logs.isEmpty() ? "none" : String.join(", ", logs.keySet())) + "); " + consequence);
        }
        return value;
    }

    /** {@code 0.12346}: Keras' five decimals in the callbacks' messages. */
    static String format(double value) {
        return Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf") : String.format(java.util.Locale.ROOT, "%.5f", value);
    }
}
