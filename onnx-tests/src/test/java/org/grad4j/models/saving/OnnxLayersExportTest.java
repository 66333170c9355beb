package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.core.Seeds;
import org.grad4j.layers.AveragePooling1D;
import org.grad4j.layers.Conv1D;
import org.grad4j.layers.Conv1DTranspose;
import org.grad4j.layers.Conv2DTranspose;
import org.grad4j.layers.Dense;
import org.grad4j.layers.DepthwiseConv2D;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.GlobalAveragePooling1D;
import org.grad4j.layers.GlobalAveragePooling2D;
import org.grad4j.layers.GlobalMaxPooling1D;
import org.grad4j.layers.GlobalMaxPooling2D;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LayerNormalization;
import org.grad4j.layers.Layers;
import org.grad4j.layers.MaxPooling1D;
import org.grad4j.layers.Normalization;
import org.grad4j.layers.Permute;
import org.grad4j.layers.RepeatVector;
import org.grad4j.layers.Reshape;
import org.grad4j.layers.UpSampling2D;
import org.grad4j.layers.ZeroPadding2D;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Convolutions of 1 and 2 axes, transposed and depthwise ones, pooling, reshaping and normalization layers in ORT. */
class OnnxLayersExportTest {
    @TempDir
    Path dir;

    private double check(String what, Model model, String input, INDArray x) throws Exception {
        OnnxCheck.randomizeWeights(model);
        double error = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), input, x);
        System.out.println("OnnxLayersExportTest " + what + " max abs error vs predict: " + error);
        return error;
    }

    @Test
    void sequenceConvolutionsAndPooling() throws Exception {
        Seeds.set(31);
        Sequential model = new Sequential(new InputLayer(11, 3).name("steps"),
                new Conv1D(4, 3).padding("same").activation("relu"), new MaxPooling1D(2).padding("same"),
                new Conv1D(6, 2).dilationRate(2).activation("tanh"), new AveragePooling1D(2).strides(1),
                new Conv1D(4, 2).strides(2).padding("same").groups(2), new GlobalAveragePooling1D(), new Dense(3));
        check("conv1d", model, "steps", Nd4j.randn(DataType.FLOAT, 4, 11, 3));

        Sequential max = new Sequential(new InputLayer(9, 2).name("steps"), new Conv1D(3, 3), new GlobalMaxPooling1D());
        check("global max 1d", max, "steps", Nd4j.randn(DataType.FLOAT, 3, 9, 2));
    }

    @Test
    void depthwiseTransposedConvolutionsPaddingAndUpsampling() throws Exception {
        Seeds.set(32);
        Sequential model = new Sequential(new InputLayer(7, 6, 3).name("image"), new ZeroPadding2D(1, 2, 0, 1),
                new DepthwiseConv2D(3, 3).depthMultiplier(2).activation("relu"),
                new Conv2DTranspose(4, 3).strides(2).padding("same"), new UpSampling2D(2, 3),
                new DepthwiseConv2D(2, 2).strides(2).padding("same"), new GlobalMaxPooling2D(), new Dense(2, "sigmoid"));
        check("depthwise/transpose", model, "image", Nd4j.randn(DataType.FLOAT, 2, 7, 6, 3));
    }

    /** Every way the transposed output's size comes about: cut in front and behind, or extended (output_padding). */
    @Test
    void transposedConvolutionSizes() throws Exception {
        Seeds.set(33);
        Conv2DTranspose[] layers = {
            new Conv2DTranspose(3, 3).strides(2).padding("valid").outputPadding(1),
            new Conv2DTranspose(3, 2).strides(3),   // a stride wider than the kernel: Keras' extra cells at the end
            new Conv2DTranspose(3, 4, 3).strides(2, 3).padding("same").outputPadding(1, 0).activation("tanh"),
            new Conv2DTranspose(2, 3).dilationRate(2).padding("same").useBias(false),
            new Conv2DTranspose(2, 5, 2).strides(2).padding("same"),
        };
        for (int i = 0; i < layers.length; i++) {
            Conv2DTranspose layer = layers[i];
            Sequential model = new Sequential(new InputLayer(5, 4, 2).name("image"), layer,
                    new GlobalAveragePooling2D().keepdims(true), new Flatten());
            Sequential raw = new Sequential(new InputLayer(5, 4, 2).name("image"),
                    Layers.fromConfig("Conv2DTranspose", layer.config()));
            String what = "conv2d transpose " + i + " (" + layer.config().get("padding") + ")";
            check(what + " pooled", model, "image", Nd4j.randn(DataType.FLOAT, 2, 5, 4, 2));
            check(what + " map", raw, "image", Nd4j.randn(DataType.FLOAT, 2, 5, 4, 2));
        }
    }

    @Test
    void sequenceTransposedConvolutions() throws Exception {
        Seeds.set(36);
        Conv1DTranspose[] layers = {
            new Conv1DTranspose(3, 3).strides(2).padding("same"),
            new Conv1DTranspose(3, 3).strides(2).outputPadding(1).activation("relu"),
            new Conv1DTranspose(2, 2).strides(3),
            new Conv1DTranspose(2, 4).strides(2).padding("same").outputPadding(1),
        };
        for (int i = 0; i < layers.length; i++) {
            Sequential model = new Sequential(new InputLayer(5, 2).name("steps"), layers[i]);
            check("conv1d transpose " + i, model, "steps", Nd4j.randn(DataType.FLOAT, 3, 5, 2));
        }
    }

    /** Adapted per feature, over two kept axes, fixed scalars, and inverted. */
    @Test
    void normalization() throws Exception {
        Seeds.set(37);
        INDArray data = Nd4j.randn(DataType.FLOAT, 20, 4, 3).muli(3).addi(1);
        Normalization perFeature = new Normalization();
        perFeature.adapt(data);
        Normalization perCell = new Normalization(new int[] {1, 2});
        perCell.adapt(data);
        Sequential model = new Sequential(new InputLayer(4, 3).name("cells"), perFeature, perCell,
                new Normalization(2.0, 9.0), new Normalization(new double[] {1, -1, 0.5}, new double[] {4, 0, 2}).invert(true),
                new Flatten());
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 4, 3);
        double error = OnnxCheck.exportAndCompare(model, dir.resolve("model.onnx"), "cells", x);
        System.out.println("OnnxLayersExportTest normalization max abs error vs predict: " + error);
    }

    @Test
    void unadaptedNormalizationIsRefused() {
        Sequential model = new Sequential(new InputLayer(3), new Normalization());
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("normalization") && e.getMessage().contains("adapt"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void reshapePermuteRepeatAndLayerNormalization() throws Exception {
        Seeds.set(34);
        Sequential model = new Sequential(new InputLayer(6).name("features"), new Dense(12, "tanh"), new Reshape(3, -1),
                new Permute(2, 1), new LayerNormalization().epsilon(1e-2), new Flatten(), new RepeatVector(2),
                new LayerNormalization(1, 2), new Reshape(2, 3, 4), new LayerNormalization(-1, 1).center(false),
                new Flatten(), new Dense(3));
        check("reshape/permute/repeat/layernorm", model, "features", Nd4j.randn(DataType.FLOAT, 5, 6));
    }

    @Test
    void embeddingReadsIntegerValuedFloats() throws Exception {
        Seeds.set(35);
        Sequential model = new Sequential(new InputLayer(5).name("ids"), new Embedding(10, 4), new Conv1D(3, 2),
                new Flatten(), new Dense(2));
        INDArray ids = Transforms.floor(Nd4j.rand(DataType.FLOAT, 6, 5).muli(10));
        check("embedding", model, "ids", ids);
    }

    @Test
    void maskZeroIsRefused() {
        Sequential model = new Sequential(new InputLayer(5), new Embedding(10, 4).maskZero(true), new Flatten());
        Path file = dir.resolve("model.onnx");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(file));

        assertTrue(e.getMessage().contains("mask_zero"), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
