package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.grad4j.core.Shapes;
import org.grad4j.layers.Activation;
import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.Activations;
import org.grad4j.layers.Add;
import org.grad4j.layers.Average;
import org.grad4j.layers.AveragePooling2D;
import org.grad4j.layers.CallKind;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.layers.Maximum;
import org.grad4j.layers.Merge;
import org.grad4j.layers.Multiply;
import org.grad4j.layers.Rescaling;
import org.grad4j.layers.Subtract;
import org.grad4j.models.saving.OnnxGraph.Attr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes one grad4j layer as ONNX nodes. grad4j (like Keras) keeps images channels-last while ONNX's Conv, pooling
 * and BatchNormalization want channels-first, so a {@link Value} remembers which layout its ONNX tensor is in and a
 * Transpose is inserted only where the layout must change — before a layer that reads the last axis (Dense,
 * Flatten, softmax) and at the graph's end, so Flatten's order and the outputs match grad4j's.
 */
final class OnnxLayers {
    /** Exact classes only: a subclass may override {@code call}, and exporting the parent's math would be wrong. */
    static final List<Class<? extends Layer>> SUPPORTED = List.of(InputLayer.class, Dense.class, Activation.class,
            Dropout.class, Flatten.class, Rescaling.class, Conv2D.class, MaxPooling2D.class, AveragePooling2D.class,
            BatchNormalization.class, Add.class, Subtract.class, Multiply.class, Average.class, Maximum.class,
            Concatenate.class);
    /** Built-ins only: a user's function may reuse a built-in's name for other math. */
    static final Set<Activations> ACTIVATIONS = EnumSet.of(Activations.LINEAR, Activations.RELU, Activations.SIGMOID,
            Activations.TANH, Activations.SOFTMAX);

    /**
     * A tensor of the graph: its name, its grad4j (channels-last) batch shape and whether the ONNX tensor is
     * channels-first, i.e. grad4j's shape with the last axis moved to position 1.
     */
    record Value(String name, long[] shape, boolean channelsFirst) {
    }

    private final OnnxGraph graph;
    /** Each layer's weights as written once, by name: a shared layer's calls all read the same initializers. */
    private final Map<Layer, Map<String, String>> weights = new IdentityHashMap<>();

    OnnxLayers(OnnxGraph graph) {
        this.graph = graph;
    }

