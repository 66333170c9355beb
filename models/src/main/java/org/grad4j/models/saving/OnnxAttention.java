package org.grad4j.models.saving;

import java.util.List;
import org.grad4j.core.Variable;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.models.saving.OnnxGraph.Attr;
import org.grad4j.models.saving.OnnxLayers.Value;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention without masks (a functional model cannot record one) as MatMul, Softmax, Reshape and
 * Transpose, step for step as grad4j computes it: per-head projections {@code [batch, heads, steps, size]}, the
 * query scaled by {@code 1/sqrt(key_dim)}, scores soft-maxed over the keys, the heads joined and projected out.
 */
final class OnnxAttention {
    private final OnnxGraph graph;
    private final OnnxLayers.Weights weights;

    OnnxAttention(OnnxGraph graph, OnnxLayers.Weights weights) {
        this.graph = graph;
        this.weights = weights;
    }

    /** {@code xs}: the query, then the value and the key (each defaulting as Keras does), all channels-last. */
    Value export(MultiHeadAttention layer, List<Value> xs) {
        Value query = xs.get(0);
        Value value = xs.size() > 1 ? xs.get(1) : query;
        Value key = xs.size() > 2 ? xs.get(2) : value;
        String base = layer.name();
        int heads = layer.numHeads();
        List<Variable> w = layer.weights();   // Keras' order: query, key, value, attention_output; kernel then bias each
        boolean bias = w.size() == 8;
        int step = bias ? 2 : 1;
        String q = heads(layer, "query", query.name(), w.get(0), bias ? w.get(1) : null, layer.keyDim());
        q = graph.node("Mul", base + "/query_scaled", q,
                weights.get(layer, "query_scale", () -> Nd4j.scalar(DataType.FLOAT, 1.0 / Math.sqrt(layer.keyDim()))));
        String k = heads(layer, "key", key.name(), w.get(step), bias ? w.get(step + 1) : null, layer.keyDim());
        String v = heads(layer, "value", value.name(), w.get(2 * step), bias ? w.get(2 * step + 1) : null, layer.valueDim());
        String kT = graph.node("Transpose", base + "/key_transposed", new Attr[] {Attr.ints("perm", 0, 1, 3, 2)}, k);
        String scores = graph.node("MatMul", base + "/scores", q, kT);
        String probabilities = graph.node("Softmax", base + "/probabilities", new Attr[] {Attr.integer("axis", -1)}, scores);
        String attended = graph.node("MatMul", base + "/attended", probabilities, v);
        String joined = graph.node("Transpose", base + "/steps_first", new Attr[] {Attr.ints("perm", 0, 2, 1, 3)}, attended);
        long width = (long) heads * layer.valueDim();
        joined = graph.node("Reshape", base + "/joined", joined, graph.longs(base + "/joined_shape", 0, 0, width));
        Variable outKernel = w.get(3 * step);
        long out = outKernel.shape()[2];
        String y = graph.node("MatMul", base + "/attention_output", joined,
                weights.get(layer, "attention_output/kernel", () -> outKernel.array().reshape('c', new long[] {width, out})));
        if (bias) {
            Variable outBias = w.get(3 * step + 1);
            y = graph.node("Add", base + "/attention_output_bias", y,
                    weights.get(layer, "attention_output/bias", outBias::array));
        }
        long[] shape = query.shape().clone();
        shape[2] = out;
        return new Value(y, shape, false);
    }

    /** {@code x [batch, steps, d]} projected to {@code [batch, heads, steps, size]}. */
    private String heads(MultiHeadAttention layer, String what, String x, Variable kernel, Variable bias, int size) {
        String base = layer.name() + "/" + what;
        long width = (long) layer.numHeads() * size;
        INDArray k = kernel.array();
        String p = graph.node("MatMul", base, x,
                weights.get(layer, what + "/kernel", () -> k.reshape('c', new long[] {k.shape()[0], width})));
        if (bias != null) {
            p = graph.node("Add", base + "/bias", p,
                    weights.get(layer, what + "/bias", () -> bias.array().reshape('c', new long[] {width})));
        }
        String split = graph.node("Reshape", base + "/heads", p, graph.longs(base + "/heads_shape", 0, 0, layer.numHeads(), size));
        return graph.node("Transpose", base + "/heads_first", new Attr[] {Attr.ints("perm", 0, 2, 1, 3)}, split);
    }
}
