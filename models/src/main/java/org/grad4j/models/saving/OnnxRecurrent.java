package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.Activations;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.GRU;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.RecurrentLayer;
import org.grad4j.layers.SimpleRNN;
import org.grad4j.models.saving.OnnxGraph.Attr;
import org.grad4j.models.saving.OnnxLayers.Value;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * SimpleRNN, LSTM, GRU and Bidirectional as ONNX's RNN, LSTM and GRU operators (opset 7 versions, time-major).
 * Keras' gate blocks are reordered to ONNX's (LSTM i, f, c, o becomes i, o, f, c; GRU's z, r, h and the single
 * SimpleRNN block stay) and its kernels {@code [in, k*units]} transposed to ONNX's {@code [k*units, in]}. A GRU with
 * reset_after is ONNX's {@code linear_before_reset=1}, its two bias rows ONNX's input and recurrence biases.
 * go_backwards is ONNX's reverse direction, whose output ONNX keeps in time order, while Keras returns the steps in
 * the order they were processed, last step first: the sequence is flipped back. Bidirectional is one
 * bidirectional node, whose backward half ONNX already returns in time order, as Keras merges it.
 */
final class OnnxRecurrent {
    /** Keras activations the ONNX recurrent operators compute by the same formula. */
    private static final Map<Activations, String> ACTIVATIONS = Map.of(Activations.TANH, "Tanh",
            Activations.SIGMOID, "Sigmoid", Activations.RELU, "Relu");

    private final OnnxGraph graph;
    private final OnnxLayers.Weights weights;

    OnnxRecurrent(OnnxGraph graph, OnnxLayers.Weights weights) {
        this.graph = graph;
        this.weights = weights;
    }

    static boolean handles(Layer layer) {
        return layer instanceof RecurrentLayer<?> || layer instanceof Bidirectional;
    }

    /** Throws, naming the layer and what it uses, for an activation or a Bidirectional the operators cannot run. */
    static void check(Layer layer) {
        if (layer instanceof Bidirectional bi) {
            RecurrentLayer<?> f = bi.forwardLayer();
            RecurrentLayer<?> b = bi.backwardLayer();
            check(bi, f);
            check(bi, b);
            boolean same = f.getClass() == b.getClass() && f.units() == b.units() && f.useBias() == b.useBias()
                    && f.activation() == b.activation() && recurrentActivation(f) == recurrentActivation(b)
                    && (!(f instanceof GRU g) || g.resetAfter() == ((GRU) b).resetAfter())
                    && f.returnSequences() == b.returnSequences() && !f.goBackwards() && b.goBackwards();
            if (!same) {
                throw new IllegalArgumentException("exportOnnx: layer " + bi.describe() + " has a backward layer "
                        + b.describe() + " that differs from its forward layer " + f.describe() + " in more than "
                        + "go_backwards; ONNX's bidirectional operator runs one cell both ways");
            }
        } else {
            check(layer, (RecurrentLayer<?>) layer);
        }
    }

    private static void check(Layer owner, RecurrentLayer<?> cell) {
        List<ActivationFunction> used = new ArrayList<>();
        used.add(cell.activation());
        if (recurrentActivation(cell) != null) {
            used.add(recurrentActivation(cell));
        }
        for (ActivationFunction a : used) {
            if (!ACTIVATIONS.containsKey(a)) {
                throw new IllegalArgumentException("exportOnnx: layer " + owner.describe() + " uses activation \""
                        + a.kerasName() + "\" (" + a.getClass().getName() + ") in " + cell.describe() + ", which ONNX's "
                        + cell.getClass().getSimpleName() + " export does not write; supported for recurrent layers: "
                        + ACTIVATIONS.keySet().stream().map(Activations::kerasName).sorted().toList());
            }
        }
    }

    private static ActivationFunction recurrentActivation(RecurrentLayer<?> cell) {
        return cell instanceof LSTM l ? l.recurrentActivation() : cell instanceof GRU g ? g.recurrentActivation() : null;
    }

