package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 16's bad inputs for the image and sequence layers: wrong rank, channels_first data, a kernel larger than the
 * padded input, a mask of the wrong shape, merges of mismatched shapes. Each fails with a message naming the layer
 * and both shapes (what was expected, what came), before anything changes: an unbuilt layer stays unbuilt without
 * weights, a built one keeps its weights.
 */
class LayerInputErrorsTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    /** Runs {@code call}, expecting a rejection whose message holds every one of {@code parts}. */
    private static void assertRejected(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "missing \"" + part + "\" in: " + e.getMessage());
        }
    }

    private static void assertUntouched(Layer layer) {
        assertFalse(layer.isBuilt(), layer.describe() + " was built by a rejected input");
        assertTrue(layer.weights().isEmpty(), layer.describe() + " kept weights from a rejected input");
    }

    private static List<double[]> values(Layer layer) {
        return layer.weights().stream().map(Variable::toDoubleArray).toList();
    }

    private static void assertSameValues(List<double[]> before, Layer layer) {
        List<double[]> after = values(layer);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), 0.0, layer.describe() + " weight " + i + " changed");
        }
    }

    @Test
    void wrongRankNamesTheLayerTheExpectedLayoutAndTheShape() {
        List<Layer> images = List.of(new Conv2D(2, 3), new Conv2DTranspose(2, 3), new DepthwiseConv2D(3), new MaxPooling2D(),
                new AveragePooling2D(2), new GlobalAveragePooling2D());
        for (Layer layer : images) {
            assertRejected(() -> layer.apply(Tensor.zeros(2, 28, 28)), layer.describe(), "rank 4",
                    "[batch, height, width, channels]", "got shape [2, 28, 28]");
            assertUntouched(layer);
        }
        List<Layer> sequences = List.of(new Conv1D(2, 3), new Conv1DTranspose(2, 3), new MaxPooling1D(), new GlobalMaxPooling1D());
        for (Layer layer : sequences) {
            assertRejected(() -> layer.apply(Tensor.zeros(2, 5, 5, 3)), layer.describe(), "rank 3",
                    "[batch, steps, channels]", "got shape [2, 5, 5, 3]");
            assertUntouched(layer);
        }
        List<Layer> recurrent = List.of(new LSTM(2), new GRU(2), new Bidirectional(new LSTM(2)));
        for (Layer layer : recurrent) {
            assertRejected(() -> layer.apply(Tensor.zeros(2, 5)), layer.describe(), "rank 3", "(batch, steps, features)",
                    "got shape [2, 5]");
            assertUntouched(layer);
        }
    }

    @Test
    void channelsFirstDataMeetsTheChannelsTheKernelWasBuiltFor() {
        // built on channels_last [1, 8, 8, 3]; channels_first [1, 3, 8, 8] then has 8 channels where 3 are expected
        List<Layer> layers = List.of(new Conv2D(4, 3), new Conv2DTranspose(4, 3), new DepthwiseConv2D(3));
        List<String> kernels = List.of("kernel [3, 3, 3, 4]", "kernel [3, 3, 4, 3]", "kernel [3, 3, 3, 1]");
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.apply(normal(1, 1, 8, 8, 3));
            List<double[]> before = values(layer);
            assertRejected(() -> layer.apply(Tensor.zeros(1, 3, 8, 8)), layer.describe(), "last dimension must be 3",
                    kernels.get(i), "channels_last", "got shape [1, 3, 8, 8]");
            assertSameValues(before, layer);
        }
        Conv1D conv1d = new Conv1D(4, 3);
        conv1d.apply(normal(2, 1, 10, 6));
        assertRejected(() -> conv1d.apply(Tensor.zeros(1, 6, 10)), conv1d.describe(), "last dimension must be 6",
                "kernel [3, 6, 4]", "got shape [1, 6, 10]");
        // a Keras config asking for channels_first is refused for every layer of the family
        Map<String, Map<String, Object>> configs = Map.of(
                "Conv1D", Map.of("filters", 2, "kernel_size", 3),
                "Conv2D", Map.of("filters", 2, "kernel_size", 3),
                "Conv2DTranspose", Map.of("filters", 2, "kernel_size", 3),
                "DepthwiseConv2D", Map.of("kernel_size", 3),
                "MaxPooling2D", Map.of(),
                "AveragePooling1D", Map.of("pool_size", 2),
                "GlobalMaxPooling2D", Map.of());
        for (Map.Entry<String, Map<String, Object>> c : configs.entrySet()) {
            Map<String, Object> config = new java.util.HashMap<>(c.getValue());
            config.put("data_format", "channels_first");
            assertRejected(() -> Layers.fromConfig(c.getKey(), config), c.getKey() + ".fromConfig", "\"channels_first\"",
                    "channels_last");
        }
    }

    @Test
    void aKernelLargerThanThePaddedInputNamesTheKernelAndTheInput() {
        assertKernelTooLarge(new Conv1D(2, 5), Tensor.zeros(1, 4, 3), "[5]");
        assertKernelTooLarge(new Conv2D(2, 5), Tensor.zeros(1, 4, 4, 1), "[5, 5]");
        assertKernelTooLarge(new Conv2D(2, 3).dilationRate(3), Tensor.zeros(1, 6, 9, 1), "dilation_rate [3, 3]");
        assertKernelTooLarge(new DepthwiseConv2D(2, 5), Tensor.zeros(1, 6, 4, 2), "[2, 5]");
        assertKernelTooLarge(new MaxPooling2D(3), Tensor.zeros(1, 2, 2, 1), "[3, 3]");
        assertKernelTooLarge(new AveragePooling1D(4), Tensor.zeros(1, 3, 2), "[4]");
        // with 'same' padding no window is too large; a transposed convolution only grows, and its analogue is an
        // output of no cells ('same', kernel 2, stride 2, output_padding 0 on one cell)
        Conv2DTranspose empty = new Conv2DTranspose(2, 2).strides(2).padding("same").outputPadding(0);
        assertRejected(() -> empty.apply(Tensor.zeros(1, 1, 3, 2)), empty.describe(), "empty", "[1, 1, 3, 2]", "kernel [2, 2]");
        assertUntouched(empty);
    }

    private static void assertKernelTooLarge(Layer layer, Tensor x, String window) {
        assertRejected(() -> layer.apply(x), layer.describe(), window, "is larger than the input",
                org.grad4j.core.Shapes.format(x.shape()), "'valid' padding");
        assertUntouched(layer);
    }

    @Test
    void aMaskOfTheWrongShapeNamesTheLayerAndBothShapes() {
        Tensor x = normal(3, 2, 5, 3);
        Tensor shortMask = Tensor.of(Nd4j.ones(DataType.BOOL, 2, 4));
        Tensor rank3Mask = Tensor.of(Nd4j.ones(DataType.FLOAT, 2, 5, 1));
        for (RecurrentLayer<?> layer : List.of(new LSTM(4), new GRU(4))) {
            assertRejected(() -> layer.call(x, shortMask, false), layer.describe(), "[batch, steps] = [2, 5]",
                    "for inputs [2, 5, 3]", "got [2, 4]");
            assertUntouched(layer);
            layer.call(x, false);
            List<double[]> before = values(layer);
            assertRejected(() -> layer.call(x, rank3Mask, true), layer.describe(), "[2, 5]", "got [2, 5, 1]");
            assertSameValues(before, layer);
        }
        Bidirectional both = new Bidirectional(new LSTM(3));
        assertRejected(() -> both.call(x, shortMask, false), both.describe(), "[2, 5]", "[2, 5, 3]", "got [2, 4]");
        assertUntouched(both);
        MultiHeadAttention attention = new MultiHeadAttention(2, 4);
        assertRejected(() -> attention.call(normal(4, 2, 3, 4), normal(5, 2, 5, 4), null,
                Tensor.of(Nd4j.ones(DataType.BOOL, 2, 5, 3))), attention.describe(), "[2, 3, 5]", "got [2, 5, 3]");
        assertUntouched(attention);
    }

    @Test
    void mergesOfMismatchedShapesNameTheLayerAndEveryShape() {
        Concatenate concatenate = new Concatenate();
        assertRejected(() -> concatenate.apply(List.of(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 4))), concatenate.describe(),
                "[[2, 3, 4], [2, 5, 4]]", "axis -1");
        assertRejected(() -> concatenate.apply(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 3, 4))), concatenate.describe(),
                "[[2, 3], [2, 3, 4]]", "one rank");
        assertRejected(() -> concatenate.computeOutputShape(List.of(new long[] {-1, 3, 4}, new long[] {-1, 5, 4})),
                concatenate.describe(), "[[-1, 3, 4], [-1, 5, 4]]");
        assertUntouched(concatenate);
        Concatenate axis1 = new Concatenate(1);
        assertRejected(() -> axis1.apply(List.of(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 5))), axis1.describe(),
                "[[2, 3, 4], [2, 3, 5]]", "axis 1");
        Add add = new Add();
        assertRejected(() -> add.apply(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4))), add.describe(), "[[2, 3], [2, 4]]",
                "same shape or broadcast");
        assertUntouched(add);
    }
}
