package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.grad4j.layers.BaseConv;
import org.grad4j.layers.BaseConvTranspose;
import org.grad4j.layers.DepthwiseConv2D;
import org.grad4j.layers.GlobalMaxPooling1D;
import org.grad4j.layers.GlobalMaxPooling2D;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MaxPooling1D;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.models.saving.OnnxGraph.Attr;
import org.grad4j.models.saving.OnnxLayers.Value;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutions and pooling of 1 or 2 spatial axes as ONNX's Conv, ConvTranspose, MaxPool, AveragePool and global
 * pools, on channels-first values; each returns its result before the layer's activation. Keras' 'same' padding
 * becomes explicit pads, the odd cell at the end as TensorFlow puts it.
 */
final class OnnxConvolutions {
    private final OnnxGraph graph;
    private final OnnxLayers.Weights weights;

    OnnxConvolutions(OnnxGraph graph, OnnxLayers.Weights weights) {
        this.graph = graph;
        this.weights = weights;
    }

    /** Conv1D or Conv2D, before its activation. */
    Value conv(BaseConv<?> layer, Value x, long[] outShape) {
        String w = weights.get(layer, "kernel", () -> toOnnxKernel(layer.kernel().array()));
        String b = layer.bias() == null ? null : weights.get(layer, "bias", () -> layer.bias().array());
        return conv("Conv", layer, x, w, b, outShape, 0, null);
    }

    /** A Keras kernel {@code kernel_size + (in, out)} as ONNX's {@code (out, in) + kernel_size}. */
    private static INDArray toOnnxKernel(INDArray kernel) {
        int rank = kernel.rank();
        int[] perm = new int[rank];
        perm[0] = rank - 1;
        perm[1] = rank - 2;
        for (int i = 2; i < rank; i++) {
            perm[i] = i - 2;
        }
        return kernel.permute(perm);
    }

    /**
     * A Conv or ConvTranspose node for a channels-last {@code layer} of 1 or 2 spatial axes, read from its config;
     * {@code pads} (null: from the config's padding, as Keras pads) and {@code outputPadding} (ConvTranspose's).
     */
    private Value conv(String op, Layer layer, Value x, String w, String b, long[] outShape, int group,
            long[][] transposePads) {
        Map<String, Object> config = layer.config();
        int[] kernel = OnnxLayers.ints(config.get("kernel_size"));
        int[] strides = OnnxLayers.ints(config.get("strides"));
        int[] dilations = OnnxLayers.ints(config.get("dilation_rate"));
        List<Attr> attributes = new ArrayList<>(List.of(
                Attr.ints("kernel_shape", longs(kernel)),
                Attr.ints("strides", longs(strides)),
                Attr.ints("dilations", longs(dilations)),
                Attr.integer("group", group > 0 ? group : ((Number) config.get("groups")).intValue())));
        if (transposePads == null) {
            attributes.add(Attr.ints("pads",
                    pads(layer, (String) config.get("padding"), x.shape(), dilated(kernel, dilations), strides)));
        } else {
            attributes.add(Attr.ints("pads", transposePads[0]));
            attributes.add(Attr.ints("output_padding", transposePads[1]));
        }
        String[] inputs = b == null ? new String[] {x.name(), w} : new String[] {x.name(), w, b};
        return new Value(graph.node(op, layer.name() + "/" + op, attributes.toArray(Attr[]::new), inputs), outShape, true);
    }

    /** DepthwiseConv2D, before its activation: a Conv of one group per input channel, as grad4j computes it. */
    Value depthwise(DepthwiseConv2D layer, Value x, long[] outShape) {
        long[] k = layer.kernel().shape();   // (kh, kw, in, multiplier)
        String w = weights.get(layer, "kernel",
                () -> toOnnxKernel(layer.kernel().array().reshape('c', new long[] {k[0], k[1], 1, k[2] * k[3]})));
        List<Variable> vars = layer.weights();
        String b = vars.size() > 1 ? weights.get(layer, "bias", () -> vars.get(1).array()) : null;
        return conv("Conv", layer, x, w, b, outShape, (int) k[2], null);
    }

