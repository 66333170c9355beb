package org.grad4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.losses.Loss;
import org.grad4j.losses.LossFunctionWrapper;
import org.grad4j.losses.Losses;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Metrics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code CompileLoss} of a model with several outputs: each output's loss on its own targets, times its
 * {@code lossWeights} entry (1 when not given), summed. Targets and predictions arrive packed side by side (see
 * {@link Packing}); an output without a loss is not trained. It also makes the per-output entries of the logs:
 * {@code <output>_loss} (unweighted, as Keras 3 records it, and only when two or more outputs have a loss) and
 * {@code <output>_<metric>}.
 */
final class OutputLosses implements Loss {
    private final List<String> names;
    private final List<Loss> losses;
    private final double[] weights;
    private final Packing predictions;
    /** The layout of the targets: set by fit and evaluate from the arrays they were given. */
    private volatile Packing targets;
    /** What compile was given, as Keras' compile_config records it. */
    private final Map<String, List<Object>> metricSpecs;

    private OutputLosses(List<String> names, List<Loss> losses, double[] weights, Packing predictions,
            Map<String, List<Object>> metricSpecs) {
        this.names = names;
        this.losses = losses;
        this.weights = weights;
        this.predictions = predictions;
        this.metricSpecs = metricSpecs;
    }

