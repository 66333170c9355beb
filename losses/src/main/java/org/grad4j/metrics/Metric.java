package org.grad4j.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * A stateful metric, as Keras 3's {@code keras.metrics.Metric}: {@link #updateState} folds in one batch,
 * {@link #result()} reads the value over every batch since the last {@link #reset()}. Metrics read the
 * tensors' arrays without recording anything on the autodiff graph and accumulate in double precision.
 */
public abstract class Metric {
    private final String defaultName;
    private String name;

    /** @param name the Keras name, e.g. {@code binary_accuracy} */
    protected Metric(String name) {
        this.name = requireName(name);
        this.defaultName = name;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Metric: the name must not be empty, got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        return name;
    }

    /** The name, e.g. {@code accuracy}: the key of this metric in a training history. */
    public String name() {
        return name;
    }

    /** Renames this metric (e.g. to {@code mae}, as the user typed it); returns this metric. */
    public Metric name(String name) {
        this.name = requireName(name);
        return this;
    }

    /** Folds in one batch without sample weights. */
    public void updateState(Tensor yTrue, Tensor yPred) {
        updateState(yTrue, yPred, null);
    }

    /**
     * Folds in one batch. Invalid input fails before the state changes.
     *
     * @param yTrue        targets, e.g. {@code [batch, classes]} or class indices {@code [batch]}
     * @param yPred        predictions, e.g. {@code [batch, classes]}
     * @param sampleWeight null, a scalar or per-sample weights such as {@code [batch]}
     */
    public abstract void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight);

    /** The value over every batch since the last reset (0 before any data, as Keras' {@code divide_no_nan}). */
    public abstract double result();

    /** Forgets every batch (Keras' {@code reset_state}). */
    public abstract void reset();

    /** Keras' {@code get_config()}: name, dtype and the metric's own settings, for {@link Metrics#fromConfig}. */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("dtype", "float32");
        addConfig(config);
        return config;
    }

    /** Adds the subclass' own settings to {@link #config()}, under Keras' keys. */
    protected void addConfig(Map<String, Object> config) {
    }

    /**
     * For error messages: the class name, plus the name when it was changed, e.g. {@code Precision} or
     * {@code val_precision (Precision)}.
     */
    protected String describe() {
        String type = getClass().getSimpleName();
        return name.equals(defaultName) ? type : name + " (" + type + ")";
    }

    @Override
    public String toString() {
        return name + "=" + result();
    }
}