    /**
     * Keras' transposed convolution is ONNX's ConvTranspose with the kernel {@code (kh, kw, filters, in)} as
     * {@code (in, filters, kh, kw)}. The output grad4j computes is cut from ONNX's full output
     * {@code (n - 1) * stride + span}: 'same' drops {@code max((n - 1) * stride + span - out, 0) / 2} cells in front
     * (the forward convolution's padding), the rest of any surplus at the end, and a shortfall (Keras'
     * output_padding, or a stride wider than the kernel) becomes ONNX's output_padding.
     */
    Value convTranspose(BaseConvTranspose<?> layer, Value x, long[] outShape) {
        Map<String, Object> config = layer.config();
        int[] kernel = OnnxLayers.ints(config.get("kernel_size"));
        int[] strides = OnnxLayers.ints(config.get("strides"));
        int[] dilations = OnnxLayers.ints(config.get("dilation_rate"));
        boolean same = "same".equals(config.get("padding"));
        int spatial = kernel.length;
        long[] pads = new long[2 * spatial];
        long[] outputPadding = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            long n = x.shape()[1 + i];
            long out = outShape[1 + i];
            if (n < 0) {
                throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " needs a known input size, "
                        + "got " + Shapes.format(x.shape()) + "; build the model with a fixed image size");
            }
            long span = (long) dilations[i] * (kernel[i] - 1) + 1;
            long full = (n - 1) * strides[i] + span;
            long before = same ? Math.max(full - out, 0) / 2 : 0;
            long after = full - out - before;
            pads[i] = before;
            pads[i + spatial] = Math.max(after, 0);
            outputPadding[i] = Math.max(-after, 0);
        }
        String w = weights.get(layer, "kernel", () -> toOnnxKernel(layer.kernel().array()));
        String b = layer.bias() == null ? null : weights.get(layer, "bias", () -> layer.bias().array());
        return conv("ConvTranspose", layer, x, w, b, outShape, 1, new long[][] {pads, outputPadding});
    }

    Value globalPooling(Layer layer, Value x, long[] outShape) {
        boolean max = layer instanceof GlobalMaxPooling1D || layer instanceof GlobalMaxPooling2D;
        String op = max ? "GlobalMaxPool" : "GlobalAveragePool";
        String y = graph.node(op, layer.name() + "/" + op, x.name());
        if (Boolean.TRUE.equals(layer.config().get("keepdims"))) {
            return new Value(y, outShape, true);
        }
        return new Value(graph.node("Flatten", layer.name() + "/Flatten", new Attr[] {Attr.integer("axis", 1)}, y),
                outShape, false);
    }

    Value pooling(Layer layer, Value x, long[] outShape) {
        Map<String, Object> config = layer.config();
        int[] pool = OnnxLayers.ints(config.get("pool_size"));
        int[] strides = config.get("strides") == null ? pool : OnnxLayers.ints(config.get("strides"));
        Attr[] attributes = {
                Attr.ints("kernel_shape", longs(pool)),
                Attr.ints("strides", longs(strides)),
                Attr.ints("pads", pads(layer, (String) config.get("padding"), x.shape(), pool, strides))};
        // AveragePool's default count_include_pad=0 averages over the real cells only, as Keras' 'same' does
        String op = layer instanceof MaxPooling2D || layer instanceof MaxPooling1D ? "MaxPool" : "AveragePool";
        return new Value(graph.node(op, layer.name() + "/" + op, attributes, x.name()), outShape, true);
    }

    /**
     * ONNX pads (begin of each spatial axis, then end) reproducing Keras' padding: none for 'valid'; for 'same' the
     * total that keeps {@code ceil(in / stride)} outputs, with the odd cell at the end as TensorFlow does.
     */
    private static long[] pads(Layer layer, String padding, long[] shape, int[] window, int[] strides) {
        int spatial = window.length;
        long[] pads = new long[2 * spatial];
        if ("valid".equals(padding)) {
            return pads;
        }
        for (int i = 0; i < spatial; i++) {
            long in = shape[1 + i];
            if (in < 0) {
                throw new IllegalArgumentException("exportOnnx: layer " + layer.describe() + " has padding 'same' but "
                        + "its input shape " + Shapes.format(shape) + " leaves a spatial size unknown; build the model "
                        + "with a fixed image size");
            }
            long out = (in + strides[i] - 1) / strides[i];
            long total = Math.max((out - 1) * strides[i] + window[i] - in, 0);
            pads[i] = total / 2;
            pads[i + spatial] = total - total / 2;
        }
        return pads;
    }

    /** The span a dilated kernel covers, which is what 'same' padding pads for. */
    private static int[] dilated(int[] kernel, int[] dilations) {
        int[] span = new int[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            span[i] = (kernel[i] - 1) * dilations[i] + 1;
        }
        return span;
    }

    private static long[] longs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
