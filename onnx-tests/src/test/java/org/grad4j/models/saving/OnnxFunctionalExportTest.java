package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Average;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.layers.Maximum;
import org.grad4j.layers.Multiply;
import org.grad4j.layers.Subtract;
import org.grad4j.models.Functional;
import org.grad4j.models.Input;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Functional models in ONNX Runtime: several inputs and outputs, shared layers, skip connections, merges. */
class OnnxFunctionalExportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
    }

    /** The model: a, b -> shared dense on each -> add -> concatenate with a (skip) -> out_reg; add -> out_cls. */
    @Test
    void twoInputsTwoOutputsSharedLayerAndSkipConnection() throws Exception {
        Seeds.set(21);
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor b = Input.of(new long[] {4}, "b");
        Dense shared = new Dense(8, "relu");
        Tensor merged = new Add().apply(List.of(shared.apply(a), shared.apply(b)));
        Tensor skip = new Concatenate().apply(List.of(merged, a));
        Tensor reg = new Dense(1).name("out_reg").apply(skip);
        Tensor cls = new Dense(3).name("out_cls").apply(merged);
        Functional model = new Functional(List.of(a, b), List.of(reg, cls));
        OnnxCheck.randomizeWeights(model);

        Map<String, Double> errors = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"),
                List.of(Nd4j.randn(DataType.FLOAT, 7, 4), Nd4j.randn(DataType.FLOAT, 7, 4)));
        System.out.println("OnnxFunctionalExportTest two-in two-out max abs error vs predictAll: " + errors);

        Onnx.ModelProto proto = OnnxFormat.toOnnx(model, "test");
        assertEquals(List.of("a", "b"), proto.getGraph().getInputList().stream().map(Onnx.ValueInfoProto::getName).toList());
        // the shared layer's kernel and bias once, and the two output layers' own: 6 initializers
        assertEquals(6, proto.getGraph().getInitializerCount(),
                proto.getGraph().getInitializerList().stream().map(Onnx.TensorProto::getName).toList().toString());
    }

    @Test
    void everyMergeAndAConvSkipConnection() throws Exception {
        Seeds.set(22);
        Tensor x = Input.of(new long[] {6, 6, 3}, "image");
        Tensor y = Input.of(new long[] {6, 6, 3}, "other");
        Tensor c1 = new Conv2D(4, 3, 3).padding("same").activation("relu").apply(x);
        Tensor c2 = new Conv2D(4, 1, 1).apply(y);
        Tensor bn = new BatchNormalization().apply(c1);
        Tensor sum = new Add().apply(List.of(bn, c2, c1));                 // channels-first throughout
        Tensor diff = new Subtract().apply(List.of(sum, c2));
        Tensor prod = new Multiply().apply(List.of(diff, new Conv2D(4, 1, 1).apply(x)));
        Tensor mean = new Average().apply(List.of(prod, sum));
        Tensor max = new Maximum().apply(List.of(mean, new Conv2D(4, 2, 2).padding("same").apply(y)));
        Tensor channels = new Concatenate().apply(List.of(max, x));       // the channel axis, written as ONNX's 1
        Tensor rows = new Concatenate(1).apply(List.of(channels, new Conv2D(7, 1, 1).apply(x)));
        Tensor pooled = new MaxPooling2D(2).apply(rows);
        Tensor flat = new Flatten().apply(pooled);
        Tensor out = new Dense(5, "softmax").name("probabilities").apply(flat);
        Tensor wide = new Concatenate(-2).apply(List.of(max, c2));          // columns, from channels-first inputs
        // a channels-first value beside a channels-last one (Dense on an image): both go to grad4j's layout
        Tensor mixed = new Add().apply(List.of(c2, new Dense(4).apply(c2)));
        Functional model = new Functional(List.of(x, y), List.of(out, wide, mixed, c2));
        OnnxCheck.randomizeWeights(model);

        Map<String, Double> errors = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"),
                List.of(Nd4j.randn(DataType.FLOAT, 3, 6, 6, 3), Nd4j.randn(DataType.FLOAT, 3, 6, 6, 3)));
        System.out.println("OnnxFunctionalExportTest merges max abs error vs predictAll: " + errors);
    }

    /** A Sequential called twice (one set of weights) and a two-input Functional, both as layers of a model. */
    @Test
    void nestedModelsAreWrittenInline() throws Exception {
        Seeds.set(23);
        Sequential encoder = new Sequential(new InputLayer(5, 5, 2), new Conv2D(3, 3, 3).activation("relu"), new Flatten(),
                new Dense(4, "tanh"));
        Tensor p = Input.of(new long[] {4}, "p");
        Tensor q = Input.of(new long[] {4}, "q");
        Functional pair = new Functional(List.of(p, q), List.of(new Subtract().apply(List.of(p, q)),
                new Multiply().apply(List.of(p, q))), "pair");
        Tensor left = Input.of(new long[] {5, 5, 2}, "left");
        Tensor right = Input.of(new long[] {5, 5, 2}, "right");
        List<Tensor> compared = pair.call(List.of(encoder.apply(left), encoder.apply(right)), false);
        Tensor score = new Dense(1, "sigmoid").name("score").apply(new Concatenate().apply(compared));
        Functional model = new Functional(List.of(left, right), List.of(score, compared.get(0)));
        OnnxCheck.randomizeWeights(model);

        Map<String, Double> errors = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"),
                List.of(Nd4j.randn(DataType.FLOAT, 3, 5, 5, 2), Nd4j.randn(DataType.FLOAT, 3, 5, 5, 2)));
        System.out.println("OnnxFunctionalExportTest nested models max abs error vs predictAll: " + errors);

        // the encoder's Conv2D kernel and bias and Dense kernel and bias once, and the score's Dense: 6 initializers
        long floats = OnnxFormat.toOnnx(model, "test").getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == Onnx.TensorProto.DataType.FLOAT_VALUE).count();
        assertEquals(6, floats);
    }
}
