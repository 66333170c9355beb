package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import onnx.Onnx;
import org.grad4j.layers.Activation;
import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.Activations;
import org.grad4j.layers.Add;
import org.grad4j.layers.Average;
import org.grad4j.layers.AveragePooling1D;
import org.grad4j.layers.AveragePooling2D;
import org.grad4j.layers.BaseConv;
import org.grad4j.layers.BaseConvTranspose;
import org.grad4j.layers.BaseGlobalPooling;
import org.grad4j.layers.BasePooling;
import org.grad4j.layers.CallKind;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.Conv1D;
import org.grad4j.layers.Conv1DTranspose;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Conv2DTranspose;
import org.grad4j.layers.ConvolutionLayer;
import org.grad4j.layers.DepthwiseConv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.GlobalAveragePooling1D;
import org.grad4j.layers.GlobalAveragePooling2D;
import org.grad4j.layers.GlobalMaxPooling1D;
import org.grad4j.layers.GlobalMaxPooling2D;
import org.grad4j.layers.GRU;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNormalization;
import org.grad4j.layers.MaxPooling1D;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.layers.Maximum;
import org.grad4j.layers.Merge;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.layers.Multiply;
import org.grad4j.layers.Normalization;
import org.grad4j.layers.Permute;
import org.grad4j.layers.RepeatVector;
import org.grad4j.layers.Rescaling;
import org.grad4j.layers.Reshape;
import org.grad4j.layers.SimpleRNN;
import org.grad4j.layers.Subtract;
import org.grad4j.layers.UpSampling2D;
import org.grad4j.layers.ZeroPadding2D;
import org.grad4j.models.saving.OnnxGraph.Attr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
            Concatenate.class, Conv1D.class, MaxPooling1D.class, AveragePooling1D.class, GlobalAveragePooling1D.class,
            GlobalMaxPooling1D.class, GlobalAveragePooling2D.class, GlobalMaxPooling2D.class, DepthwiseConv2D.class,
            Conv2DTranspose.class, Conv1DTranspose.class, Normalization.class, Reshape.class, Permute.class,
            ZeroPadding2D.class, UpSampling2D.class, RepeatVector.class, LayerNormalization.class, Embedding.class,
            SimpleRNN.class, LSTM.class, GRU.class, Bidirectional.class, MultiHeadAttention.class);
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

    /** Each value's other layout, once made: a value read by several layers is transposed once. */
    private final Map<String, Value> transposed = new HashMap<>();
    private final OnnxConvolutions convolutions;
    private final OnnxRecurrent recurrent;
    private final OnnxAttention attention;

    /** Writes (once) and names a layer's weight. */
    interface Weights {
        String get(Layer owner, String key, Supplier<INDArray> value);
    }

    OnnxLayers(OnnxGraph graph) {
        this.graph = graph;
        this.convolutions = new OnnxConvolutions(graph, this::weight);
        this.recurrent = new OnnxRecurrent(graph, this::weight);
        this.attention = new OnnxAttention(graph, this::weight);
    }

    /**
     * Throws naming the layer (and the supported ones) if {@link #export} cannot write it called {@code kind}
     * ({@code SINGLE} for a Sequential's layers); writes nothing.
     */
    static void check(Layer layer, CallKind kind) {
        if (!SUPPORTED.contains(layer.getClass())) {
            throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " of class "
                    + layer.getClass().getName() + " has no ONNX export; supported layers: " + supportedNames()
                    + ", and Sequential or Functional models used as layers");
        }
        CallKind expected = layer instanceof InputLayer ? CallKind.INPUT : layer instanceof Merge ? CallKind.LIST : CallKind.SINGLE;
        boolean ok = kind == expected || (kind == CallKind.SINGLE && layer instanceof InputLayer)
                || (kind == CallKind.STATE && OnnxRecurrent.handles(layer))
                || (kind == CallKind.ATTENTION && layer instanceof MultiHeadAttention);
        if (!ok) {
            throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " is called as " + kind
                    + "; its ONNX export writes calls of kind " + expected + " only");
        }
        if (layer instanceof Embedding e && e.maskZero()) {
            throw new IllegalArgumentException("exportOnnx: layer " + e.describe() + " has mask_zero=true; the ONNX "
                    + "export does not write Keras' mask (the padded steps that recurrent layers, pooling, attention "
                    + "and the loss skip in grad4j), so the exported graph would compute other outputs: export a model "
                    + "whose Embedding has maskZero(false)");
        }
        if (layer instanceof Normalization n && !n.isAdapted()) {
            throw new IllegalArgumentException("exportOnnx: layer " + n.describe() + " has no statistics yet; adapt it "
                    + "(or give it a mean and variance) before exporting");
        }
        if (OnnxRecurrent.handles(layer)) {
            OnnxRecurrent.check(layer);
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
                : layer instanceof ConvolutionLayer<?> c ? c.activation()
                // DepthwiseConv2D takes its activation by name only, so the name is the built-in's
                : layer instanceof DepthwiseConv2D ? Activations.get((String) layer.config().get("activation")) : null;
    }

    static String supportedNames() {
        return SUPPORTED.stream().map(Class::getSimpleName).toList().toString();
    }

    /**
     * Appends {@code layer} applied to {@code xs} (one value, or a merge's list); {@link #check} must have passed.
     * Returns the output, followed for a recurrent layer by its states ({@code callWithState}'s list).
     */
    List<Value> export(Layer layer, List<Value> xs) {
        if (layer instanceof Merge merge) {
            return List.of(merge(merge, xs));
        }
        if (OnnxRecurrent.handles(layer)) {
            return recurrent.export(layer, channelsLast(xs.get(0)));   // the output, then the states
        }
        if (layer instanceof MultiHeadAttention attention) {
            return List.of(this.attention.export(attention, xs.stream().map(this::channelsLast).toList()));
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
        if (layer instanceof BaseConv<?> conv) {
            return activation(conv.activation(), base, convolutions.conv(conv, channelsFirst(x), outShape));
        }
        if (layer instanceof DepthwiseConv2D depthwise) {
            return activation(activation(layer), base, convolutions.depthwise(depthwise, channelsFirst(x), outShape));
        }
        if (layer instanceof BaseConvTranspose<?> conv) {
            return activation(conv.activation(), base, convolutions.convTranspose(conv, channelsFirst(x), outShape));
        }
        if (layer instanceof Normalization norm) {
            return normalization(norm, channelsLast(x), outShape);
        }
        if (layer instanceof BasePooling<?>) {
            return convolutions.pooling(layer, channelsFirst(x), outShape);
        }
        if (layer instanceof BaseGlobalPooling<?>) {
            return convolutions.globalPooling(layer, channelsFirst(x), outShape);
        }
        if (layer instanceof BatchNormalization bn) {
            return batchNormalization(bn, x.shape().length > 2 ? channelsFirst(x) : x, outShape);
        }
        if (layer instanceof Reshape) {
            long[] target = outShape.clone();
            target[0] = 0;   // ONNX's 0 copies the input's (batch) size
            return new Value(graph.node("Reshape", base + "/Reshape", channelsLast(x).name(),
                    graph.longs(base + "/shape", unknownAsFree(target))), outShape, false);
        }
        if (layer instanceof Permute) {
            List<?> dims = (List<?>) layer.config().get("dims");
            long[] perm = new long[dims.size() + 1];
            for (int i = 0; i < dims.size(); i++) {
                perm[i + 1] = ((Number) dims.get(i)).longValue();
            }
            return new Value(graph.node("Transpose", base + "/Transpose", new Attr[] {Attr.ints("perm", perm)},
                    channelsLast(x).name()), outShape, false);
        }
        if (layer instanceof ZeroPadding2D) {
            return zeroPadding(layer, x, outShape);
        }
        if (layer instanceof UpSampling2D) {
            int[] size = ints(layer.config().get("size"));
            Value in = channelsFirst(x);
            INDArray scales = Nd4j.createFromArray(1f, 1f, (float) size[0], (float) size[1]);
            // 'asymmetric' + 'floor' maps output cell i to input cell floor(i / size): each cell repeated, as Keras' nearest
            Attr[] attributes = {Attr.string("mode", "nearest"), Attr.string("coordinate_transformation_mode", "asymmetric"),
                    Attr.string("nearest_mode", "floor")};
            return new Value(graph.node("Resize", base + "/Resize", attributes, in.name(), "",
                    weight(layer, "scales", () -> scales)), outShape, true);
        }
        if (layer instanceof RepeatVector) {
            long n = ((Number) layer.config().get("n")).longValue();
            String expanded = graph.node("Unsqueeze", base + "/Unsqueeze", x.name(), graph.longs(base + "/axes", 1));
            return new Value(graph.node("Expand", base + "/Expand", expanded, graph.longs(base + "/shape", 1, n, 1)),
                    outShape, false);
        }
        if (layer instanceof LayerNormalization ln) {
            return layerNormalization(ln, channelsLast(x), outShape);
        }
        if (layer instanceof Embedding embedding) {
            // ids arrive as float values; Cast truncates toward zero as grad4j's cast to int does
            String ids = graph.node("Cast", base + "/Cast", new Attr[] {Attr.integer("to", Onnx.TensorProto.DataType.INT64_VALUE)},
                    channelsLast(x).name());
            return new Value(graph.node("Gather", base + "/Gather", new Attr[] {Attr.integer("axis", 0)},
                    weight(embedding, "embeddings", () -> embedding.embeddings().array()), ids), outShape, false);
        }
        return x;   // InputLayer, and Dropout, which is the identity at inference
    }


    private static long[] unknownAsFree(long[] shape) {
        long[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] < 0 ? -1 : out[i];
        }
        return out;
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




    /**
     * Keras' Normalization with its statistics as constants: the mean and the standard deviation floored at
     * {@link Normalization#EPSILON}, computed in float64 and rounded to float32 as grad4j does.
     */
    private Value normalization(Normalization norm, Value x, long[] outShape) {
        String base = norm.name();
        int rank = x.shape().length;
        long[] broadcast = new long[rank];
        Arrays.fill(broadcast, 1);
        for (int a : norm.axis()) {
            int axis = a < 0 ? a + rank : a;
            broadcast[axis] = x.shape()[axis];
        }
        String mean = weight(norm, "mean", () -> norm.mean().reshape('c', broadcast));
        String std = weight(norm, "std", () -> Transforms.max(Transforms.sqrt(norm.variance(), true), Normalization.EPSILON, false)
                .reshape('c', broadcast));
        String y = norm.invert()
                ? graph.node("Add", base + "/add_mean", graph.node("Mul", base + "/mul_std", x.name(), std), mean)
                : graph.node("Div", base + "/div_std", graph.node("Sub", base + "/sub_mean", x.name(), mean), std);
        return new Value(y, outShape, false);
    }


    /** ZeroPadding2D pads rows and columns, wherever they are in {@code x}'s layout. */
    private Value zeroPadding(Layer layer, Value x, long[] outShape) {
        List<?> padding = (List<?>) layer.config().get("padding");
        int[] rows = ints(padding.get(0));
        int[] cols = ints(padding.get(1));
        int h = x.channelsFirst() ? 2 : 1;
        long[] pads = new long[8];
        pads[h] = rows[0];
        pads[h + 1] = cols[0];
        pads[4 + h] = rows[1];
        pads[4 + h + 1] = cols[1];
        return new Value(graph.node("Pad", layer.name() + "/Pad", x.name(), graph.longs(layer.name() + "/pads", pads)),
                outShape, x.channelsFirst());
    }

    /** grad4j's own arithmetic, op for op: ONNX's LayerNormalization (opset 17) only normalizes trailing axes. */
    private Value layerNormalization(LayerNormalization ln, Value x, long[] outShape) {
        String base = ln.name();
        List<?> axisList = ln.config().get("axis") instanceof List<?> l ? l : List.of(ln.config().get("axis"));
        long[] axes = axisList.stream().mapToLong(a -> ((Number) a).longValue()).toArray();
        int rank = x.shape().length;
        Attr[] reduce = {Attr.ints("axes", axes), Attr.integer("keepdims", 1)};
        String mean = graph.node("ReduceMean", base + "/mean", reduce, x.name());
        String centered = graph.node("Sub", base + "/centered", x.name(), mean);
        String squared = graph.node("Mul", base + "/squared", centered, centered);
        String variance = graph.node("ReduceMean", base + "/variance", reduce, squared);
        String shifted = graph.node("Add", base + "/variance_epsilon", variance,
                weight(ln, "epsilon", () -> Nd4j.scalar(DataType.FLOAT, ((Number) ln.config().get("epsilon")).doubleValue())));
        String y = graph.node("Div", base + "/normalized", centered, graph.node("Sqrt", base + "/std", shifted));
        long[] broadcast = new long[rank];
        Arrays.fill(broadcast, 1);
        for (long a : axes) {
            broadcast[(int) a] = x.shape()[(int) a];
        }
        if (ln.gamma() != null) {
            y = graph.node("Mul", base + "/scale", y, weight(ln, "gamma", () -> ln.gamma().array().reshape('c', broadcast)));
        }
        if (ln.beta() != null) {
            y = graph.node("Add", base + "/center", y, weight(ln, "beta", () -> ln.beta().array().reshape('c', broadcast)));
        }
        return new Value(y, outShape, false);
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
        return transposed.computeIfAbsent(x.name(), n -> new Value(graph.node("Transpose", n + "/to_channels_first",
                new Attr[] {Attr.ints("perm", perm)}, n), x.shape(), true));
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
        return transposed.computeIfAbsent(x.name(), n -> new Value(graph.node("Transpose", n + "/to_channels_last",
                new Attr[] {Attr.ints("perm", perm)}, n), x.shape(), false));
    }

    /** A config's list of numbers. */
    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }
}
