package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;
import org.grad4j.losses.Losses;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Optimizers;

/**
 * Keras' config schema on the way in and out. grad4j's configs already use Keras' keys, so reading a Keras
 * file is mostly removing what Keras adds ({@code module}, {@code registered_name}, {@code shared_object_id})
 * and refusing what grad4j would silently ignore: an option a layer or optimizer does not have is accepted
 * only when its value is inert (null, false, empty), otherwise the import fails naming the class, the option
 * and the options the class has. Writing adds Keras 3's {@code module} keys and {@code DTypePolicy} objects.
 */
final class KerasConfigs {
    /** Keras options that change nothing in grad4j whatever their value (single-device, eager Java). */
    private static final Set<String> INERT_ANY_VALUE = Set.of("synchronized", "jit_compile", "ema_momentum",
            "input_length", "ragged", "is_legacy_optimizer", "implementation");

    /**
     * Keras 3 serializes some initializers by a class name that is not their short public name: a recurrent
     * layer's default recurrent_initializer is written {@code OrthogonalInitializer}. grad4j registers the short
     * names, which Keras also accepts on reading.
     */
    private static final Map<String, String> INITIALIZER_CLASSES = Map.of("OrthogonalInitializer", "Orthogonal",
            "IdentityInitializer", "Identity");

    /** Integer input dtypes, read as float32 inputs (see {@link #layer}). */
    private static final Set<String> INTEGER_INPUTS = Set.of("int32", "int64", "int16", "int8", "uint8", "uint16",
            "uint32");

    /** What Keras itself writes on every object, whatever the class. */
    private static final Set<String> GENERIC = Set.of("name", "trainable", "dtype");

    private KerasConfigs() {
    }

    // ---------------------------------------------------------------- reading

    /** The grad4j model a Keras {@code {"class_name", "config"}} model tree describes: Sequential only. */
    static Sequential model(Map<String, Object> top) {
        Object className = top.get("class_name");
        if (!"Sequential".equals(className)) {
            throw new IllegalArgumentException("the file holds a Keras " + className + " model; the Keras importer reads "
                    + "Sequential models (supported model classes: Sequential)");
        }
        return Sequential.fromConfig(sequentialConfig(G4jFormat.object(top.get("config"), "Sequential config")));
    }

    /** The grad4j model a Keras 3 {@code config.json} or a Keras 2 {@code model_config} describes: Sequential or Functional. */
    static Model anyModel(Map<String, Object> top) {
        Object className = top.get("class_name");
        if ("Functional".equals(className) || "Model".equals(className) && isFunctional(top.get("config"))) {
            return Functional.fromConfig(functionalConfig(G4jFormat.object(top.get("config"), "Functional config")));
        }
        if (!"Sequential".equals(className)) {
            throw new IllegalArgumentException("the file holds a Keras " + className + " model; the Keras importer reads "
                    + "Sequential and Functional models (supported model classes: Sequential, Functional)");
        }
        return model(top);
    }

    /** Keras names a functional model built with {@code keras.Model(inputs, outputs)} "Functional"; older files "Model". */
    private static boolean isFunctional(Object config) {
        return config instanceof Map<?, ?> map && map.containsKey("input_layers") && map.containsKey("output_layers");
    }

