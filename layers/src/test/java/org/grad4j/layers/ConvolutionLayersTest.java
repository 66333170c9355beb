package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Conv1D, Conv2D and the poolings: output shapes and weights as Keras', float64 gradient checks of inputs and
 * weights (groups, dilation, strides with 'same' padding), config round trips and the errors for bad input.
 */
class ConvolutionLayersTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    private static void assertGradients(Layer layer, Tensor x64) {
        double inputError = GradientCheck.check(in -> layer.call(in.get(0), true), List.of(x64));
        assertTrue(inputError < GRADIENT_BOUND, layer.describe() + ": input gradient error " + inputError);
        if (!layer.trainableWeights().isEmpty()) {
            double weightError = GradientCheck.checkVariables(() -> layer.call(x64, true).square().sum(), layer.trainableWeights());
            assertTrue(weightError < GRADIENT_BOUND, layer.describe() + ": weight gradient error " + weightError);
        }
    }

    private static Layer roundTrip(Layer layer) {
        Layer copy = Layers.fromConfig(layer.className(), layer.config());
        assertEquals(layer.config(), copy.config(), layer.describe() + ": config round trip");
        return copy;
    }

    @Test
    void conv2dContractAsKeras() {
        Conv2D conv = new Conv2D(32, 3).padding("same").strides(2).activation("relu");
        Tensor y = conv.apply(normal(1, 4, 28, 28, 3));
        assertShape(new long[] {4, 14, 14, 32}, y);
        assertNames(List.of("conv2d/kernel:0 [3, 3, 3, 32]", "conv2d/bias:0 [32]"), conv.weights());
        assertEquals(3 * 3 * 3 * 32 + 32, conv.countParams());
        assertArrayEquals(new long[] {-1, 14, 14, 32}, conv.computeOutputShape(-1, 28, 28, 3));
        Map<String, Object> config = conv.config();
        assertEquals(List.of(3, 3), config.get("kernel_size"));
        assertEquals(List.of(2, 2), config.get("strides"));
        assertEquals(List.of(1, 1), config.get("dilation_rate"));
        assertEquals("same", config.get("padding"));
        assertEquals("channels_last", config.get("data_format"));
        assertEquals("relu", config.get("activation"));
        assertEquals(1, config.get("groups"));
        roundTrip(conv);
    }

    @Test
    void conv2dGradientsWithGroupsDilationAndSameStrides() {
        Conv2D grouped = new Conv2D(4, 3, 2).groups(2).strides(2, 1).padding("same").activation("tanh").dtype(DataType.DOUBLE);
        grouped.apply(normal64(2, 2, 5, 6, 4));
        assertNames(List.of("conv2d/kernel:0 [3, 2, 2, 4]", "conv2d/bias:0 [4]"), grouped.weights());
        assertGradients(grouped, normal64(3, 2, 5, 6, 4));
        Conv2D dilated = new Conv2D(3, 2).dilationRate(2, 1).padding("same").useBias(false).dtype(DataType.DOUBLE);
        dilated.apply(normal64(4, 1, 6, 5, 2));
        assertEquals(1, dilated.weights().size());
        assertGradients(dilated, normal64(5, 1, 6, 5, 2));
        Conv2D relu = new Conv2D(2, 3).activation("relu").dtype(DataType.DOUBLE);
        relu.apply(normal64(6, 2, 5, 5, 2));
        assertGradients(relu, normal(7, DataType.DOUBLE, 1.0, new double[0], 2, 5, 5, 2));
    }

    @Test
    void conv1dContractAndGradients() {
        Conv1D conv = new Conv1D(16, 5);
        assertShape(new long[] {2, 16, 16}, conv.apply(normal(8, 2, 20, 3)));
        assertNames(List.of("conv1d/kernel:0 [5, 3, 16]", "conv1d/bias:0 [16]"), conv.weights());
        assertEquals(List.of(5), conv.config().get("kernel_size"));
        roundTrip(conv);
        Conv1D strided = new Conv1D(4, 4).strides(2).padding("same").groups(2).dtype(DataType.DOUBLE);
        assertShape(new long[] {2, 4, 4}, strided.apply(normal64(9, 2, 7, 6)));
        assertGradients(strided, normal64(10, 2, 7, 6));
        Conv1D dilated = new Conv1D(2, 3).dilationRate(2).dtype(DataType.DOUBLE);
        assertShape(new long[] {1, 4, 2}, dilated.apply(normal64(11, 1, 8, 3)));
        assertGradients(dilated, normal64(12, 1, 8, 3));
    }

    @Test
    void poolingsContractAndGradients() {
        List<Layer> layers = List.of(new MaxPooling2D(), new MaxPooling2D(3).strides(2).padding("same"),
                new AveragePooling2D(2), new AveragePooling2D(3, 3).strides(2).padding("same"),
                new MaxPooling1D(), new MaxPooling1D(3).strides(2).padding("same"), new AveragePooling1D(2),
                new AveragePooling1D(3).strides(2).padding("same"));
        long[][] expected = {{2, 2, 3, 2}, {2, 3, 4, 2}, {2, 2, 3, 2}, {2, 3, 4, 2}, {2, 3, 2}, {2, 4, 2}, {2, 3, 2},
            {2, 4, 2}};
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean twoD = layer instanceof MaxPooling2D || layer instanceof AveragePooling2D;
            Tensor x = twoD ? normal64(13 + i, 2, 5, 7, 2) : normal64(13 + i, 2, 7, 2);
            Tensor y = layer.apply(x);
            assertShape(expected[i], y);
            assertArrayEquals(expected[i], layer.computeOutputShape(x.shape()), layer.describe());
            assertEquals(0, layer.countParams());
            assertGradients(layer, x);
            roundTrip(layer);
        }
        assertEquals(List.of(2, 2), new MaxPooling2D().config().get("strides"));
    }

    @Test
    void globalPoolingsContractAndGradients() {
        List<Layer> layers = List.of(new GlobalAveragePooling1D(), new GlobalMaxPooling1D(), new GlobalAveragePooling2D(),
                new GlobalMaxPooling2D().keepdims(true));
        long[][] expected = {{2, 3}, {2, 3}, {2, 3}, {2, 1, 1, 3}};
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Tensor x = i < 2 ? normal64(30 + i, 2, 5, 3) : normal64(30 + i, 2, 4, 5, 3);
            assertShape(expected[i], layer.apply(x));
            assertArrayEquals(expected[i], layer.computeOutputShape(x.shape()));
            assertGradients(layer, x);
            roundTrip(layer);
        }
    }

    @Test
    void badInputNamesTheLayerAndTheShapes() {
        Conv2D conv = new Conv2D(8, 3);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> conv.apply(Tensor.zeros(2, 28, 28)));
        assertTrue(rank.getMessage().contains("conv2d (Conv2D)") && rank.getMessage().contains("[2, 28, 28]"), rank.getMessage());
        assertFalse(conv.isBuilt());
        conv.apply(Tensor.zeros(1, 8, 8, 3));
        // channels_first data [batch, channels, height, width] meets the channels the kernel was built for
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> conv.apply(Tensor.zeros(1, 3, 8, 8)));
        assertTrue(channels.getMessage().contains("last dimension must be 3") && channels.getMessage().contains("[1, 3, 8, 8]")
                && channels.getMessage().contains("channels_last"), channels.getMessage());
        Conv2D big = new Conv2D(2, 5);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> big.apply(Tensor.zeros(1, 4, 4, 1)));
        assertTrue(tooBig.getMessage().contains("conv2d_1 (Conv2D)") && tooBig.getMessage().contains("larger than the input")
                && tooBig.getMessage().contains("[1, 4, 4, 1]"), tooBig.getMessage());
        assertTrue(big.weights().isEmpty(), "no weights after a failed build");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(2, 3).strides(2).dilationRate(2));
        assertTrue(both.getMessage().contains("strides > 1 cannot be combined with dilation_rate > 1"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(2, 3).padding("causal"));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(3, 3).groups(2));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Conv2D", Map.of("filters", 2, "kernel_size", 3, "data_format", "channels_first")));
        assertTrue(format.getMessage().contains("channels_first"), format.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                () -> new MaxPooling2D(3).apply(Tensor.zeros(1, 2, 2, 1)));
        assertTrue(pool.getMessage().contains("max_pooling2d (MaxPooling2D)") && pool.getMessage().contains("[1, 2, 2, 1]"),
                pool.getMessage());
    }

    @Test
    void kerasConfigsBuildTheLayers() {
        Layer conv = Layers.fromConfig("Conv2D", Map.of("filters", 6, "kernel_size", List.of(3, 2), "strides", List.of(1, 2),
                "padding", "same", "activation", "relu", "use_bias", false, "name", "c1"));
        assertShape(new long[] {1, 5, 3, 6}, conv.apply(Tensor.zeros(1, 5, 6, 4)));
        assertNames(List.of("c1/kernel:0 [3, 2, 4, 6]"), conv.weights());
        Layer pool = Layers.fromConfig("AveragePooling1D", Map.of("pool_size", List.of(3), "strides", List.of(1),
                "padding", "valid", "data_format", "channels_last"));
        assertShape(new long[] {1, 4, 2}, pool.apply(Tensor.zeros(1, 6, 2)));
    }
}
