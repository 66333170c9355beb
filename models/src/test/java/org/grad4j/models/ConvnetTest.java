package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Conv2DTranspose;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The classic Keras convnet (the MNIST example): Keras' summary, and a few training steps that lower the loss. */
class ConvnetTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(7);
    }

    private static Sequential convnet() {
        return new Sequential(new InputLayer(28, 28, 1), new Conv2D(32, 3).activation("relu"), new MaxPooling2D(2),
                new Conv2D(64, 3).activation("relu"), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
                new Dense(10, "softmax"));
    }

    @Test
    void summaryHasKerasShapesAndParameterCounts() {
        Sequential model = convnet();
        String text = model.summaryString();
        for (String row : List.of(
                "│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │",
                "│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │",
                "│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │",
                "│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │",
                "│ flatten (Flatten)               │ (None, 1600)           │             0 │",
                "│ dropout (Dropout)               │ (None, 1600)           │             0 │",
                "│ dense (Dense)                   │ (None, 10)             │        16,010 │")) {
            assertTrue(text.contains(row + "\n"), "missing row\n" + row + "\nin\n" + text);
        }
        assertTrue(text.contains(" Total params: 34,826 (136.04 KB)\n"), text);
        assertTrue(text.contains(" Trainable params: 34,826 (136.04 KB)\n"), text);
        assertEquals(34_826, model.countParams());
        assertArrayEquals(new long[] {-1, 10}, model.outputShape());
    }

    @Test
    void aFewTrainingStepsLowerTheLoss() {
        Sequential model = convnet();
        model.compile(new Adam(1e-3), "sparse_categorical_crossentropy");
        SplittableRandom random = new SplittableRandom(11);
        float[] pixels = new float[32 * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        float[] labels = new float[32];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        INDArray x = Nd4j.create(pixels, new long[] {32, 28, 28, 1}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {32}, 'c').castTo(DataType.FLOAT);
        double first = model.trainOnBatch(x, y).get("loss");
        double last = first;
        for (int step = 0; step < 8; step++) {
            last = model.trainOnBatch(x, y).get("loss");
        }
        // random labels on one fixed batch: the network memorises them, so the loss must fall
        assertTrue(last < first, "loss went from " + first + " to " + last);
        assertTrue(Double.isFinite(last), "loss " + last);
    }

    @Test
    void aTransposedConvolutionDecoderAsKeras(@TempDir Path dir) {
        // Keras: Conv2DTranspose(16, 3, strides=2, padding="same") on (None, 7, 7, 32) -> (None, 14, 14, 16),
        // 3*3*16*32 + 16 = 4,624 params; then 'valid' kernel 3 stride 2 on 14 -> (14-1)*2 + 3 = 29
        Sequential model = new Sequential(new InputLayer(7, 7, 32), new Conv2DTranspose(16, 3).strides(2).padding("same"),
                new Conv2DTranspose(1, 3).strides(2).activation("sigmoid"));
        String text = model.summaryString();
        for (String row : List.of(
                "│ conv2d_transpose                │ (None, 14, 14, 16)     │         4,624 │",
                "│ conv2d_transpose_1              │ (None, 29, 29, 1)      │           145 │")) {
            assertTrue(text.contains(row + "\n"), "missing row\n" + row + "\nin\n" + text);
        }
        assertTrue(text.contains(" Total params: 4,769 (18.63 KB)\n"), text);
        assertEquals(4_769, model.countParams());

        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 7, 7, 32).subi(0.5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 29, 29, 1);
        model.compile(new Adam(1e-2), "mse");
        double first = model.trainOnBatch(x, y).get("loss");
        double last = first;
        for (int step = 0; step < 5; step++) {
            last = model.trainOnBatch(x, y).get("loss");
        }
        assertTrue(last < first, "loss went from " + first + " to " + last);
        Path file = dir.resolve("decoder.g4j");
        model.save(file);
        Model loaded = Model.load(file);
        assertEquals(model.predict(x), loaded.predict(x));
    }
}