    /** A Keras Sequential config as grad4j's. */
    private static Map<String, Object> sequentialConfig(Map<String, Object> config) {
        if (!(config.get("layers") instanceof List<?> layers)) {
            throw new IllegalArgumentException("the Sequential config has no \"layers\" list (keys: " + config.keySet() + ")");
        }
        Map<String, Object> out = generic(config);
        List<Map<String, Object>> translated = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> layer = G4jFormat.object(layers.get(i), "layers[" + i + "]");
            translated.addAll(layer(layer, i, translated.isEmpty()));
        }
        out.put("layers", translated);
        if (config.get("build_input_shape") instanceof List<?> shape) {
            out.put("build_input_shape", shape);
        }
        return out;
    }

    /**
     * A Keras functional config as grad4j's: each layer translated as in a Sequential model, keeping its
     * {@code name} and {@code inbound_nodes}; the graph itself is checked when grad4j rebuilds it.
     */
    private static Map<String, Object> functionalConfig(Map<String, Object> config) {
        if (!(config.get("layers") instanceof List<?> layers)) {
            throw new IllegalArgumentException("the Functional config has no \"layers\" list (keys: " + config.keySet() + ")");
        }
        Map<String, Object> out = generic(config);
        List<Map<String, Object>> translated = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> entry = G4jFormat.object(layers.get(i), "layers[" + i + "]");
            Map<String, Object> layer = new LinkedHashMap<>(layer(entry, i, false).get(0));
            layer.put("name", entry.get("name"));
            layer.put("inbound_nodes", Keras2Nodes.asKeras3(entry.get("inbound_nodes"), String.valueOf(entry.get("name")),
                    String.valueOf(entry.get("class_name"))));
            translated.add(layer);
        }
        boolean keras2 = false;
        for (int i = 0; i < layers.size(); i++) {
            keras2 |= Keras2Nodes.isKeras2(G4jFormat.object(layers.get(i), "layers[" + i + "]").get("inbound_nodes"));
        }
        Set<String> models = new java.util.HashSet<>();
        for (Map<String, Object> layer : translated) {
            if ("Functional".equals(layer.get("class_name")) || keras2 && startsWithInput(layer)) {
                models.add(String.valueOf(layer.get("name")));
            }
        }
        for (Map<String, Object> layer : translated) {
            layer.put("inbound_nodes", shiftNodes(layer.get("inbound_nodes"), models, -1));
        }
        out.put("layers", translated);
        out.put("input_layers", config.get("input_layers"));
        out.put("output_layers", shiftNodes(config.get("output_layers"), models, -1));
        return out;
    }

    /**
     * Keras 2's Sequential is a functional model: built with an input shape it has a node of its own, so a parent
     * counts its calls from 1 as for any functional model (Keras 3's Sequential has no such node).
     */
    private static boolean startsWithInput(Map<String, Object> layer) {
        return "Sequential".equals(layer.get("class_name")) && layer.get("config") instanceof Map<?, ?> config
                && config.get("layers") instanceof List<?> inner && !inner.isEmpty()
                && inner.get(0) instanceof Map<?, ?> first && "InputLayer".equals(first.get("class_name"));
    }

    /**
     * A copy of {@code value} with the node index of every reference ({@code keras_history} or an
     * {@code output_layers} triple) to one of {@code models} moved by {@code delta}. Keras counts a functional
     * model's nodes from 1 in its parent's config (its node 0 is the one that links its own inputs to its
     * outputs); grad4j counts a model's nodes inside its parent from 0, like any layer's.
     */
    @SuppressWarnings("unchecked")
    static Object shiftNodes(Object value, Set<String> models, int delta) {
        if (models.isEmpty()) {
            return value;
        }
        if (value instanceof List<?> list) {
            if (list.size() == 3 && list.get(0) instanceof String name && list.get(1) instanceof Number node
                    && list.get(2) instanceof Number) {
                return models.contains(name) ? List.of(name, node.intValue() + delta, list.get(2)) : list;
            }
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(shiftNodes(item, models, delta));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), shiftNodes(e.getValue(), models, delta));
            }
            return out;
        }
        return value;
    }

    private static Map<String, Object> generic(Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : GENERIC) {
            if (config.containsKey(key)) {
                out.put(key, config.get(key));
            }
        }
        return out;
    }

    /** One Keras layer as grad4j's {@code {class_name, config}}; a Keras 2 first layer's input shape becomes an InputLayer. */
    private static List<Map<String, Object>> layer(Map<String, Object> serialized, int index, boolean first) {
        if (!(serialized.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("layers[" + index + "] has no \"class_name\" (keys: " + serialized.keySet() + ")");
        }
        Map<String, Object> config = new LinkedHashMap<>(G4jFormat.object(
                serialized.getOrDefault("config", Map.of()), "layers[" + index + "].config"));
        String where = "layer " + index + " \"" + config.get("name") + "\" (" + className + ")";
        if (className.equals("Sequential")) {
            return List.of(serialized(className, sequentialConfig(config)));
        }
        if (className.equals("Functional") || className.equals("Model") && isFunctional(config)) {
            return List.of(serialized("Functional", functionalConfig(config)));
        }
        if (className.equals("Model")) {
            throw new IllegalArgumentException(where + ": subclassed models are not supported by the Keras importer");
        }
        if (!Layers.isRegistered(className)) {
            throw new IllegalArgumentException(where + ": the Keras importer does not support the layer class "
                    + className + " (supported: " + String.join(", ", supportedLayers()) + ")");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Object batchInputShape = config.remove("batch_input_shape");   // Keras 2's name for batch_shape
        if (className.equals("InputLayer")) {
            if (batchInputShape != null && !config.containsKey("batch_shape")) {
                config.put("batch_shape", batchInputShape);
            }
            if (INTEGER_INPUTS.contains(config.get("dtype"))) {
                // token ids for an Embedding: grad4j's inputs are floating point and its Embedding reads ids from
                // float32, exact up to 2^24, far beyond any vocabulary
                config.put("dtype", "float32");
            }
        } else if (batchInputShape instanceof List<?> shape && first) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("batch_shape", shape);
            out.add(serialized("InputLayer", input));
        }
        Map<String, Object> clean = initializerNames(strip(config));
        if (className.equals("BatchNormalization")) {
            clean = BatchNormAxes.read(where, clean);
        }
        if (className.equals("MultiHeadAttention")) {
            clean = attentionConfig(where, clean);
        }
        clean = checkOptions(where, className, clean, Layers.fromConfig(className, clean).config().keySet());
        out.add(serialized(className, clean));
        return out;
    }

    /**
     * Keras' MultiHeadAttention records the attention axes it settled on when built: {@code [1]} for rank-3
     * inputs, the same as the default (null), which is the only attention grad4j's rank-3 layer computes. tf.keras
     * 2.x also records the shapes it was built for ({@code query_shape}, {@code key_shape}, {@code value_shape}),
     * which the model's graph supplies again.
     */
    private static Map<String, Object> attentionConfig(String where, Map<String, Object> given) {
        Map<String, Object> config = new LinkedHashMap<>(given);
        config.keySet().removeAll(Set.of("query_shape", "key_shape", "value_shape"));
        Object axes = config.get("attention_axes");
        Object axis = axes instanceof List<?> list && list.size() == 1 ? list.get(0) : axes;
        if (axis instanceof Number n && (n.intValue() == 1 || n.intValue() == -2)) {
            config.put("attention_axes", null);
        } else if (axes != null) {
            throw new IllegalArgumentException(where + ": option attention_axes = " + axes + " is not supported by "
                    + "grad4j's MultiHeadAttention (supported: null or [1], attention over the sequence axis of rank-3 "
                    + "inputs)");
        }
        return config;
    }

    static List<String> supportedLayers() {
        Set<String> names = new TreeSet<>(Layers.registry().names());
        names.removeAll(Set.of("Sequential", "Functional", "Model"));
        return List.copyOf(names);
    }

    /**
     * Keras 3's {@code compile_config} or Keras 2's {@code training_config}, as grad4j's compile config; options
     * grad4j cannot honour fail here rather than compile a different model.
     */
    static Map<String, Object> compileConfig(Map<String, Object> keras) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object optimizer = keras.containsKey("optimizer") ? keras.get("optimizer") : keras.get("optimizer_config");
        out.put("optimizer", optimizer(optimizer));
        if (byOutput(keras.get("loss"))) {
            // a functional model compiled with losses, weights and metrics by output name
            Map<String, Object> losses = new LinkedHashMap<>();
            G4jFormat.object(keras.get("loss"), "compile config: loss").forEach((name, l) -> losses.put(name, loss(l)));
            out.put("loss", losses);
            if (keras.get("loss_weights") instanceof Map<?, ?> weights) {
                out.put("loss_weights", weights);
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            if (keras.get("metrics") instanceof Map<?, ?> given) {
                G4jFormat.object(given, "compile config: metrics").forEach((name, m) -> {
                    List<Object> list = new ArrayList<>();
                    flattenMetrics(m, list);
                    metrics.put(name, list);
                });
            }
            out.put("metrics", metrics);
            if (keras.get("weighted_metrics") != null && !inert(keras.get("weighted_metrics"))) {
                throw new IllegalArgumentException("compile config: weighted_metrics = " + keras.get("weighted_metrics")
                        + " is not supported by the Keras importer; load with Model.load(path, false) and compile the "
                        + "model yourself");
            }
            return out;
        }
        out.put("loss", loss(keras.get("loss")));
        for (String key : List.of("loss_weights", "weighted_metrics")) {
            if (keras.get(key) != null && !inert(keras.get(key))) {
                throw new IllegalArgumentException("compile config: " + key + " = " + keras.get(key)
                        + " is not supported by the Keras importer (supported: optimizer, loss, metrics); load with "
                        + "Model.load(path, false) and compile the model yourself");
            }
        }
        List<Object> metrics = new ArrayList<>();
        flattenMetrics(keras.get("metrics"), metrics);
        out.put("metrics", metrics);
        return out;
    }

    private static Map<String, Object> optimizer(Object serialized) {
        if (serialized instanceof String name) {
            return serialized(Optimizers.get(name).getClass().getSimpleName(), Map.of());
        }
        Map<String, Object> map = G4jFormat.object(serialized, "compile config: optimizer");
        if (!(map.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("compile config: the optimizer has no \"class_name\"");
        }
        className = className.startsWith("Custom>") ? className.substring("Custom>".length()) : className;
        if (!Optimizers.registry().contains(className)) {
            throw new IllegalArgumentException("compile config: the Keras importer does not support the optimizer class "
                    + className + " (supported: " + String.join(", ", new TreeSet<>(Optimizers.registry().names())) + ")");
        }
        Map<String, Object> config = strip(G4jFormat.object(map.getOrDefault("config", Map.of()), "optimizer config"));
        Set<String> supported = Optimizers.fromConfig(className, Map.of()).config().keySet();
        Map<String, Object> clean = checkOptions("optimizer " + className, className, config, supported);
        Optimizers.fromConfig(className, clean);   // a bad value fails here, naming the key
        return serialized(className, clean);
    }

    private static Object loss(Object keras) {
        if (keras == null) {
            throw new IllegalArgumentException("compile config has no loss; load with Model.load(path, false)");
        }
        if (keras instanceof String name) {
            return Losses.serialize(Losses.get(name));
        }
        Map<String, Object> map = strip(G4jFormat.object(keras, "compile config: loss"));
        if (map.get("config") instanceof Map<?, ?> config && "auto".equals(config.get("reduction"))) {
            // Keras 2's "auto" is sum_over_batch_size outside a distribution strategy
            Map<String, Object> c = new LinkedHashMap<>(G4jFormat.object(config, "loss config"));
            c.put("reduction", "sum_over_batch_size");
            c.remove("fn");
            map.put("config", c);
        }
        return map;
    }

    /** Keras 2 nests metrics per output ({@code [[...]]}) and wraps names in MeanMetricWrapper. */
    private static void flattenMetrics(Object metrics, List<Object> out) {
        if (metrics == null) {
            return;
        }
        if (metrics instanceof List<?> list) {
            for (Object m : list) {
                flattenMetrics(m, out);
            }
        } else if (metrics instanceof String name) {
            out.add(name);
        } else {
            Map<String, Object> map = strip(G4jFormat.object(metrics, "compile config: metric"));
            Map<String, Object> config = G4jFormat.object(map.getOrDefault("config", Map.of()), "metric config");
            if ("MeanMetricWrapper".equals(map.get("class_name"))) {
                out.add(String.valueOf(config.get("name")));
            } else {
                out.add(map);
            }
        }
    }

    /**
     * The options grad4j's class has, with the inert rest dropped; fails for any other. Initializers count as
     * inert on import (the weights come from the file), and so does channels_last, grad4j's only data format.
     */
    private static Map<String, Object> checkOptions(String where, String className, Map<String, Object> given,
            Set<String> supported) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String key = e.getKey();
            if (supported.contains(key) || GENERIC.contains(key)) {
                out.put(key, e.getValue());
            } else if (!INERT_ANY_VALUE.contains(key) && !key.endsWith("_initializer") && !inert(e.getValue())
                    && !(key.equals("data_format") && "channels_last".equals(e.getValue()))) {
                throw new IllegalArgumentException(where + ": option " + key + " = " + e.getValue() + " is not supported "
                        + "by grad4j's " + className + " (supported options: " + String.join(", ", new TreeSet<>(supported))
                        + ")");
            }
        }
        return out;
    }

    private static boolean inert(Object value) {
        return value == null || Boolean.FALSE.equals(value) || value instanceof Map<?, ?> m && m.isEmpty()
                || value instanceof List<?> l && l.isEmpty();
    }

    private static Map<String, Object> initializerNames(Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>(config);
        for (Map.Entry<String, Object> e : config.entrySet()) {
            if (e.getKey().endsWith("_initializer") && e.getValue() instanceof Map<?, ?> init
                    && INITIALIZER_CLASSES.containsKey(init.get("class_name"))) {
                Map<String, Object> renamed = new LinkedHashMap<>(G4jFormat.object(init, e.getKey()));
                renamed.put("class_name", INITIALIZER_CLASSES.get(init.get("class_name")));
                out.put(e.getKey(), renamed);
            }
        }
        return out;
    }

    /** A copy without Keras 3's bookkeeping keys, at every depth. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> strip(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (Set.of("module", "registered_name", "shared_object_id").contains(e.getKey())) {
                continue;
            }
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Map<?, ?> m ? strip((Map<String, Object>) m) : v);
        }
        return out;
    }

    private static Map<String, Object> serialized(String className, Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", className);
        out.put("config", config);
        return out;
    }

    // ---------------------------------------------------------------- writing

    /** Keras 3's {@code config.json} for a Sequential model: the model, its build and compile configs. */
    static Map<String, Object> write(Sequential model) {
        Map<String, Object> config = new LinkedHashMap<>(model.config());
        config.put("dtype", dtypePolicy(config.get("dtype")));
        List<Map<String, Object>> layers = new ArrayList<>();
        long[] shape = model.buildInputShape();
        if (model.inputLayer() != null) {
            layers.add(keras(model.inputLayer(), null));
        }
        for (Layer layer : model.layers()) {
            if (layer.className().equals("MultiHeadAttention")) {
                // Keras calls a Sequential model's layers on one tensor, and its MultiHeadAttention needs a value too
                throw new IllegalArgumentException(layer.describe() + ": a Keras Sequential model cannot hold a "
                        + "MultiHeadAttention (Keras' call needs a value tensor besides the query); write it in a "
                        + "functional model, or save as .g4j");
            }
            layers.add(keras(layer, shape));
            shape = shape == null ? null : layer.computeOutputShape(shape);
        }
        config.put("layers", layers);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras");
        out.put("class_name", "Sequential");
        out.put("config", config);
        out.put("registered_name", null);
        if (model.buildConfig() != null) {
            out.put("build_config", model.buildConfig());
        }
        Map<String, Object> compile = model.compileConfig();
        if (compile != null) {
            out.put("compile_config", kerasCompileConfig(compile));
        }
        return out;
    }

    /**
     * Keras 3's {@code config.json} for a functional model: Keras' {@code Functional} object (module
     * {@code keras.src.models.functional}, registered as "Functional") whose config lists each layer as Keras
     * serializes it, with its {@code build_config}, then its {@code name} and {@code inbound_nodes}.
     */
    static Map<String, Object> write(Functional model) {
        Map<String, Object> out = functionalObject(model);
        Map<String, Object> compile = model.compileConfig();
        if (compile != null) {
            out.put("compile_config", kerasCompileConfig(compile));
        }
        return out;
    }

    private static Map<String, Object> functionalObject(Functional model) {
        Map<String, Object> grad4j = model.config();
        Map<String, Object> config = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : grad4j.entrySet()) {
            // Keras' Functional.get_config has no dtype (its layers carry theirs); a non-default one is kept, which
            // Keras passes on to the Model constructor
            boolean defaultDtype = e.getKey().equals("dtype") && "float32".equals(e.getValue());
            if (!e.getKey().equals("layers") && !defaultDtype) {
                config.put(e.getKey(), e.getKey().equals("dtype") ? dtypePolicy(e.getValue()) : e.getValue());
            }
        }
        List<?> entries = (List<?>) grad4j.get("layers");
        List<Layer> layers = model.layers();
        List<Map<String, Object>> written = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Map<String, Object> entry = G4jFormat.object(entries.get(i), "layers[" + i + "]");
            Map<String, Object> keras = nested(layer);
            if (keras == null) {
                keras = keras(layer, null);
                if (layer.className().equals("MultiHeadAttention")) {
                    keras.put("build_config", attentionBuildConfig(layer));
                } else if (!layer.className().equals("InputLayer")) {
                    keras.put("build_config", Map.of("input_shape", builtFor(layer)));
                }
            }
            keras.put("name", entry.get("name"));
            keras.put("inbound_nodes", layer.className().equals("MultiHeadAttention")
                    ? selfAttentionValues(entry.get("inbound_nodes")) : entry.get("inbound_nodes"));
            written.add(keras);
        }
        // Keras' key order: name, trainable, layers, input_layers, output_layers
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : List.of("name", "trainable")) {
            if (config.containsKey(key)) {
                ordered.put(key, config.remove(key));
            }
        }
        Set<String> models = new java.util.HashSet<>();
        for (Layer layer : layers) {
            if (layer instanceof Functional) {
                models.add(layer.name());
            }
        }
        for (Map<String, Object> keras : written) {
            keras.put("inbound_nodes", shiftNodes(keras.get("inbound_nodes"), models, 1));
        }
        ordered.put("layers", written);
        ordered.put("input_layers", config.remove("input_layers"));
        ordered.put("output_layers", shiftNodes(config.remove("output_layers"), models, 1));
        ordered.putAll(config);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras.src.models.functional");
        out.put("class_name", "Functional");
        out.put("config", ordered);
        out.put("registered_name", "Functional");
        Map<String, Object> build = model.buildConfig();
        if (build != null) {
            out.put("build_config", build);
        }
        return out;
    }

    /**
     * grad4j records a self-attention call with its one input; Keras' MultiHeadAttention has no default value
     * tensor, so the query is written again as the value, which is what the call computed.
     */
    @SuppressWarnings("unchecked")
    private static Object selfAttentionValues(Object nodes) {
        if (!(nodes instanceof List<?> list)) {
            return nodes;
        }
        List<Object> out = new ArrayList<>();
        for (Object node : list) {
            if (node instanceof Map<?, ?> call && call.get("args") instanceof List<?> args && args.size() == 1) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) call);
                copy.put("args", List.of(args.get(0), args.get(0)));
                out.add(copy);
            } else {
                out.add(node);
            }
        }
        return out;
    }

    /** A model used as a layer, serialized as Keras does at the top level but without its compile config; else null. */
    private static Map<String, Object> nested(Layer layer) {
        if (layer instanceof Sequential sequential && layer.getClass() == Sequential.class) {
            Map<String, Object> out = write(sequential);
            out.remove("compile_config");
            return out;
        }
        if (layer instanceof Functional functional && layer.getClass() == Functional.class) {
            return functionalObject(functional);
        }
        if (layer instanceof Model) {
            throw new IllegalArgumentException(layer.describe() + ": the .keras writer writes Sequential and Functional "
                    + "models; " + layer.getClass().getName() + " is a model class of its own (save it as .g4j)");
        }
        return null;
    }

    /**
     * Keras records the shapes a layer was built with by its build arguments' names; a MultiHeadAttention's
     * build takes query, value and (when given) key shapes, so they go in a {@code shapes_dict}.
     */
    private static Map<String, Object> attentionBuildConfig(Layer layer) {
        List<org.grad4j.layers.LayerNode> nodes = layer.inboundNodes();
        if (nodes.isEmpty()) {
            return null;
        }
        List<org.grad4j.layers.KerasTensor> inputs = nodes.get(0).inputs();
        Map<String, Object> shapes = new LinkedHashMap<>();
        List<String> names = List.of("query_shape", "value_shape", "key_shape");
        for (int i = 0; i < inputs.size() && i < names.size(); i++) {
            shapes.put(names.get(i), kerasShape(inputs.get(i).shape()));
        }
        if (inputs.size() == 1) {
            shapes.put("value_shape", shapes.get("query_shape"));   // self-attention: Keras passes value = query
        }
        return Map.of("shapes_dict", shapes);
    }

    /** Keras' layer build_config: the shape of the first call's input (a list of shapes for several inputs). */
    private static Object builtFor(Layer layer) {
        List<org.grad4j.layers.LayerNode> nodes = layer.inboundNodes();
        if (nodes.isEmpty()) {
            return null;
        }
        List<org.grad4j.layers.KerasTensor> inputs = nodes.get(0).inputs();
        if (inputs.size() == 1) {
            return kerasShape(inputs.get(0).shape());
        }
        List<Object> shapes = new ArrayList<>();
        for (org.grad4j.layers.KerasTensor t : inputs) {
            shapes.add(kerasShape(t.shape()));
        }
        return shapes;
    }

    private static Map<String, Object> keras(Layer layer, long[] inputShape) {
        Map<String, Object> config = withModules(layer.config(), "keras.layers");
        if (layer.className().equals("InputLayer")) {
            // Keras' InputLayer takes no trainable flag and a plain dtype name
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("batch_shape", config.get("batch_shape"));
            input.put("dtype", config.get("dtype"));
            input.put("sparse", false);
            input.put("name", config.get("name"));
            config = input;
        } else {
            config.put("dtype", dtypePolicy(config.get("dtype")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras.layers");
        out.put("class_name", layer.className());
        out.put("config", config);
        out.put("registered_name", null);
        if (inputShape != null) {
            out.put("build_config", Map.of("input_shape", kerasShape(inputShape)));
        }
        return out;
    }

    private static Map<String, Object> kerasCompileConfig(Map<String, Object> compile) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", withModule(G4jFormat.object(compile.get("optimizer"), "optimizer"), "keras.optimizers"));
        Object loss = compile.get("loss");
        if (byOutput(loss)) {
            // a functional model's losses and metrics by output name, as Keras' compile(loss={...}) writes them
            Map<String, Object> losses = new LinkedHashMap<>();
            G4jFormat.object(loss, "loss").forEach((name, l) -> losses.put(name, kerasLoss(l)));
            out.put("loss", losses);
            out.put("loss_weights", compile.get("loss_weights"));
            Map<String, Object> metrics = new LinkedHashMap<>();
            Object given = compile.get("metrics");
            if (given instanceof Map<?, ?>) {
                G4jFormat.object(given, "metrics").forEach((name, list) -> metrics.put(name, kerasMetrics(list)));
            }
            out.put("metrics", metrics);
        } else {
            out.put("loss", kerasLoss(loss));
            out.put("loss_weights", null);
            out.put("metrics", kerasMetrics(compile.getOrDefault("metrics", List.of())));
        }
        out.put("weighted_metrics", null);
        out.put("run_eagerly", false);
        out.put("steps_per_execution", 1);
        out.put("jit_compile", false);
        return out;
    }

    /** A map of losses by output name rather than one serialized loss. */
    private static boolean byOutput(Object loss) {
        return loss instanceof Map<?, ?> map && !map.containsKey("class_name");
    }

    private static Object kerasLoss(Object loss) {
        return loss instanceof Map<?, ?> ? withModule(G4jFormat.object(loss, "loss"), "keras.losses") : loss;
    }

    private static List<Object> kerasMetrics(Object given) {
        List<Object> metrics = new ArrayList<>();
        for (Object m : given instanceof List<?> list ? list : List.of()) {
            metrics.add(m instanceof Map<?, ?> ? withModule(G4jFormat.object(m, "metric"), "keras.metrics") : m);
        }
        return metrics;
    }

    /** A {@code {class_name, config}} object as Keras 3 writes it, with its module and nested objects' modules. */
    private static Map<String, Object> withModule(Map<String, Object> serialized, String module) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", module);
        out.put("class_name", serialized.get("class_name"));
        Object config = serialized.get("config");
        out.put("config", config instanceof Map<?, ?> ? withModules(G4jFormat.object(config, "config"), module) : config);
        out.put("registered_name", null);
        return out;
    }

    /** Nested Keras objects get the module their key implies (initializers, regularizers, schedules). */
    private static Map<String, Object> withModules(Map<String, Object> config, String ownerModule) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m && m.get("class_name") != null) {
                out.put(e.getKey(), withModule(G4jFormat.object(v, e.getKey()), moduleOf(e.getKey(), ownerModule)));
            } else {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    private static String moduleOf(String key, String ownerModule) {
        if (key.endsWith("_initializer")) {
            return "keras.initializers";
        }
        if (key.endsWith("_regularizer")) {
            return "keras.regularizers";
        }
        if (key.endsWith("_constraint")) {
            return "keras.constraints";
        }
        if (key.equals("learning_rate")) {
            return "keras.optimizers.schedules";
        }
        return ownerModule;
    }

    private static Map<String, Object> dtypePolicy(Object dtype) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras");
        out.put("class_name", "DTypePolicy");
        out.put("config", Map.of("name", String.valueOf(dtype)));
        out.put("registered_name", null);
        return out;
    }

    static List<Long> kerasShape(long[] shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d < 0 ? null : d);
        }
        return dims;
    }

    /** Keras 3's {@code naming.to_snake_case}: the weight group of a layer is named after its class. */
    static String snakeCase(String className) {
        String name = className.replaceAll("\\W+", "");
        name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        name = name.replaceAll("([a-z])([A-Z])", "$1_$2");
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Where a layer's variables live in a Keras 3 weights file, and which of them; {@code aliases} are other paths
     * Keras releases have used for the same group, tried in turn when reading.
     */
    record VarsGroup(Layer layer, String path, List<org.grad4j.core.Variable> weights, List<String> aliases) {
        VarsGroup(Layer layer, String path, List<org.grad4j.core.Variable> weights) {
            this(layer, path, weights, List.of());
        }
    }

    /**
     * Every vars group of a model, in {@code model.layers} order: Keras walks a model's {@code layers} list naming
     * each entry by class and counter ({@code layers/dense_1}, an InputLayer at {@code layers/input_layer}), and a
     * model used as a layer the same way beneath its own group ({@code layers/sequential/layers/dense}).
     */
    static List<VarsGroup> modelGroups(Model model) {
        return modelGroups(model, "");
    }

    private static List<VarsGroup> modelGroups(Model model, String prefix) {
        List<VarsGroup> out = new ArrayList<>();
        List<String> groups = weightGroups(model);
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String base = prefix + "layers/" + groups.get(i);
            if (layer instanceof Model nested) {
                out.add(new VarsGroup(layer, base + "/vars", List.of()));
                out.addAll(modelGroups(nested, base + "/"));
            } else {
                out.addAll(layerGroups(layer, base));
            }
        }
        return out;
    }

    /**
     * Keras 3 saves a layer's own variables at {@code <group>/vars} and those of the layers it holds under the
     * attribute's name: a recurrent layer's at {@code <group>/cell/vars}, a Bidirectional's at
     * {@code <group>/forward_layer/cell/vars} and {@code <group>/backward_layer/cell/vars}.
     */
    static List<VarsGroup> varsGroups(Layer layer, String group) {
        return layerGroups(layer, "layers/" + group);
    }

    private static List<VarsGroup> layerGroups(Layer layer, String base) {
        List<org.grad4j.core.Variable> weights = layer.weights();
        switch (layer.className()) {
            case "SimpleRNN", "LSTM", "GRU" -> {
                return List.of(new VarsGroup(layer, base + "/vars", List.of()),
                        new VarsGroup(layer, base + "/cell/vars", weights));
            }
            case "Bidirectional" -> {
                int half = weights.size() / 2;
                return List.of(new VarsGroup(layer, base + "/vars", List.of()),
                        new VarsGroup(layer, base + "/forward_layer/vars", List.of()),
                        new VarsGroup(layer, base + "/forward_layer/cell/vars", weights.subList(0, half)),
                        new VarsGroup(layer, base + "/backward_layer/vars", List.of()),
                        new VarsGroup(layer, base + "/backward_layer/cell/vars", weights.subList(half, weights.size())));
            }
            case "MultiHeadAttention" -> {
                return MultiHeadAttentionGroups.of(layer, base);
            }
            default -> {
                return List.of(new VarsGroup(layer, base + "/vars", weights));
            }
        }
    }

    /**
     * The optimizer's state in Keras' {@code optimizer.variables} order: the counter, then the slots. grad4j keeps
     * each variable's slots together; Keras does too for most rules (momentum and velocity per variable), but
     * creates RMSprop's velocities, momentums and average gradients kind by kind, and Adam's (AdamW's) amsgrad
     * maxima after all the momentum/velocity pairs. A stable sort by kind gives Keras' order.
     */
    static List<org.grad4j.core.Variable> kerasOrder(org.grad4j.optimizers.Optimizer optimizer,
            List<org.grad4j.core.Variable> state) {
        if (state.size() <= 1) {
            return state;
        }
        String rule = optimizer.getClass().getSimpleName();
        Map<String, Integer> kinds;
        if (rule.equals("RMSprop")) {
            kinds = Map.of("velocity", 0, "momentum", 1, "average_gradient", 2);
        } else if ((rule.equals("Adam") || rule.equals("AdamW")) && Boolean.TRUE.equals(optimizer.config().get("amsgrad"))) {
            kinds = Map.of("momentum", 0, "velocity", 0, "velocity_hat", 1);
        } else {
            return state;
        }
        List<org.grad4j.core.Variable> slots = new ArrayList<>(state.subList(1, state.size()));
        slots.sort(java.util.Comparator.comparingInt(v -> kinds.getOrDefault(slotKind(v.name()), 0)));
        List<org.grad4j.core.Variable> out = new ArrayList<>();
        out.add(state.get(0));
        out.addAll(slots);
        return out;
    }

    /**
     * The state with the slots grouped kind by kind, in the order the kinds first appear: how tf.keras before 2.11
     * listed optimizer weights ({@code Adam/iter:0}, every {@code .../m:0}, then every {@code .../v:0}).
     */
    static List<org.grad4j.core.Variable> groupedByKind(List<org.grad4j.core.Variable> state) {
        if (state.size() <= 1) {
            return state;
        }
        List<org.grad4j.core.Variable> slots = new ArrayList<>(state.subList(1, state.size()));
        List<String> kinds = new ArrayList<>();
        for (org.grad4j.core.Variable v : slots) {
            if (!kinds.contains(slotKind(v.name()))) {
                kinds.add(slotKind(v.name()));
            }
        }
        slots.sort(java.util.Comparator.comparingInt(v -> kinds.indexOf(slotKind(v.name()))));
        List<org.grad4j.core.Variable> out = new ArrayList<>();
        out.add(state.get(0));
        out.addAll(slots);
        return out;
    }

    /** {@code rmsprop/momentum/dense/kernel:0} → {@code momentum}. */
    private static String slotKind(String name) {
        String[] parts = name.split("/");
        return parts.length > 1 ? parts[1] : name;
    }

    /** The weight group names Keras 3 gives {@code model.layers}: class name and a per-class counter, in order. */
    static List<String> weightGroups(Model model) {
        Map<String, Integer> used = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (Layer layer : model.layers()) {
            String base = snakeCase(layer.className());
            int n = used.merge(base, 1, Integer::sum) - 1;
            out.add(n == 0 ? base : base + "_" + n);
        }
        return out;
    }
}
