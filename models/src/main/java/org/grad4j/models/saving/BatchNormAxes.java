package org.grad4j.models.saving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;

/**
 * tf.keras 2.x writes a built BatchNormalization's axis as the list of positive axes it settled on ({@code [1]}
 * after a Dense, {@code [3]} after a Conv2D), where Keras 3 writes {@code -1}. grad4j's BatchNormalization
 * normalizes over the last axis only, so such a list is read as {@code -1} and, once the model is built and the
 * layer's input rank is known, checked to be the last axis.
 */
final class BatchNormAxes {
    private BatchNormAxes() {
    }

    /** The axis a Keras config gives as one-element list, as the number grad4j's config takes. */
    static Map<String, Object> read(String where, Map<String, Object> config) {
        if (!(config.get("axis") instanceof List<?> axes)) {
            return config;
        }
        if (axes.size() != 1 || !(axes.get(0) instanceof Number)) {
            throw new IllegalArgumentException(where + ": option axis = " + axes + " is not supported by grad4j's "
                    + "BatchNormalization (supported: the last axis, -1)");
        }
        Map<String, Object> out = new LinkedHashMap<>(config);
        out.put("axis", -1);
        return out;
    }

    /** Checks every BatchNormalization whose Keras config gave its axis as a list against its built input rank. */
    static void check(Map<String, Object> top, Model model) {
        Map<String, Integer> given = new LinkedHashMap<>();
        collect(top, given);
        if (given.isEmpty()) {
            return;
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks(model, ranks);
        for (Map.Entry<String, Integer> e : given.entrySet()) {
            Integer rank = ranks.get(e.getKey());
            int axis = e.getValue();
            if (rank == null || axis != rank - 1 && axis != -1) {
                throw new IllegalArgumentException("layer \"" + e.getKey() + "\" (BatchNormalization): option axis = ["
                        + axis + "] is not supported by grad4j's BatchNormalization " + (rank == null ? ""
                        : "on an input of rank " + rank + " ") + "(supported: the last axis, -1"
                        + (rank == null ? "" : " or " + (rank - 1)) + ")");
            }
        }
    }

    private static void collect(Object node, Map<String, Integer> out) {
        if (node instanceof Map<?, ?> map) {
            if ("BatchNormalization".equals(map.get("class_name")) && map.get("config") instanceof Map<?, ?> config
                    && config.get("axis") instanceof List<?> axes && axes.size() == 1
                    && axes.get(0) instanceof Number n) {
                out.put(String.valueOf(config.get("name")), n.intValue());
            }
            map.values().forEach(v -> collect(v, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }

    /** Each layer's input rank (batch axis included), by name, at any depth. */
    private static void ranks(Model model, Map<String, Integer> out) {
        long[] shape = null;
        if (model instanceof Sequential sequential) {
            shape = model.buildInputShape() != null ? model.buildInputShape()
                    : sequential.inputLayer() != null ? sequential.inputLayer().batchShape() : null;
        }
        for (Layer layer : model.layers()) {
            List<LayerNode> nodes = layer.inboundNodes();
            long[] in = !nodes.isEmpty() && !nodes.get(0).inputs().isEmpty() ? inputShape(nodes.get(0).inputs()) : shape;
            if (in != null) {
                out.put(layer.name(), in.length);
            }
            if (layer instanceof Model nested) {
                ranks(nested, out);
            }
            shape = shape == null ? null : layer.computeOutputShape(shape);
        }
    }

    private static long[] inputShape(List<KerasTensor> inputs) {
        return inputs.get(0).shape();
    }
}
