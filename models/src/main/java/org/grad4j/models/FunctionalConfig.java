package org.grad4j.models;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.CallKind;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;
import org.grad4j.layers.Merge;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.layers.RecurrentLayer;

/**
 * A functional model's config in Keras 3's form: {@code layers}, each {@code {class_name, config, name,
 * inbound_nodes}} with every node's arguments as {@code {"args": [...], "kwargs": {}}} and every tensor as
 * {@code {"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer, node, tensor]}}}
 * (node indices counted among the model's own nodes of that layer); then {@code input_layers} and
 * {@code output_layers} as {@code [layer, node, tensor]} triples. Reading it calls the layers again on symbolic
 * tensors, node by node as their inputs become available.
 */
final class FunctionalConfig {
    private static final String TENSOR = "__keras_tensor__";

    private FunctionalConfig() {
    }

    static Map<String, Object> of(Functional model, Map<String, Object> common) {
        FunctionalGraph graph = model.graph();
        Map<LayerNode, Integer> index = new IdentityHashMap<>();
        for (Layer layer : graph.layers) {
            int i = 0;
            for (LayerNode node : layer.inboundNodes()) {
                if (graph.contains(node)) {
                    index.put(node, i++);
                }
            }
        }
        Map<String, Object> config = new LinkedHashMap<>(common);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer layer : graph.layers) {
            Map<String, Object> entry = new LinkedHashMap<>(ModelConfigs.serialize(layer));
            entry.put("name", layer.name());
            List<Object> nodes = new ArrayList<>();
            for (LayerNode node : layer.inboundNodes()) {
                if (!graph.contains(node) || node.kind() == CallKind.INPUT) {
                    continue;
                }
                if (node.kind() == CallKind.STATE && !returnsState(layer)) {
                    throw new IllegalArgumentException(model.describe() + ".config: " + layer.describe() + " was called "
                            + "with callWithState but its config does not say return_state; set returnState(true) on it so "
                            + "that the saved model calls it the same way");
                }
                List<Object> tensors = new ArrayList<>();
                for (KerasTensor t : node.inputs()) {
                    tensors.add(tensor(t, index));
                }
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("args", node.kind() == CallKind.LIST || node.kind() == CallKind.MULTI ? List.of(tensors) : tensors);
                call.put("kwargs", new LinkedHashMap<>());
                nodes.add(call);
            }
            entry.put("inbound_nodes", nodes);
            layers.add(entry);
        }
        config.put("layers", layers);
        config.put("input_layers", graph.inputs.stream().map(t -> history(t, index)).toList());
        config.put("output_layers", graph.outputs.stream().map(t -> history(t, index)).toList());
        return config;
    }

    private static boolean returnsState(Layer layer) {
        return layer instanceof RecurrentLayer<?> r ? r.returnState()
                : layer instanceof Bidirectional b && b.forwardLayer().returnState();
    }

    private static Map<String, Object> tensor(KerasTensor t, Map<LayerNode, Integer> index) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("shape", ModelConfigs.kerasShape(t.shape()));
        config.put("dtype", kerasDtype(t.dataType()));
        config.put("keras_history", history(t, index));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", TENSOR);
        out.put("config", config);
        return out;
    }

    /** Keras' dtype names for a tensor's type; only informative here, since reading infers the types again. */
    private static String kerasDtype(org.nd4j.linalg.api.buffer.DataType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case HALF -> "float16";
            case BFLOAT16 -> "bfloat16";
            case INT -> "int32";
            case LONG -> "int64";
            case BOOL -> "bool";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<Object> history(KerasTensor t, Map<LayerNode, Integer> index) {
        return List.of(t.layer().name(), index.get(t.node()), t.tensorIndex());
    }

    // ---------------------------------------------------------------- reading

    @SuppressWarnings("unchecked")
    static Functional fromConfig(Map<String, Object> config) {
        String where = "Functional.fromConfig";
        if (!(config.get("layers") instanceof List<?> entries)) {
            throw new IllegalArgumentException(where + ": the config has no \"layers\" list (keys: " + config.keySet() + ")");
        }
        Map<String, Layer> layers = new LinkedHashMap<>();
        Map<String, List<Object>> pending = new LinkedHashMap<>();
        Map<String, List<List<KerasTensor>>> outputs = new LinkedHashMap<>();
        for (Object item : entries) {
            if (!(item instanceof Map<?, ?> raw) || !(raw.get("name") instanceof String name)) {
                throw new IllegalArgumentException(where + ": each layer must be {class_name, config, name, inbound_nodes}, "
                        + "got " + item);
            }
            Map<String, Object> entry = (Map<String, Object>) raw;
            Layer layer = ModelConfigs.deserialize(entry);
            if (!layer.name().equals(name)) {
                throw new IllegalArgumentException(where + ": layer \"" + name + "\" has \"" + layer.name() + "\" in its config");
            }
            if (layers.put(name, layer) != null) {
                throw new IllegalArgumentException(where + ": two layers are named \"" + name + "\"");
            }
            outputs.put(name, new ArrayList<>());
            if (layer instanceof InputLayer input) {
                input.build(input.batchShape());
                outputs.get(name).add(List.of(KerasTensor.of(input)));
                pending.put(name, new ArrayList<>());
            } else {
                Object nodes = entry.get("inbound_nodes");
                if (!(nodes instanceof List<?> list)) {
                    throw new IllegalArgumentException(where + ": layer \"" + name + "\" has no \"inbound_nodes\" list");
                }
                pending.put(name, new ArrayList<>(list));
            }
        }
        // Keras' order: a node runs once the tensors it reads exist; a shared layer's later node may wait for others
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, List<Object>> e : pending.entrySet()) {
                List<Object> queue = e.getValue();
                while (!queue.isEmpty()) {
                    List<Object> args = args(where, e.getKey(), queue.get(0));
                    List<KerasTensor> in;
                    try {
                        in = resolve(args, outputs);
                    } catch (IllegalArgumentException bad) {
                        // name the layer whose node is broken, not only the reference
                        throw new IllegalArgumentException(where + ": an inbound node of layer \"" + e.getKey() + "\": "
                                + bad.getMessage().replaceFirst("^" + where + ": ", ""), bad);
                    }
                    if (in == null) {
                        break;
                    }
                    boolean list = args.size() == 1 && args.get(0) instanceof List;
                    outputs.get(e.getKey()).add(call(layers.get(e.getKey()), in, list));
                    queue.remove(0);
                    progress = true;
                }
            }
        }
        for (Map.Entry<String, List<Object>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                throw new IllegalArgumentException(where + ": layer \"" + e.getKey() + "\" reads tensors that no layer "
                        + "produces: " + e.getValue().get(0));
            }
        }
        List<Tensor> ins = triples(where, "input_layers", config.get("input_layers"), outputs);
        List<Tensor> outs = triples(where, "output_layers", config.get("output_layers"), outputs);
        Functional model = new Functional(ins, outs, config.get("name") instanceof String n ? n : null);
        if (config.get("trainable") instanceof Boolean trainable && !trainable) {
            model.setTrainable(false);
        }
        return model;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(String where, String layer, Object node) {
        if (node instanceof Map<?, ?> map && map.get("args") instanceof List<?> args) {
            return (List<Object>) args;
        }
        throw new IllegalArgumentException(where + ": a node of layer \"" + layer + "\" must be {\"args\": [...], "
                + "\"kwargs\": {}}, got " + node);
    }

    /** The symbolic tensors named by {@code args} (flattened), or null while one of them does not exist yet. */
    private static List<KerasTensor> resolve(List<Object> args, Map<String, List<List<KerasTensor>>> outputs) {
        List<KerasTensor> out = new ArrayList<>();
        for (Object arg : args) {
            if (arg instanceof List<?> list) {
                List<KerasTensor> inner = resolve(new ArrayList<>(list), outputs);
                if (inner == null) {
                    return null;
                }
                out.addAll(inner);
                continue;
            }
            if (!(arg instanceof Map<?, ?> t) || !TENSOR.equals(t.get("class_name"))
                    || !(t.get("config") instanceof Map<?, ?> c) || !(c.get("keras_history") instanceof List<?> h)) {
                throw new IllegalArgumentException("Functional.fromConfig: an argument must be a " + TENSOR + ", got " + arg);
            }
            KerasTensor k = lookup(h, outputs);
            if (k == null) {
                return null;
            }
            out.add(k);
        }
        return out;
    }

    private static KerasTensor lookup(List<?> history, Map<String, List<List<KerasTensor>>> outputs) {
        if (history.size() != 3 || !(history.get(0) instanceof String layer) || !(history.get(1) instanceof Number node)
                || !(history.get(2) instanceof Number tensor)) {
            throw new IllegalArgumentException("Functional.fromConfig: keras_history must be [layer, node, tensor], got "
                    + history);
        }
        List<List<KerasTensor>> nodes = outputs.get(layer);
        if (nodes == null) {
            throw new IllegalArgumentException("Functional.fromConfig: unknown layer \"" + layer + "\" in " + history
                    + " (layers: " + String.join(", ", outputs.keySet()) + ")");
        }
        if (node.intValue() >= nodes.size()) {
            return null;
        }
        List<KerasTensor> made = nodes.get(node.intValue());
        if (tensor.intValue() < 0 || tensor.intValue() >= made.size()) {
            throw new IllegalArgumentException("Functional.fromConfig: " + history + " names output " + tensor
                    + " but the call has " + made.size());
        }
        return made.get(tensor.intValue());
    }

    private static List<KerasTensor> call(Layer layer, List<KerasTensor> in, boolean list) {
        if (layer instanceof Functional nested && list) {
            return nested.call(in, false).stream().map(t -> (KerasTensor) t).toList();
        }
        if (list || layer instanceof Merge) {
            return List.of((KerasTensor) ((Merge) layer).apply(new ArrayList<>(in)));
        }
        if (returnsState(layer)) {
            List<Tensor> out = layer instanceof Bidirectional b ? b.callWithState(in.get(0), false)
                    : ((RecurrentLayer<?>) layer).callWithState(in.get(0), false);
            return out.stream().map(t -> (KerasTensor) t).toList();
        }
        if (layer instanceof MultiHeadAttention mha && in.size() > 1) {
            return List.of((KerasTensor) mha.call(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null, null, false, false));
        }
        return List.of((KerasTensor) layer.apply(in.get(0)));
    }

    private static List<Tensor> triples(String where, String key, Object value, Map<String, List<List<KerasTensor>>> outputs) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a list of [layer, node, tensor], got " + value);
        }
        // Keras writes one triple unwrapped for a model of one input or output
        List<?> items = list.get(0) instanceof List ? list : List.of(list);
        List<Tensor> out = new ArrayList<>();
        for (Object item : items) {
            KerasTensor k = item instanceof List<?> h ? lookup(h, outputs) : null;
            if (k == null) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" names " + item + ", which no layer produced");
            }
            out.add(k);
        }
        return out;
    }
}