    /**
     * Throws naming the layer (and the supported ones) if {@link #export} cannot write it called {@code kind}
     * ({@code SINGLE} for a Sequential's layers); writes nothing.
     */
    static void check(Layer layer, CallKind kind) {
        if (!SUPPORTED.contains(layer.getClass())) {
            throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " of class "
                    + layer.getClass().getName() + " has no ONNX export; supported layers: " + supportedNames());
        }
        CallKind expected = layer instanceof InputLayer ? CallKind.INPUT : layer instanceof Merge ? CallKind.LIST : CallKind.SINGLE;
        boolean ok = kind == expected || (kind == CallKind.SINGLE && layer instanceof InputLayer);
        if (!ok) {
            throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " is called as " + kind
                    + "; its ONNX export writes calls of kind " + expected + " only");
        }
        ActivationFunction activation = activation(layer);
        if (activation != null && !ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " uses activation \""
                    + activation.kerasName() + "\" (" + activation.getClass().getName() + "), which has no ONNX "
                    + "export; supported activations: " + ACTIVATIONS.stream().map(Activations::kerasName).toList());
        }
    }

    /** The layer's activation, or null for a layer without one. */
    private static ActivationFunction activation(Layer layer) {
        return layer instanceof Dense d ? d.activation()
                : layer instanceof Activation a ? a.activation()
                : layer instanceof Conv2D c ? c.activation() : null;
    }

    static String supportedNames() {
        return SUPPORTED.stream().map(Class::getSimpleName).toList().toString();
    }

    /** Appends {@code layer} applied to {@code xs} (one value, or a merge's list); {@link #check} must have passed. */
    List<Value> export(Layer layer, List<Value> xs) {
        if (layer instanceof Merge merge) {
            return List.of(merge(merge, xs));
        }
        return List.of(single(layer, xs.get(0)));
    }

    private Value single(Layer layer, Value x) {
        long[] outShape = layer instanceof InputLayer ? x.shape() : layer.computeOutputShape(x.shape());
        String base = layer.name();
        if (layer instanceof Dense dense) {
            Value in = channelsLast(x);
            String y = graph.node("MatMul", base + "/MatMul", in.name(), weight(dense, "kernel", () -> dense.kernel().array()));
            if (dense.bias() != null) {
                y = graph.node("Add", base + "/BiasAdd", y, weight(dense, "bias", () -> dense.bias().array()));
            }
            return activation(dense.activation(), base, new Value(y, outShape, false));
        }
        if (layer instanceof Activation activation) {
            return activation(activation.activation(), base, x);
        }
        if (layer instanceof Flatten) {
            Value in = channelsLast(x);
            return new Value(graph.node("Flatten", base + "/Flatten", new Attr[] {Attr.integer("axis", 1)}, in.name()),
                    outShape, false);
        }
        if (layer instanceof Rescaling rescaling) {
            String y = graph.node("Mul", base + "/Mul", x.name(), weight(rescaling, "scale", () -> Nd4j.scalar(rescaling.scale())));
            if (rescaling.offset() != 0) {
                y = graph.node("Add", base + "/Add", y, weight(rescaling, "offset", () -> Nd4j.scalar(rescaling.offset())));
            }
            return new Value(y, outShape, x.channelsFirst());
        }
        if (layer instanceof Conv2D conv) {
            return conv2d(conv, channelsFirst(x), outShape);
        }
        if (layer instanceof MaxPooling2D || layer instanceof AveragePooling2D) {
            return pooling(layer, channelsFirst(x), outShape);
        }
        if (layer instanceof BatchNormalization bn) {
            return batchNormalization(bn, x.shape().length > 2 ? channelsFirst(x) : x, outShape);
        }
        return x;   // InputLayer, and Dropout, which is the identity at inference
    }

    /**
     * Element-wise merges broadcast as NumPy does, as ONNX's variadic Sum, Max and Mean and its binary Sub and Mul
     * do, so they run in the inputs' own layout when all are channels-first of one rank; otherwise in grad4j's.
     */
    private Value merge(Merge merge, List<Value> xs) {
        List<long[]> shapes = xs.stream().map(Value::shape).toList();
        long[] outShape = merge.computeOutputShape(shapes);
        int rank = xs.get(0).shape().length;
        boolean first = xs.stream().allMatch(v -> v.channelsFirst() && v.shape().length == rank);
        List<String> names = new ArrayList<>();
        for (Value v : xs) {
            names.add(first ? v.name() : channelsLast(v).name());
        }
        String[] in = names.toArray(String[]::new);
        String base = merge.name();
        if (merge instanceof Concatenate concatenate) {
            int axis = concatenate.axis() < 0 ? concatenate.axis() + rank : concatenate.axis();
            int onnxAxis = !first || axis == 0 ? axis : axis == rank - 1 ? 1 : axis + 1;
            return new Value(graph.node("Concat", base + "/Concat", new Attr[] {Attr.integer("axis", onnxAxis)}, in),
                    outShape, first);
        }
        if (in.length == 1) {
            return new Value(graph.node("Identity", base + "/Identity", in), outShape, first);
        }
        String op = merge instanceof Add ? "Sum" : merge instanceof Maximum ? "Max" : merge instanceof Average ? "Mean"
                : merge instanceof Subtract ? "Sub" : "Mul";
        if (op.equals("Mul")) {
            String y = in[0];
            for (int i = 1; i < in.length; i++) {
                y = graph.node("Mul", base + "/Mul", y, in[i]);
            }
            return new Value(y, outShape, first);
        }
        return new Value(graph.node(op, base + "/" + op, in), outShape, first);
    }

    /** {@code layer}'s weight {@code key}, written the first time it is asked for; its name after that. */
    private String weight(Layer layer, String key, Supplier<INDArray> value) {
        return weights.computeIfAbsent(layer, l -> new HashMap<>())
                .computeIfAbsent(key, k -> graph.constant(layer.name() + "/" + k, value.get()));
    }

    private Value activation(ActivationFunction activation, String base, Value x) {
        return switch (activation.kerasName()) {
            case "linear" -> x;
            case "relu" -> new Value(graph.node("Relu", base + "/Relu", x.name()), x.shape(), x.channelsFirst());
            case "sigmoid" -> new Value(graph.node("Sigmoid", base + "/Sigmoid", x.name()), x.shape(), x.channelsFirst());
            case "tanh" -> new Value(graph.node("Tanh", base + "/Tanh", x.name()), x.shape(), x.channelsFirst());
            case "softmax" -> {
                Value in = channelsLast(x);   // softmax is over grad4j's last axis
                yield new Value(graph.node("Softmax", base + "/Softmax", new Attr[] {Attr.integer("axis", -1)}, in.name()),
                        x.shape(), false);
            }
            default -> throw new IllegalStateException("exportOnnx: activation " + activation.kerasName() + " passed check");
        };
    }

    private Value conv2d(Conv2D conv, Value x, long[] outShape) {
        Map<String, Object> config = conv.config();
        String base = conv.name();
        int[] kernel = ints(config.get("kernel_size"));
        int[] strides = ints(config.get("strides"));
        int[] dilations = ints(config.get("dilation_rate"));
        // grad4j's kernel is (kh, kw, in/groups, out); ONNX's is (out, in/groups, kh, kw)
        String w = weight(conv, "kernel", () -> conv.kernel().array().permute(3, 2, 0, 1));
        String[] inputs = conv.bias() == null ? new String[] {x.name(), w}
                : new String[] {x.name(), w, weight(conv, "bias", () -> conv.bias().array())};
        Attr[] attributes = {
                Attr.ints("kernel_shape", kernel[0], kernel[1]),
                Attr.ints("strides", strides[0], strides[1]),
                Attr.ints("dilations", dilations[0], dilations[1]),
                Attr.integer("group", ((Number) config.get("groups")).intValue()),
                Attr.ints("pads", pads(conv, (String) config.get("padding"), x.shape(), dilated(kernel, dilations), strides))};
        String y = graph.node("Conv", base + "/Conv", attributes, inputs);
        return activation(conv.activation(), base, new Value(y, outShape, true));
    }

    private Value pooling(Layer layer, Value x, long[] outShape) {
        Map<String, Object> config = layer.config();
        int[] pool = ints(config.get("pool_size"));
        int[] strides = config.get("strides") == null ? pool : ints(config.get("strides"));
        Attr[] attributes = {
                Attr.ints("kernel_shape", pool[0], pool[1]),
                Attr.ints("strides", strides[0], strides[1]),
                Attr.ints("pads", pads(layer, (String) config.get("padding"), x.shape(), pool, strides))};
        // AveragePool's default count_include_pad=0 averages over the real cells only, as Keras' 'same' does
        String op = layer instanceof MaxPooling2D ? "MaxPool" : "AveragePool";
        return new Value(graph.node(op, layer.name() + "/" + op, attributes, x.name()), outShape, true);
    }

    private Value batchNormalization(BatchNormalization bn, Value x, long[] outShape) {
        String base = bn.name();
        INDArray mean = bn.movingMean().array();
        String y = graph.node("BatchNormalization", base + "/BatchNormalization",
                new Attr[] {Attr.real("epsilon", bn.epsilon())}, x.name(),
                weight(bn, "gamma", () -> bn.gamma() == null ? Nd4j.onesLike(mean) : bn.gamma().array()),
                weight(bn, "beta", () -> bn.beta() == null ? Nd4j.zerosLike(mean) : bn.beta().array()),
                weight(bn, "moving_mean", () -> mean),
                weight(bn, "moving_variance", () -> bn.movingVariance().array()));
        return new Value(y, outShape, x.channelsFirst());
    }

    /**
     * ONNX pads (begin of each spatial axis, then end) reproducing Keras' padding: none for 'valid'; for 'same' the
     * total that keeps {@code ceil(in / stride)} outputs, with the odd cell at the end as TensorFlow does.
     */
    private static long[] pads(Layer layer, String padding, long[] shape, int[] window, int[] strides) {
        if ("valid".equals(padding)) {
            return new long[4];
        }
        long[] pads = new long[4];
        for (int i = 0; i < 2; i++) {
            long in = shape[1 + i];
            if (in < 0) {
                throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " has padding 'same' but "
                        + "its input shape " + Shapes.format(shape) + " leaves a spatial size unknown; build the model "
                        + "with a fixed image size");
            }
            long out = (in + strides[i] - 1) / strides[i];
            long total = Math.max((out - 1) * strides[i] + window[i] - in, 0);
            pads[i] = total / 2;
            pads[i + 2] = total - total / 2;
        }
        return pads;
    }

    /** The span a dilated kernel covers, which is what 'same' padding pads for. */
    private static int[] dilated(int[] kernel, int[] dilations) {
        return new int[] {(kernel[0] - 1) * dilations[0] + 1, (kernel[1] - 1) * dilations[1] + 1};
    }

    private Value channelsFirst(Value x) {
        int rank = x.shape().length;
        if (x.channelsFirst() || rank < 3) {
            return x;   // rank 2 is (batch, channels) in both layouts
        }
        long[] perm = new long[rank];
        perm[1] = rank - 1;
        for (int i = 2; i < rank; i++) {
            perm[i] = i - 1;
        }
        return new Value(graph.node("Transpose", x.name() + "/to_channels_first", new Attr[] {Attr.ints("perm", perm)},
                x.name()), x.shape(), true);
    }

    /** {@code x} in grad4j's layout: how values leave the graph. */
    Value channelsLast(Value x) {
        if (!x.channelsFirst()) {
            return x;
        }
        int rank = x.shape().length;
        long[] perm = new long[rank];
        for (int i = 1; i < rank - 1; i++) {
            perm[i] = i + 1;
        }
        perm[rank - 1] = 1;
        return new Value(graph.node("Transpose", x.name() + "/to_channels_last", new Attr[] {Attr.ints("perm", perm)},
                x.name()), x.shape(), false);
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }
}