    /**
     * The losses by output name (Loss objects or Keras names; an output left out is not trained), their weights
     * (null: all 1) and the metrics by output name (null: none). Unknown names fail, naming the outputs.
     */
    static OutputLosses of(Functional model, Map<String, ?> loss, Map<String, ? extends Number> lossWeights,
            Map<String, ? extends List<?>> metrics) {
        String where = model.describe() + ".compile";
        List<String> names = model.outputNames();
        requireKnown(where, "loss", loss.keySet(), names);
        if (lossWeights != null) {
            requireKnown(where, "lossWeights", lossWeights.keySet(), names);
        }
        if (metrics != null) {
            requireKnown(where, "metrics", metrics.keySet(), names);
        }
        List<Loss> losses = new ArrayList<>();
        double[] weights = new double[names.size()];
        Map<String, List<Object>> specs = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Object l = loss.get(names.get(i));
            if (l != null && !(l instanceof Loss) && !(l instanceof String)) {
                throw new IllegalArgumentException(where + ": the loss of output \"" + names.get(i) + "\" must be a Loss or "
                        + "a Keras name such as \"mse\", got " + l.getClass().getSimpleName() + " " + l);
            }
            losses.add(l instanceof String s ? Losses.get(s) : (Loss) l);
            Number w = lossWeights == null ? null : lossWeights.get(names.get(i));
            weights[i] = w == null ? 1.0 : w.doubleValue();
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException(where + ": the loss weight of output \"" + names.get(i)
                        + "\" must be finite, got " + weights[i]);
            }
            List<?> m = metrics == null ? null : metrics.get(names.get(i));
            specs.put(names.get(i), m == null ? List.of() : new ArrayList<>(m));
        }
        if (losses.stream().allMatch(l -> l == null)) {
            throw new IllegalArgumentException(where + ": no output has a loss; give one for at least one of " + names);
        }
        return new OutputLosses(names, losses, weights, model.outputPacking(), specs);
    }

    private static void requireKnown(String where, String what, java.util.Set<String> keys, List<String> names) {
        for (String key : keys) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException(where + ": " + what + " names an unknown output \"" + key
                        + "\" (outputs: " + String.join(", ", names) + ")");
            }
        }
    }

    /**
     * The logged metrics, as Keras 3 orders them: each output's {@code <output>_loss} (when several outputs have a
     * loss), then each output's metrics
     * as {@code <output>_<name>}; "accuracy" is chosen from the output's loss, else from its shapes on first use.
     */
    List<Metric> metrics(String where) {
        List<Metric> out = new ArrayList<>();
        boolean track = losses.stream().filter(l -> l != null).count() > 1;
        for (int i = 0; track && i < names.size(); i++) {
            if (losses.get(i) != null) {
                out.add(OutputMetric.lossOf(this, i, names.get(i) + "_loss"));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            for (Object m : metricSpecs.get(names.get(i))) {
                Metric metric;
                String name;
                if (m instanceof Metric given) {
                    metric = given;
                    name = given.name();
                } else if (m instanceof String s) {
                    name = s;
                    metric = s.equals("accuracy") || s.equals("acc") ? Compiled.accuracyFor(losses.get(i)) : Metrics.get(s);
                } else {
                    throw new IllegalArgumentException(where + ": a metric of output \"" + names.get(i) + "\" must be a "
                            + "Metric or a Keras name such as \"mae\", got " + m);
                }
                out.add(OutputMetric.of(this, i, metric, names.get(i) + "_" + name));
            }
        }
        return out;
    }

    void targets(Packing targets) {
        if (targets.count() != names.size()) {
            throw new IllegalArgumentException("targets: expected " + names.size() + " arrays " + names + ", got "
                    + targets.count());
        }
        this.targets = targets;
    }

    Tensor target(Tensor packed, int i) {
        Packing t = targets;
        if (t == null) {
            throw new IllegalStateException("the targets of outputs " + names + " are given to fit or evaluate as a list "
                    + "(or a map by output name), one array per output");
        }
        return t.unpack(packed, i);
    }

    /** Output {@code i}'s prediction, carrying that output's mask. */
    Tensor prediction(Tensor packed, int i) {
        return org.grad4j.layers.Masks.attach(predictions.unpack(packed, i), OutputMask.packed(packed, i));
    }

    /** Output {@code i}'s loss, unweighted; a mask on {@code yPred} (that output's) weighs it as Keras' apply_mask. */
    Tensor unweighted(int i, Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor mask = org.grad4j.layers.Masks.of(yPred);
        if (mask == null) {
            return losses.get(i).call(yTrue, yPred, sampleWeight);
        }
        if (!(losses.get(i) instanceof LossFunctionWrapper<?> wrapper)) {
            throw new IllegalArgumentException("output \"" + names.get(i) + "\" carries a mask " + Shapes.format(mask.shape())
                    + " (from a masking layer such as Embedding(maskZero)) that its loss must apply, but loss \""
                    + losses.get(i).name() + "\" cannot take a mask; extend LossFunctionWrapper, or end the output with a "
                    + "layer that drops the mask");
        }
        INDArray values = mask.array();
        INDArray m = (values.dataType() == DataType.BOOL ? values : values.neq(0)).castTo(yPred.dataType());
        return wrapper.call(yTrue, yPred, sampleWeight, Tensor.of(m));
    }

    /** Output {@code i}'s loss times its weight. */
    Tensor weighted(int i, Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor value = unweighted(i, yTrue, yPred, sampleWeight);
        return weights[i] == 1.0 ? value : value.mul(weights[i]);
    }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) {
        return call(yTrue, yPred, null);
    }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Packing t = targets;
        if (t == null) {
            target(yTrue, 0);   // fails with the message that says how targets are given
        }
        List<Tensor> ys = t.unpack(yTrue);
        List<Tensor> ps = predictions.unpack(yPred);
        for (int i = 0; i < ps.size(); i++) {
            org.grad4j.layers.Masks.attach(ps.get(i), OutputMask.packed(yPred, i));
        }
        Tensor total = null;
        for (int i = 0; i < names.size(); i++) {
            if (losses.get(i) != null) {
                Tensor value = weighted(i, ys.get(i), ps.get(i), sampleWeight);
                total = total == null ? value : total.add(value);
            }
        }
        return total;
    }

    @Override
    public void validateLabels(String where, long[] yShape, long[] yPredShape, Tensor yTrue) {
        List<INDArray> ys = targets.unpack(yTrue.array());
        for (int i = 0; i < names.size(); i++) {
            if (losses.get(i) == null) {
                continue;
            }
            long[] p = predictions.sampleShape(i);
            long[] pShape = new long[p.length + 1];
            pShape[0] = yShape[0];
            System.arraycopy(p, 0, pShape, 1, p.length);
            losses.get(i).validateLabels(where + ": output \"" + names.get(i) + "\"", ys.get(i).shape(), pShape,
                    Tensor.of(ys.get(i)));
        }
    }

    @Override
    public String name() {
        return "loss";
    }

    List<String> names() {
        return names;
    }

    Loss loss(int i) {
        return losses.get(i);
    }

    double weight(int i) {
        return weights[i];
    }

    Map<String, List<Object>> metricSpecs() {
        return metricSpecs;
    }

    // ---------------------------------------------------------------- compile_config

    /** Keras' compile_config entries: {@code loss}, {@code loss_weights} and {@code metrics}, each by output name. */
    void addCompileConfig(Map<String, Object> out) {
        Map<String, Object> loss = new LinkedHashMap<>();
        Map<String, Object> weightsByName = new LinkedHashMap<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (losses.get(i) != null) {
                loss.put(names.get(i), Losses.serialize(losses.get(i)));
            }
            weightsByName.put(names.get(i), weights[i]);
            List<Object> list = new ArrayList<>();
            for (Object m : metricSpecs.get(names.get(i))) {
                list.add(m instanceof Metric metric ? Metrics.serialize(metric) : m);
            }
            metrics.put(names.get(i), list);
        }
        out.put("loss", loss);
        out.put("loss_weights", weightsByName);
        out.put("metrics", metrics);
    }

    /** Compiles {@code model} from {@link #addCompileConfig}'s entries with {@code optimizer}. */
    @SuppressWarnings("unchecked")
    static void compile(Functional model, org.grad4j.optimizers.Optimizer optimizer, Map<String, Object> config) {
        Map<String, Object> loss = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) config.get("loss")).entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> serialized)) {
                throw new IllegalArgumentException("compile_config.loss." + e.getKey() + " must be {class_name, config}, got "
                        + e.getValue());
            }
            loss.put(e.getKey(), Losses.deserialize((Map<String, ?>) serialized));
        }
        Map<String, Number> weights = new LinkedHashMap<>();
        if (config.get("loss_weights") instanceof Map<?, ?> w) {
            for (Map.Entry<?, ?> e : w.entrySet()) {
                if (!(e.getValue() instanceof Number n)) {
                    throw new IllegalArgumentException("compile_config.loss_weights." + e.getKey() + " must be a number, got "
                            + e.getValue());
                }
                weights.put((String) e.getKey(), n);
            }
        }
        Map<String, List<Object>> metrics = new LinkedHashMap<>();
        if (config.get("metrics") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                List<Object> list = new ArrayList<>();
                for (Object item : e.getValue() instanceof List<?> l ? l : List.of()) {
                    if (item instanceof Map<?, ?> serialized && serialized.get("class_name") instanceof String className) {
                        Object c = serialized.get("config");
                        list.add(Metrics.fromConfig(className, c instanceof Map<?, ?> cm ? (Map<String, ?>) cm : Map.of()));
                    } else {
                        list.add(item);
                    }
                }
                metrics.put((String) e.getKey(), list);
            }
        }
        model.compile(optimizer, loss, weights, metrics);
    }
}
