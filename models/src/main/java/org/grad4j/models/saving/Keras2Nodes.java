package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 2's inbound nodes in Keras 3's form. Keras 2 (tf.keras 2.x, {@code legacy_h5_format}) writes each node of a
 * functional model's layer as the list of its input tensors, each {@code [layer, node, tensor, kwargs]}: one entry
 * for a layer called on a tensor, several for a layer called on a list (a merge), and the call's other tensor
 * arguments in the first entry's kwargs as {@code [layer, node, tensor]} triples ({@code value}, {@code key} of a
 * MultiHeadAttention). Keras 3 writes {@code {"args": [...], "kwargs": {...}}} with {@code __keras_tensor__} objects.
 * Node indices mean the same in both (a layer's nodes inside the model, a nested functional model's from 1).
 */
final class Keras2Nodes {
    /** The kwargs whose tensors grad4j passes on, by layer class; any other kwarg would change the call. */
    private static final Map<String, List<String>> TENSOR_KWARGS = Map.of("MultiHeadAttention", List.of("value", "key"));

    private Keras2Nodes() {
    }

    /** Whether {@code nodes} are in Keras 2's form: a list of nodes that are lists themselves. */
    static boolean isKeras2(Object nodes) {
        return nodes instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof List;
    }

    /** {@code nodes} unchanged when they are Keras 3's (or absent), else translated; {@code layer} names the owner. */
    static Object asKeras3(Object nodes, String layer, String className) {
        if (!isKeras2(nodes)) {
            return nodes;
        }
        List<?> list = (List<?>) nodes;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(node(list.get(i), "layer \"" + layer + "\" (" + className + ") inbound node " + i, className));
        }
        return out;
    }

    private static Map<String, Object> node(Object node, String where, String className) {
        if (!(node instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException(where + " must be a non-empty list of [layer, node, tensor, kwargs], got "
                    + node);
        }
        List<Object> tensors = new ArrayList<>();
        Map<?, ?> kwargs = Map.of();
        for (int j = 0; j < entries.size(); j++) {
            List<?> entry = entries.get(j) instanceof List<?> e ? e : null;
            if (entry == null || entry.size() < 3 || entry.size() > 4) {
                throw new IllegalArgumentException(where + ": entry " + j + " must be [layer, node, tensor, kwargs], got "
                        + entries.get(j));
            }
            tensors.add(tensor(entry.subList(0, 3), where));
            if (entry.size() == 4 && entry.get(3) instanceof Map<?, ?> k && k.values().stream().anyMatch(v -> v != null)) {
                if (j > 0 || entries.size() > 1) {
                    throw new IllegalArgumentException(where + ": call arguments " + k + " on a list of inputs are not "
                            + "supported by the Keras importer");
                }
                kwargs = k;
            }
        }
        List<Object> args = new ArrayList<>();
        if (entries.size() > 1) {
            args.add(tensors);
        } else {
            args.add(tensors.get(0));
            args.addAll(tensorKwargs(kwargs, where, className));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("args", args);
        out.put("kwargs", new LinkedHashMap<>());
        return out;
    }

    /** MultiHeadAttention's {@code value} and {@code key}, as the positional arguments Keras 3 records. */
    private static List<Object> tensorKwargs(Map<?, ?> kwargs, String where, String className) {
        List<String> supported = TENSOR_KWARGS.getOrDefault(className, List.of());
        for (Object key : kwargs.keySet()) {
            // an argument left at None is the call's default
            if (!supported.contains(key) && kwargs.get(key) != null) {
                throw new IllegalArgumentException(where + ": call argument " + key + " = " + kwargs.get(key) + " is not "
                        + "supported by the Keras importer (supported: a MultiHeadAttention's value and key tensors)");
            }
        }
        List<Object> out = new ArrayList<>();
        for (String name : supported) {
            Object value = kwargs.get(name);
            if (value == null) {
                if (name.equals("value")) {
                    throw new IllegalArgumentException(where + ": a " + className + " call needs a value tensor, got "
                            + "kwargs " + kwargs);
                }
                continue;
            }
            if (!(value instanceof List<?> triple) || triple.size() != 3) {
                throw new IllegalArgumentException(where + ": call argument " + name + " must be a [layer, node, tensor] "
                        + "triple, got " + value);
            }
            out.add(tensor(triple, where));
        }
        return out;
    }

    private static Map<String, Object> tensor(List<?> history, String where) {
        if ("_CONSTANT_VALUE".equals(history.get(0))) {
            throw new IllegalArgumentException(where + ": " + history + " is a constant call argument, which the Keras "
                    + "importer does not support (supported: tensors made by the model's layers)");
        }
        if (!(history.get(0) instanceof String layer) || !(history.get(1) instanceof Number)
                || !(history.get(2) instanceof Number)) {
            throw new IllegalArgumentException(where + ": " + history + " is not a [layer, node, tensor] reference");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("keras_history", List.of(layer, history.get(1), history.get(2)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", "__keras_tensor__");
        out.put("config", config);
        return out;
    }
}
