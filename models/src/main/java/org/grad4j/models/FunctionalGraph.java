package org.grad4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.grad4j.core.Tensor;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;

/**
 * The graph between a functional model's inputs and outputs, found and checked as Keras' {@code map_graph} does:
 * a depth-first walk back from the outputs orders the nodes so that every node comes after those it reads
 * (the execution order), and the layers come ordered by depth from the inputs, ties by the order the walk met
 * them (Keras' {@code model.layers}, InputLayers included). An output that needs an input not given, an input no
 * output uses, a cycle or two layers of one name fail here, naming the layers.
 */
final class FunctionalGraph {
    final List<KerasTensor> inputs;
    final List<KerasTensor> outputs;
    /** Every node of the graph, each after the nodes whose outputs it reads (inputs' nodes first). */
    final List<LayerNode> nodes;
    /** The layers in Keras' order. */
    final List<Layer> layers;

    private FunctionalGraph(List<KerasTensor> inputs, List<KerasTensor> outputs, List<LayerNode> nodes, List<Layer> layers) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.nodes = nodes;
        this.layers = layers;
    }

    static FunctionalGraph of(String where, List<? extends Tensor> inputs, List<? extends Tensor> outputs) {
        List<KerasTensor> ins = symbolic(where, "input", inputs);
        List<KerasTensor> outs = symbolic(where, "output", outputs);
        for (int i = 0; i < ins.size(); i++) {
            KerasTensor in = ins.get(i);
            if (!(in.layer() instanceof InputLayer)) {
                throw new IllegalArgumentException(where + ": input " + i + " must come from Input.of(...), but it is the "
                        + "output of " + in.layer().describe() + " (" + in.history() + ")");
            }
            for (int j = 0; j < i; j++) {
                if (ins.get(j) == in) {
                    throw new IllegalArgumentException(where + ": input \"" + in.layer().name() + "\" is given twice");
                }
            }
        }
        Walk walk = new Walk(where, ins);
        for (KerasTensor out : outs) {
            walk.visit(out, null);
        }
        for (KerasTensor in : ins) {
            if (!walk.finished.contains(in.node())) {
                throw new IllegalArgumentException(where + ": input \"" + in.layer().name() + "\" is not used by any output "
                        + "(outputs: " + String.join(", ", outs.stream().map(o -> o.layer().name()).toList())
                        + "); remove it from the inputs or connect it");
            }
        }
        List<Layer> layers = layersByDepth(walk);
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer layer : layers) {
            Layer other = byName.put(layer.name(), layer);
            if (other != null) {
                throw new IllegalArgumentException(where + ": two layers are named \"" + layer.name() + "\" ("
                        + other.describe() + " and " + layer.describe() + "); layer names in a model must be unique");
            }
        }
        return new FunctionalGraph(List.copyOf(ins), List.copyOf(outs), List.copyOf(walk.order), List.copyOf(layers));
    }

    private static List<KerasTensor> symbolic(String where, String what, List<? extends Tensor> tensors) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException(where + ": at least one " + what + " is required, got "
                    + (tensors == null ? "null" : "none"));
        }
        List<KerasTensor> out = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            if (!(tensors.get(i) instanceof KerasTensor k)) {
                throw new IllegalArgumentException(where + ": " + what + " " + i + " is not a symbolic tensor (got "
                        + tensors.get(i) + "); build the graph from Input.of(...) by calling layers on it");
            }
            out.add(k);
        }
        return out;
    }

    /** Keras' {@code _build_map}: nodes in post-order, layers numbered in the order first met. */
    private static final class Walk {
        final String where;
        final Set<KerasTensor> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<LayerNode> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        final Set<LayerNode> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<LayerNode> order = new ArrayList<>();
        final Map<Layer, Integer> firstSeen = new IdentityHashMap<>();

        Walk(String where, List<KerasTensor> inputs) {
            this.where = where;
            this.inputs.addAll(inputs);
        }

        void visit(KerasTensor tensor, LayerNode consumer) {
            LayerNode node = tensor.node();
            if (finished.contains(node)) {
                return;
            }
            if (inProgress.contains(node)) {
                throw new IllegalArgumentException(where + ": " + tensor.history() + " is part of a cycle");
            }
            if (node.inputs().isEmpty() && !inputs.contains(tensor)) {
                throw new IllegalArgumentException(where + ": graph disconnected: "
                        + (consumer == null ? "an output is" : consumer.layer().describe() + " needs")
                        + " input \"" + node.layer().name() + "\" " + org.grad4j.core.Shapes.format(tensor.shape())
                        + ", which is not among the model's inputs ("
                        + String.join(", ", inputs.stream().map(k -> k.layer().name()).toList()) + ")");
            }
            if (node.kind() == org.grad4j.layers.CallKind.SINGLE && node.layer() instanceof Functional nested
                    && nested.takesLists()) {
                throw new IllegalArgumentException(where + ": " + nested.describe() + " has inputs " + nested.inputNames()
                        + " and outputs " + nested.outputNames() + "; call it with call(List.of(...), training) to get one "
                        + "tensor per output");
            }
            firstSeen.putIfAbsent(node.layer(), firstSeen.size());
            inProgress.add(node);
            if (!inputs.contains(tensor)) {
                for (KerasTensor parent : node.inputs()) {
                    visit(parent, node);
                }
            }
            inProgress.remove(node);
            finished.add(node);
            order.add(node);
        }
    }

    /** Keras' depths: an output's node is 0, a node read by one of depth d is at least d + 1; a shared layer takes its deepest. */
    private static List<Layer> layersByDepth(Walk walk) {
        Map<LayerNode, Integer> nodeDepth = new IdentityHashMap<>();
        Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = walk.order.size() - 1; i >= 0; i--) {
            LayerNode node = walk.order.get(i);
            int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer(), 0));
            layerDepth.put(node.layer(), depth);
            nodeDepth.put(node, depth);
            for (KerasTensor parent : node.inputs()) {
                nodeDepth.merge(parent.node(), depth + 1, Math::max);
            }
        }
        TreeMap<Integer, List<Layer>> byDepth = new TreeMap<>(Collections.reverseOrder());
        for (Map.Entry<Layer, Integer> e : layerDepth.entrySet()) {
            byDepth.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(e.getKey());
        }
        List<Layer> out = new ArrayList<>();
        for (List<Layer> sameDepth : byDepth.values()) {
            sameDepth.sort((a, b) -> Integer.compare(walk.firstSeen.get(a), walk.firstSeen.get(b)));
            out.addAll(sameDepth);
        }
        return out;
    }

    /** Whether Keras' summary draws this graph as a plain stack: one node per depth, one input per node, no shared layer. */
    boolean sequentialLike() {
        Map<Layer, Integer> calls = new IdentityHashMap<>();
        for (LayerNode node : nodes) {
            if (node.inputs().size() > 1 || calls.merge(node.layer(), 1, Integer::sum) > 1) {
                return false;
            }
        }
        // one node per depth: a chain, in which each node but the input's reads the one before
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i).inputs().isEmpty() || nodes.get(i).inputs().get(0).node() != nodes.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /** The nodes of this graph: for the summary's "Connected to" and the saved config. */
    boolean contains(LayerNode node) {
        return nodes.contains(node);
    }
}
