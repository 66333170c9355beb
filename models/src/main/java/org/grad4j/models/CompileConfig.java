package org.grad4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.losses.Loss;
import org.grad4j.losses.Losses;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Metrics;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.Optimizers;

/**
 * Keras' {@code compile_config}: the optimizer and loss as {@code {"class_name", "config"}}, and the metrics,
 * each serialized with the name it logs under ({@code "mae"}, {@code "accuracy"}) or, for an "accuracy" not
 * yet resolved from the data's shapes, as that string. Optimizer state is not here but in {@code optimizer.npz}.
 */
final class CompileConfig {
    private CompileConfig() {
    }

    static Map<String, Object> of(Compiled compiled) {
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("class_name", compiled.optimizer().getClass().getSimpleName());
        optimizer.put("config", compiled.optimizer().config());
        List<Object> metrics = new ArrayList<>();
        for (Metric metric : compiled.metrics()) {
            metrics.add(Metrics.serialize(metric));
        }
        metrics.addAll(compiled.pendingAccuracy());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", optimizer);
        if (compiled.loss() instanceof OutputLosses outputs) {
            outputs.addCompileConfig(out);   // Keras' dicts by output name
            return out;
        }
        out.put("loss", Losses.serialize(compiled.loss()));
        out.put("metrics", metrics);
        return out;
    }

    /** Compiles {@code model} as {@link #of} describes, with a fresh optimizer (no state yet). */
    @SuppressWarnings("unchecked")
    static void compile(Model model, Object compileConfig) {
        if (!(compileConfig instanceof Map<?, ?> config)) {
            throw new IllegalArgumentException("compile_config must be an object, got " + compileConfig);
        }
        Map<String, Object> optimizerConfig = object(config.get("optimizer"), "compile_config.optimizer");
        if (!(optimizerConfig.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("compile_config.optimizer has no \"class_name\"");
        }
        ModelConfigs.requireRegistered(className, Optimizers.registry(), "optimizer", "optimizers");
        Object rawConfig = optimizerConfig.get("config");
        Optimizer optimizer = Optimizers.fromConfig(className,
                rawConfig == null ? Map.of() : object(rawConfig, "compile_config.optimizer.config"));
        if (model instanceof Functional functional && config.get("loss") instanceof Map<?, ?> losses
                && !losses.containsKey("class_name")) {
            OutputLosses.compile(functional, optimizer, (Map<String, Object>) config);
            return;
        }
        Map<String, Object> lossConfig = object(config.get("loss"), "compile_config.loss");
        if (lossConfig.get("class_name") instanceof String lossClass) {
            ModelConfigs.requireRegistered(lossClass, Losses.registry(), "loss", "losses");
        }
        Loss loss = Losses.deserialize(lossConfig);
        List<Object> metrics = new ArrayList<>();
        Object listed = config.get("metrics");
        if (listed != null && !(listed instanceof List)) {
            throw new IllegalArgumentException("compile_config.metrics must be a list, got " + listed);
        }
        for (Object m : listed == null ? List.of() : (List<Object>) listed) {
            if (m instanceof String name) {
                metrics.add(name);
            } else {
                Map<String, Object> metric = object(m, "compile_config.metrics[" + metrics.size() + "]");
                if (!(metric.get("class_name") instanceof String metricClass)) {
                    throw new IllegalArgumentException("compile_config.metrics[" + metrics.size() + "] has no \"class_name\"");
                }
                ModelConfigs.requireRegistered(metricClass, Metrics.registry(), "metric", "metrics");
                Object metricConfig = metric.get("config");
                metrics.add(Metrics.fromConfig(metricClass, metricConfig == null ? Map.of()
                        : object(metricConfig, "compile_config.metrics[" + metrics.size() + "].config")));
            }
        }
        model.compile(optimizer, loss, metrics.toArray());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be an object, got " + value);
        }
        return (Map<String, Object>) value;
    }
}
