package org.grad4j.models.saving;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNormalization;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.models.Functional;
import org.grad4j.models.Input;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** MultiHeadAttention (no masks) in ORT: self-attention in a Sequential, cross-attention with a key in a Functional. */
class OnnxAttentionExportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
    }

    @Test
    void selfAttentionInASequential() throws Exception {
        Seeds.set(51);
        Sequential model = new Sequential(new InputLayer(5, 6).name("tokens"), new MultiHeadAttention(2, 3),
                new MultiHeadAttention(3, 2).valueDim(4).outputShape(5).useBias(false), new LayerNormalization());
        OnnxCheck.randomizeWeights(model);
        double error = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), "tokens", Nd4j.randn(DataType.FLOAT, 3, 5, 6));
        System.out.println("OnnxAttentionExportTest self-attention max abs error vs predict: " + error);
    }

    /** A transformer-style block: cross-attention of 4 queries over 7 steps, with a separate key, and a residual. */
    @Test
    void crossAttentionWithKeyAndResidual() throws Exception {
        Seeds.set(52);
        Tensor query = Input.of(new long[] {4, 6}, "query");
        Tensor value = Input.of(new long[] {7, 5}, "value");
        Tensor key = Input.of(new long[] {7, 3}, "key");
        MultiHeadAttention attention = new MultiHeadAttention(2, 4);
        Tensor attended = attention.call(query, value, key);
        Tensor residual = new LayerNormalization().apply(new Add().apply(List.of(query, attended)));
        Tensor out = new Dense(2).name("out").apply(residual);
        Tensor self = new MultiHeadAttention(1, 3).name("self").call(value, value);
        Functional model = new Functional(List.of(query, value, key), List.of(out, self));
        OnnxCheck.randomizeWeights(model);

        Map<String, Double> errors = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), List.of(
                Nd4j.randn(DataType.FLOAT, 2, 4, 6), Nd4j.randn(DataType.FLOAT, 2, 7, 5), Nd4j.randn(DataType.FLOAT, 2, 7, 3)));
        System.out.println("OnnxAttentionExportTest cross-attention max abs error vs predictAll: " + errors);
    }
}