    /**
     * {@code layer} on {@code x} ({@code [batch, steps, features]}, grad4j's layout): its output, then its states as
     * its {@code callWithState} returns them.
     */
    List<Value> export(Layer layer, Value x) {
        String base = layer.name();
        String timeMajor = graph.node("Transpose", base + "/time_major", new Attr[] {Attr.ints("perm", 1, 0, 2)}, x.name());
        if (layer instanceof Bidirectional bi) {
            return bidirectional(bi, timeMajor, x.shape());
        }
        RecurrentLayer<?> cell = (RecurrentLayer<?>) layer;
        String[] outs = node(layer, List.of(cell), cell.goBackwards() ? "reverse" : "forward", timeMajor);
        long[] stateShape = {x.shape()[0], cell.units()};
        List<Value> states = new ArrayList<>();
        for (int i = 1; i < outs.length; i++) {
            String s = graph.node("Squeeze", base + "/state", outs[i], graph.longs(base + "/axes", 0));
            states.add(new Value(s, stateShape, false));
        }
        List<Value> result = new ArrayList<>();
        if (cell.returnSequences()) {
            String y = graph.node("Squeeze", base + "/sequence", outs[0], graph.longs(base + "/axes", 1));
            if (cell.goBackwards()) {
                y = flipTime(base, y);
            }
            y = graph.node("Transpose", base + "/batch_major", new Attr[] {Attr.ints("perm", 1, 0, 2)}, y);
            result.add(new Value(y, cell.computeOutputShape(x.shape()), false));
        } else {
            result.add(states.get(0));
        }
        result.addAll(states);
        return result;
    }

    private List<Value> bidirectional(Bidirectional bi, String timeMajor, long[] inShape) {
        String base = bi.name();
        RecurrentLayer<?> f = bi.forwardLayer();
        String[] outs = node(bi, List.of(f, bi.backwardLayer()), "bidirectional", timeMajor);
        long[] oneWay = f.computeOutputShape(inShape);
        String both;
        int directionAxis;
        if (f.returnSequences()) {
            both = graph.node("Transpose", base + "/batch_major", new Attr[] {Attr.ints("perm", 2, 0, 1, 3)}, outs[0]);   // [batch, steps, 2, units]
            directionAxis = 2;
        } else {
            both = outs[1];   // [2, batch, units]
            directionAxis = 0;
        }
        String forward = direction(base + "/forward", both, directionAxis, 0);
        String backward = direction(base + "/backward", both, directionAxis, 1);
        List<Value> result = new ArrayList<>();
        switch (bi.mergeMode()) {
            case CONCAT -> result.add(new Value(graph.node("Concat", base + "/concat",
                    new Attr[] {Attr.integer("axis", -1)}, forward, backward), bi.computeOutputShape(inShape), false));
            case SUM -> result.add(new Value(graph.node("Add", base + "/sum", forward, backward), oneWay, false));
            case MUL -> result.add(new Value(graph.node("Mul", base + "/mul", forward, backward), oneWay, false));
            case AVE -> {
                String sum = graph.node("Add", base + "/sum", forward, backward);
                String half = weights.get(bi, "half", () -> Nd4j.scalar(0.5f));
                result.add(new Value(graph.node("Mul", base + "/ave", sum, half), oneWay, false));
            }
            case NONE -> {
                result.add(new Value(forward, oneWay, false));
                result.add(new Value(backward, oneWay, false));
            }
        }
        long[] stateShape = {inShape[0], f.units()};
        for (int d = 0; d < 2; d++) {
            for (int i = 1; i < outs.length; i++) {
                result.add(new Value(direction(base + "/state", outs[i], 0, d), stateShape, false));
            }
        }
        return result;
    }

    /** One direction of a tensor holding both along {@code axis}, that axis dropped. */
    private String direction(String base, String both, int axis, long index) {
        return graph.node("Gather", base, new Attr[] {Attr.integer("axis", axis)}, both, graph.longScalar(base + "/index", index));
    }

