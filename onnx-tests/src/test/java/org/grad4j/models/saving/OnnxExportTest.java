package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Activation;
import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.AveragePooling2D;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.CategoryEncoding;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.layers.Rescaling;
import org.grad4j.models.Input;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What exportOnnx writes, ONNX Runtime runs to grad4j's own predictions. */
class OnnxExportTest {
    @TempDir
    Path dir;

    @Test
    void mlpRunsInOnnxRuntimeAsInPredict() throws Exception {
        Seeds.set(11);
        Sequential model = new Sequential(new InputLayer(6).name("features"), new Dense(16, "relu"), new Dropout(0.3),
                new Dense(12, "tanh"), new BatchNormalization(), new Activation("sigmoid"), new Dense(8),
                new Activation("linear"), new Dense(4, "softmax"));
        randomizeWeights(model);
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 6);

        double error = exportAndCompare(model, "features", x);
        System.out.println("OnnxExportTest MLP max abs error vs predict: " + error);
    }

    @Test
    void convnetRunsInOnnxRuntimeAsInPredict() throws Exception {
        Seeds.set(12);
        // odd 'same' paddings (kernel 2; pool 3 stride 2 on 4) put the extra cell at the end, as TensorFlow does;
        // Flatten after a 2x2x5 map checks the channels-last order
        Sequential model = new Sequential(new InputLayer(9, 9, 3).name("image"), new Rescaling(0.5, -0.25),
                new Conv2D(4, 2, 2).padding("same").activation("relu"), new BatchNormalization(),
                new Conv2D(5, 3, 3).padding("same").dilationRate(2), new MaxPooling2D(2),
                new AveragePooling2D(3).strides(2).padding("same"), new Flatten(), new Dropout(0.5),
                new Dense(10, "softmax"));
        randomizeWeights(model);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 9, 9, 3);

        double error = exportAndCompare(model, "image", x);
        System.out.println("OnnxExportTest convnet max abs error vs predict: " + error);
    }

    @Test
    void validConvStridesAndSoftmaxOverChannels() throws Exception {
        Seeds.set(13);
        // built without an InputLayer: the graph's input is then called "input"
        Sequential model = new Sequential(new Conv2D(3, 3, 2).strides(2, 1).activation("tanh"),
                new MaxPooling2D(2, 1).padding("same"), new Activation("softmax"));
        model.build(8, 7, 2);
        randomizeWeights(model);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 8, 7, 2);

        exportAndCompare(model, "input", x);
    }

    @Test
    void unsupportedLayerIsReportedBeforeTheFileIsTouched() throws IOException {
        Sequential model = new Sequential(new InputLayer(4), new Dense(4, "relu"), new CategoryEncoding(3));
        Path file = dir.resolve("model.onnx");
        Files.writeString(file, "previous");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("category_encoding") && e.getMessage().contains("org.grad4j.layers.CategoryEncoding"),
                e.getMessage());
        assertTrue(e.getMessage().contains("supported layers: [InputLayer, Dense, Activation"), e.getMessage());
        assertEquals("previous", Files.readString(file, StandardCharsets.UTF_8));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file is left");
        }
    }

    @Test
    void unsupportedActivationIsNamed() {
        Sequential model = new Sequential(new InputLayer(4), new Dense(3, "elu"));
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("\"elu\""), e.getMessage());
        assertTrue(e.getMessage().contains("softmax"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void ownActivationUnderABuiltInNameIsNotExportedAsTheBuiltIn() {
        ActivationFunction doubledRelu = ActivationFunction.of("relu", x -> x.relu().mul(2));
        Sequential model = new Sequential(new InputLayer(5, 5, 1), new Conv2D(2, 3, 3).activation(doubledRelu));
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("\"relu\" (org.grad4j.layers.ActivationFunction$Named)"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void unsupportedLayerOfANestedModelAndFloat64ModelsAreReported() {
        Tensor in = Input.of(4);
        Sequential inner = new Sequential(new InputLayer(4), new Dense(4), new CategoryEncoding(3), new Flatten());
        Model nested = Model.of(in, new Dense(2).apply(inner.apply(in)));
        Sequential float64 = new Sequential(new InputLayer(4), new Dense(2).dtype(DataType.DOUBLE));
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> nested.exportOnnx(file));
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> float64.exportOnnx(file));

        assertTrue(n.getMessage().contains("org.grad4j.layers.CategoryEncoding")
                && n.getMessage().contains("supported layers: ["), n.getMessage());
        assertTrue(d.getMessage().contains("DOUBLE") && d.getMessage().contains("float32"), d.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void unbuiltModelIsReported() {
        Sequential model = new Sequential(new Dense(3));
        Path file = dir.resolve("model.onnx");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("not built"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    private static void randomizeWeights(Model model) {
        OnnxCheck.randomizeWeights(model);
    }

    private double exportAndCompare(Model model, String inputName, INDArray x) throws IOException, OrtException {
        return OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), inputName, x);
    }
}
