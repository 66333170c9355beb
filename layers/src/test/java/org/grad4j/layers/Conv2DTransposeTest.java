package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Conv2DTranspose (and Conv1DTranspose, its height-one case): outputs and gradients against PyTorch float64 references in Keras' semantics
 * ({@code /reference/conv2d_transpose.json}, made by {@code conv2d_transpose.py} beside it), Keras' shapes,
 * parameter counts and config, float64 gradient checks and the errors for bad arguments.
 */
class Conv2DTransposeTest {
    /**
     * Float64 against the float64 reference: both sides sum the same few products (at most 3*3*3 per output cell,
     * values in [-1, 1]) in different orders, which moves results by about 1e-15; 1e-6 leaves a margin of nine
     * orders of magnitude yet any wrong cell, padding or kernel index is off by O(0.1).
     */
    private static final double FLOAT64_TOLERANCE = 1e-6;
    /**
     * Float32 (the default dtype, Java loops in the default kernel mode) against the same reference: relative
     * rounding of 6e-8 per operation over up to 27 products of magnitude up to 1 and a result up to about 10 bounds
     * the error by a few 1e-6.
     */
    private static final double FLOAT32_TOLERANCE = 1e-5;

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    private static JsonNode reference() {
        try (InputStream in = Conv2DTransposeTest.class.getResourceAsStream("/reference/conv2d_transpose.json")) {
            assertNotNull(in, "missing test resource /reference/conv2d_transpose.json");
            JsonNode root = new ObjectMapper().readTree(in);
            assertEquals(root.get("count").asInt(), root.get("cases").size());
            return root;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Tensor tensor(JsonNode node, DataType dtype) {
        JsonNode data = node.has("data") ? node.get("data") : node;
        double[] v = new double[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i).asDouble();
        }
        long[] shape = new long[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get("shape").get(i).asLong();
        }
        return Tensor.of(v, dtype, shape);
    }

    private static double maxAbsError(String what, JsonNode expected, Tensor actual) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.size(), a.length, what + ": element count");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - expected.get(i).asDouble()));
        }
        return worst;
    }

    @TestFactory
    Stream<DynamicTest> matchesTorchReferences() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : reference().get("cases")) {
            for (DataType dtype : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " " + dtype, () -> runReference(c, dtype)));
            }
        }
        assertEquals(20, tests.size());
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void runReference(JsonNode c, DataType dtype) {
        String id = c.get("id").asText() + " " + dtype;
        double tolerance = dtype == DataType.DOUBLE ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
        Map<String, Object> config = new ObjectMapper().convertValue(c.get("config"), Map.class);
        Layer layer = Layers.fromConfig("Conv2DTranspose", config).dtype(dtype);
        Tensor x = tensor(c.get("input"), dtype);
        layer.build(x.shape());
        List<Variable> weights = layer.weights();
        boolean bias = c.has("bias");
        assertEquals(bias ? 2 : 1, weights.size(), id);
        weights.get(0).assign(tensor(c.get("kernel"), dtype).array());
        if (bias) {
            weights.get(1).assign(tensor(c.get("bias"), dtype).array());
        }
        List<Tensor> sources = new ArrayList<>(List.of(x));
        sources.addAll(weights);
        Tensor out;
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            out = layer.apply(x, true);
            grads = tape.gradient(out.mul(tensor(c.get("upstream_gradient"), dtype)).sum(), sources);
        }
        assertArrayEquals(tensor(c.get("output"), dtype).shape(), out.shape(), id + ": output shape");
        assertArrayEquals(out.shape(), layer.computeOutputShape(x.shape()), id + ": computeOutputShape");
        JsonNode expected = c.get("gradients");
        double[] errors = {maxAbsError(id + " output", c.get("output").get("data"), out),
            maxAbsError(id + " d/dinput", expected.get("input"), grads.get(0)),
            maxAbsError(id + " d/dkernel", expected.get("kernel"), grads.get(1)),
            bias ? maxAbsError(id + " d/dbias", expected.get("bias"), grads.get(2)) : 0};
        String[] names = {"output", "input gradient", "kernel gradient", "bias gradient"};
        for (int i = 0; i < errors.length; i++) {
            assertTrue(errors[i] <= tolerance, id + ": " + names[i] + " max abs error " + errors[i] + " > " + tolerance);
        }
        System.out.printf("conv2d_transpose reference %s: max abs error output %.3g, d/dinput %.3g, d/dkernel %.3g, d/dbias %.3g%n",
                id, errors[0], errors[1], errors[2], errors[3]);
    }

    @Test
    void contractAsKeras() {
        Conv2DTranspose up = new Conv2DTranspose(16, 3).strides(2).padding("same");
        Tensor y = up.apply(normal(1, 2, 7, 7, 32));
        assertShape(new long[] {2, 14, 14, 16}, y);
        assertNames(List.of("conv2d_transpose/kernel:0 [3, 3, 16, 32]", "conv2d_transpose/bias:0 [16]"), up.weights());
        assertEquals(3 * 3 * 16 * 32 + 16, up.countParams());   // 4,624 as Keras' summary
        assertArrayEquals(new long[] {-1, 14, 14, 16}, up.computeOutputShape(-1, 7, 7, 32));
        assertArrayEquals(new long[] {-1, 15, 15, 16}, new Conv2DTranspose(16, 3).strides(2).computeOutputShape(-1, 7, 7, 32));
        assertArrayEquals(new long[] {-1, 16, 13, 4},
                new Conv2DTranspose(4, 3).strides(2).outputPadding(1, 0).computeOutputShape(-1, 7, 6, 32));
        Map<String, Object> config = up.config();
        assertEquals(16, config.get("filters"));
        assertEquals(List.of(3, 3), config.get("kernel_size"));
        assertEquals(List.of(2, 2), config.get("strides"));
        assertEquals("same", config.get("padding"));
        assertNull(config.get("output_padding"));
        assertEquals(List.of(1, 1), config.get("dilation_rate"));
        assertEquals("channels_last", config.get("data_format"));
        assertEquals("linear", config.get("activation"));
        assertEquals(true, config.get("use_bias"));
        assertEquals("GlorotUniform", ((Map<?, ?>) config.get("kernel_initializer")).get("class_name"));
        assertEquals("Zeros", ((Map<?, ?>) config.get("bias_initializer")).get("class_name"));
    }

    @Test
    void configRoundTrip() {
        Conv2DTranspose layer = new Conv2DTranspose(4, 3, 2).strides(2, 3).padding("same").outputPadding(1, 2)
                .activation("relu").useBias(false).kernelInitializer(Initializers.heNormal()).name("up");
        Layer copy = Layers.fromConfig("Conv2DTranspose", layer.config());
        assertEquals(layer.config(), copy.config());
        assertEquals(List.of(1, 2), copy.config().get("output_padding"));
        Tensor x = normal(2, 1, 3, 4, 5);
        assertArrayEquals(layer.computeOutputShape(x.shape()), copy.apply(x).shape());
        assertNames(List.of("up/kernel:0 [3, 2, 4, 5]"), copy.weights());
        Layer scalar = Layers.fromConfig("Conv2DTranspose", Map.of("filters", 2, "kernel_size", 3, "strides", 2,
                "output_padding", 0, "padding", "valid"));
        assertEquals(List.of(0, 0), scalar.config().get("output_padding"));
        assertShape(new long[] {1, 5, 7, 2}, scalar.apply(Tensor.zeros(1, 2, 3, 1)));
    }

    @Test
    void float64GradientChecks() {
        List<Conv2DTranspose> layers = List.of(
                new Conv2DTranspose(3, 3).strides(2).padding("same"),
                new Conv2DTranspose(2, 3, 2).strides(2).padding("valid").activation("tanh"),
                new Conv2DTranspose(2, 4).strides(2).padding("same").outputPadding(1, 0),
                new Conv2DTranspose(3, 2).strides(2, 3).outputPadding(1, 2),
                new Conv2DTranspose(2, 3).dilationRate(2).padding("same"),
                new Conv2DTranspose(2, 2, 3).dilationRate(2, 1).useBias(false));
        for (int i = 0; i < layers.size(); i++) {
            Conv2DTranspose layer = layers.get(i).dtype(DataType.DOUBLE);
            Tensor x = normal64(10 + i, 2, 3, 4, 2);
            layer.apply(x);
            double inputError = GradientCheck.check(in -> layer.call(in.get(0), true), List.of(x));
            assertTrue(inputError < GRADIENT_BOUND, layer.config() + ": input gradient error " + inputError);
            double weightError = GradientCheck.checkVariables(() -> layer.call(x, true).square().sum(), layer.trainableWeights());
            assertTrue(weightError < GRADIENT_BOUND, layer.config() + ": kernel/bias gradient error " + weightError);
            System.out.printf("conv2d_transpose gradient check %s %s: input %.3g, weights %.3g%n", layer.config().get("strides"),
                    layer.config().get("padding") + " op=" + layer.config().get("output_padding") + " d="
                            + layer.config().get("dilation_rate"), inputError, weightError);
        }
    }

    @Test
    void oneTrainingStepLowersTheLoss() {
        Conv2DTranspose layer = new Conv2DTranspose(2, 3).strides(2).padding("same");
        Tensor x = normal(20, 4, 3, 3, 2);
        Tensor y = normal(21, 4, 6, 6, 2);
        double before = LayerTesting.descend(layer, x, y, 0.05);
        double after = LayerTesting.loss(layer, x, y).itemDouble();
        assertTrue(after < before, "loss " + before + " -> " + after);
    }

    @Test
    void badArgumentsAndInputsNameTheLayer() {
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new Conv2DTranspose(2, 3).strides(2).outputPadding(2));
        assertTrue(padding.getMessage().contains("conv2d_transpose (Conv2DTranspose)")
                && padding.getMessage().contains("output_padding must be < strides"), padding.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(2, 3).outputPadding(-1));
        assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(2, 3).strides(2).dilationRate(2));
        assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(0, 3));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Conv2DTranspose", Map.of("filters", 2, "kernel_size", 3, "data_format", "channels_first")));
        assertTrue(format.getMessage().contains("Conv2DTranspose") && format.getMessage().contains("channels_first"),
                format.getMessage());
        Conv2DTranspose layer = new Conv2DTranspose(2, 3);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> layer.apply(Tensor.zeros(2, 5, 5)));
        assertTrue(rank.getMessage().contains("(Conv2DTranspose)") && rank.getMessage().contains("[2, 5, 5]"), rank.getMessage());
        assertFalse(layer.isBuilt());
        // 'same', kernel 2, stride 2, output_padding 0 on a 1-cell axis: (1-1)*2 + 0 + 0 = 0 cells
        Conv2DTranspose empty = new Conv2DTranspose(2, 2).strides(2).padding("same").outputPadding(0);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> empty.apply(Tensor.zeros(1, 1, 3, 2)));
        assertTrue(none.getMessage().contains("(Conv2DTranspose)") && none.getMessage().contains("[1, 1, 3, 2]"), none.getMessage());
        assertTrue(empty.weights().isEmpty() && !empty.isBuilt(), "no weights after a failed build");
    }

    @Test
    void conv1dTransposeIsTheHeightOneCase() {
        Conv1DTranspose layer = new Conv1DTranspose(3, 4).strides(2).padding("same").outputPadding(1).dtype(DataType.DOUBLE);
        Tensor x = normal64(30, 2, 5, 2);
        Tensor y = layer.apply(x);
        // (5-1)*2 + 4 % 2 + 1 = 9 steps; kernel (k, filters, in)
        assertShape(new long[] {2, 9, 3}, y);
        assertArrayEquals(new long[] {-1, 9, 3}, layer.computeOutputShape(-1, 5, 2));
        assertNames(List.of("conv1d_transpose/kernel:0 [4, 3, 2]", "conv1d_transpose/bias:0 [3]"), layer.weights());
        Conv2DTranspose image = new Conv2DTranspose(3, 1, 4).strides(1, 2).padding("same").outputPadding(0, 1).dtype(DataType.DOUBLE);
        image.build(2, 1, 5, 2);
        image.weights().get(0).assign(layer.weights().get(0).array().reshape(1, 4, 3, 2));
        image.weights().get(1).assign(layer.weights().get(1).array());
        assertArrayEquals(image.apply(x.reshape(2, 1, 5, 2)).toDoubleArray(), y.toDoubleArray(), 0.0);
        double inputError = GradientCheck.check(in -> layer.call(in.get(0), true), List.of(x));
        double weightError = GradientCheck.checkVariables(() -> layer.call(x, true).square().sum(), layer.trainableWeights());
        assertTrue(inputError < GRADIENT_BOUND && weightError < GRADIENT_BOUND, inputError + ", " + weightError);
        Layer copy = Layers.fromConfig("Conv1DTranspose", layer.config());
        assertEquals(layer.config(), copy.config());
        assertEquals(List.of(1), copy.config().get("output_padding"));
    }
}