    /** {@code y} with its first (time) axis reversed: a Slice from the last step back past the first. */
    private String flipTime(String base, String y) {
        return graph.node("Slice", base + "/processing_order", y, graph.longs(base + "/starts", -1),
                graph.longs(base + "/ends", Long.MIN_VALUE), graph.longs(base + "/axes", 0), graph.longs(base + "/steps", -1));
    }

    /** The ONNX operator over the cells (one per direction): outputs Y, Y_h and, for LSTM, Y_c. */
    private String[] node(Layer owner, List<RecurrentLayer<?>> cells, String direction, String x) {
        RecurrentLayer<?> cell = cells.get(0);
        String op = cell instanceof LSTM ? "LSTM" : cell instanceof GRU ? "GRU" : "RNN";
        List<String> activations = new ArrayList<>();
        for (RecurrentLayer<?> c : cells) {
            String act = ACTIVATIONS.get(c.activation());
            if (c instanceof LSTM l) {
                activations.addAll(List.of(ACTIVATIONS.get(l.recurrentActivation()), act, act));
            } else if (c instanceof GRU g) {
                activations.addAll(List.of(ACTIVATIONS.get(g.recurrentActivation()), act));
            } else {
                activations.add(act);
            }
        }
        List<Attr> attributes = new ArrayList<>(List.of(Attr.integer("hidden_size", cell.units()),
                Attr.string("direction", direction), Attr.strings("activations", activations)));
        if (cell instanceof GRU g) {
            attributes.add(Attr.integer("linear_before_reset", g.resetAfter() ? 1 : 0));
        }
        String w = weights.get(owner, "W", () -> stack(cells, c -> gates(c, c.kernel().array()).transpose()));
        String r = weights.get(owner, "R", () -> stack(cells, c -> gates(c, c.recurrentKernel().array()).transpose()));
        List<String> inputs = new ArrayList<>(List.of(x, w, r));
        if (cell.useBias()) {
            inputs.add(weights.get(owner, "B", () -> stack(cells, OnnxRecurrent::bias)));
        }
        int outputs = cell instanceof LSTM ? 3 : 2;
        return graph.nodeOutputs(op, owner.name() + "/" + op, outputs, attributes.toArray(Attr[]::new),
                inputs.toArray(String[]::new));
    }

    /** Keras' gate blocks of {@code m} ({@code [rows, k*units]}) in ONNX's order. */
    private static INDArray gates(RecurrentLayer<?> cell, INDArray m) {
        int[] order = cell instanceof LSTM ? new int[] {0, 3, 1, 2} : cell instanceof GRU ? new int[] {0, 1, 2} : new int[] {0};
        long u = cell.units();
        INDArray[] blocks = new INDArray[order.length];
        for (int i = 0; i < order.length; i++) {
            blocks[i] = m.get(NDArrayIndex.all(), NDArrayIndex.interval(order[i] * u, (order[i] + 1) * u));
        }
        return Nd4j.concat(1, blocks);
    }

    /** ONNX's B {@code [2*k*units]}: the input projection's bias, then the recurrence's (GRU reset_after's second row, else zero). */
    private static INDArray bias(RecurrentLayer<?> cell) {
        INDArray b = cell.bias().array();
        if (cell instanceof GRU g && g.resetAfter()) {
            return Nd4j.concat(1, gates(cell, b.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all())),
                    gates(cell, b.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all()))).reshape(b.length());
        }
        INDArray input = gates(cell, b.reshape(1, b.length()));
        return Nd4j.concat(1, input, Nd4j.zerosLike(input)).reshape(2 * b.length());
    }

    /** One array per direction, stacked on a new first axis as ONNX's weights are. */
    private static INDArray stack(List<RecurrentLayer<?>> cells, Function<RecurrentLayer<?>, INDArray> each) {
        INDArray[] parts = new INDArray[cells.size()];
        for (int i = 0; i < parts.length; i++) {
            INDArray a = Objects.requireNonNull(each.apply(cells.get(i))).dup('c');
            long[] shape = new long[a.rank() + 1];
            shape[0] = 1;
            System.arraycopy(a.shape(), 0, shape, 1, a.rank());
            parts[i] = a.reshape('c', shape);
        }
        return Nd4j.concat(0, parts);
    }
}
