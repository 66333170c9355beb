package org.grad4j.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.Loss;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.metrics.BinaryAccuracy;
import org.grad4j.metrics.CategoricalAccuracy;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Metrics;
import org.grad4j.metrics.SparseCategoricalAccuracy;
import org.grad4j.optimizers.Optimizer;

/**
 * What {@code compile} fixed: the optimizer, the loss and the metrics under the names they are logged as.
 * A metric given by name is logged under that name ({@code "mae"}), as Keras does; {@code "accuracy"} is
 * resolved from the loss, or from the label and prediction shapes when the loss does not tell.
 */
record Compiled(Optimizer optimizer, Loss loss, List<Metric> metrics, List<String> pendingAccuracy) {

    static Compiled of(Model model, Optimizer optimizer, Loss loss, Object... metrics) {
        String where = model.describe() + ".compile";
        requireBoth(model, optimizer, loss);
        List<Metric> resolved = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Set<String> names = new HashSet<>(Set.of("loss"));
        for (Object m : metrics == null ? new Object[0] : metrics) {
            Metric metric;
            String name;
            if (m instanceof Metric given) {
                metric = given;
                name = given.name();
            } else if (m instanceof String s) {
                name = s;
                if (s.equals("accuracy") || s.equals("acc")) {
                    metric = accuracyFor(loss);
                    if (metric == null) {
                        pending.add(s);   // decided by the shapes on the first batch, as Keras does
                    }
                } else {
                    metric = Metrics.get(s);
                }
                if (metric != null) {
                    metric.name(s);
                }
            } else {
                throw new IllegalArgumentException(where + ": a metric must be a Metric or a Keras name such as \"accuracy\" "
                        + "or \"mae\", got " + (m == null ? "null" : m.getClass().getSimpleName() + " " + m));
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": two metrics are named \"" + name + "\"; rename one with "
                        + "metric.name(...)");
            }
            if (metric != null) {
                resolved.add(metric);
            }
        }
        return new Compiled(optimizer, loss, List.copyOf(resolved), List.copyOf(pending));
    }

    /**
     * Fails when the optimizer or the loss (an object or a Keras name) is null, before a name is looked up:
     * {@code compile: optimizer is null} rather than {@code unknown optimizer "null"}.
     */
    static void requireBoth(Model model, Object optimizer, Object loss) {
        String where = model.describe() + ".compile";
        if (optimizer == null) {
            throw new IllegalArgumentException(where + ": optimizer is null; give one, e.g. new Adam(0.001) or \"adam\"");
        }
        if (loss == null) {
            throw new IllegalArgumentException(where + ": loss is null; give one, e.g. new MeanSquaredError() or \"mse\"");
        }
    }

    /**
     * Keras' choice for "accuracy": binary for binary cross-entropy (thresholding logits at 0 rather than
     * Keras' 0.5 when the loss takes logits, since logit 0 is probability 0.5), sparse categorical for sparse
     * labels, categorical for one-hot; null when the loss does not say.
     */
    static Metric accuracyFor(Loss loss) {
        if (loss instanceof BinaryCrossentropy bce) {
            return bce.fromLogits() ? new BinaryAccuracy(0.0) : new BinaryAccuracy();
        }
        if (loss instanceof SparseCategoricalCrossentropy) {
            return new SparseCategoricalAccuracy();
        }
        if (loss instanceof CategoricalCrossentropy) {
            return new CategoricalAccuracy();
        }
        return null;
    }

    /** Keras' shape rule for "accuracy" with other losses: one output is binary, fewer label axes sparse. */
    static Metric accuracyForShapes(long[] yTrue, long[] yPred) {
        if (yPred.length == 0 || yPred[yPred.length - 1] == 1) {
            return new BinaryAccuracy();
        }
        if (yTrue.length < yPred.length || yTrue[yTrue.length - 1] == 1) {
            return new SparseCategoricalAccuracy();
        }
        return new CategoricalAccuracy();
    }

    /** The metrics with any "accuracy" decided from the first batch's shapes; keeps the compile order otherwise. */
    Compiled resolve(long[] yTrue, long[] yPred) {
        if (pendingAccuracy.isEmpty()) {
            return this;
        }
        List<Metric> all = new ArrayList<>(metrics);
        for (String name : pendingAccuracy) {
            all.add(accuracyForShapes(yTrue, yPred).name(name));
        }
        return new Compiled(optimizer, loss, List.copyOf(all), List.of());
    }

    Compiled {
        Objects.requireNonNull(optimizer);
        Objects.requireNonNull(loss);
    }
}
