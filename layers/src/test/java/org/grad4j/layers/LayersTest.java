package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** config() to Layers.fromConfig round trips, through JSON as a saved model stores them. */
class LayersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    /** The layer's {class_name, config} written as JSON, read back, and rebuilt. */
    private static Layer roundTrip(Layer layer) throws Exception {
        String text = JSON.writeValueAsString(Layers.serialize(layer));
        Map<String, Object> parsed = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        Layer back = Layers.deserialize(parsed);
        assertEquals(JSON.readTree(text), JSON.readTree(JSON.writeValueAsString(Layers.serialize(back))),
                layer.describe() + ": the rebuilt layer's config");
        assertEquals(layer.getClass(), back.getClass());
        return back;
    }

    @TestFactory
    Stream<DynamicTest> everyBuiltInLayerRoundTrips() {
        List<Layer> layers = List.of(
                new Dense(64),
                new Dense(10, "softmax").useBias(false).kernelInitializer(Initializers.heNormal(42))
                        .kernelRegularizer(Regularizers.l1l2(0.01, 0.02)).name("classifier"),
                new Dense(3, Activations.GELU).biasInitializer(Initializers.constant(0.1))
                        .biasRegularizer(Regularizers.l2(0.5)).dtype(DataType.DOUBLE),
                new Activation("leaky_relu"),
                new Dropout(0.25),
                new Dropout(0.5, 7).name("drop"),
                new BatchNormalization().momentum(0.9).epsilon(1e-5).center(false),
                new Flatten(),
                new InputLayer(28, 28),
                new InputLayer(-1, 3),
                new Rescaling(1 / 127.5, -1),
                new Normalization(),
                new Normalization(new int[0]).invert(true).name("scalar_norm"),
                new Normalization(new int[] {1, 2}, Nd4j.createFromArray(new double[][] {{1, 2}}),
                        Nd4j.createFromArray(new double[][] {{4, 0.25}})),
                new CategoryEncoding(5, "one_hot"),
                new CategoryEncoding(3).dtype(DataType.DOUBLE));
        return layers.stream().map(layer -> DynamicTest.dynamicTest(layer.describe(), () -> roundTrip(layer)));
    }

    @Test
    void aRebuiltDenseBehavesTheSame() throws Exception {
        Dense dense = new Dense(4, "tanh").kernelInitializer(Initializers.glorotNormal(3)).name("hidden");
        dense.setTrainable(false);
        Dense back = (Dense) roundTrip(dense);

        assertEquals("hidden", back.name());
        assertFalse(back.trainable());
        assertEquals("dense", new Dense(1).name(), "rebuilding a named layer leaves the counter");
        Tensor x = normal(1, 2, 5);
        assertArrayEquals(dense.apply(x).toFloatArray(), back.apply(x).toFloatArray());
    }

    @Test
    void rebuiltDropoutAndBatchNormalizationKeepTheirSettings() throws Exception {
        Tensor x = normal(2, 6, 3);
        Dropout drop = (Dropout) roundTrip(new Dropout(0.5, 11));
        assertArrayEquals(new Dropout(0.5, 11).apply(x, true).toFloatArray(), drop.apply(x, true).toFloatArray());

        BatchNormalization bn = (BatchNormalization) roundTrip(new BatchNormalization().momentum(0.8).epsilon(0.01));
        assertEquals(0.8, bn.momentum());
        assertEquals(0.01, bn.epsilon());

        InputLayer input = (InputLayer) roundTrip(new InputLayer(9));
        assertArrayEquals(new long[] {-1, 9}, input.batchShape());
    }

    @Test
    void unknownClassesAndBadValuesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Dence", Map.of()));
        // every registered class, sorted; the list grows with each layer family, so it is read from the registry
        java.util.TreeSet<String> known = new java.util.TreeSet<>(Layers.registry().names());
        assertTrue(known.containsAll(java.util.List.of("Activation", "BatchNormalization", "CategoryEncoding", "Conv2D", "Dense", "Dropout",
                "Embedding", "Flatten", "GRU", "InputLayer", "LSTM", "MaxPooling2D", "MultiHeadAttention", "Normalization", "Rescaling", "SimpleRNN", "Bidirectional")), known.toString());
        assertEquals("Layers.fromConfig: unknown layer class \"Dence\" (known: " + String.join(", ", known) + ")",
                e.getMessage());
        var units = assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Dense", Map.of("units", "ten")));
        assertEquals("Dense.fromConfig: config key \"units\" must be a number, got ten", units.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Dense", Map.of()));
        assertEquals("Dense.fromConfig: the config has no \"units\" (keys: [])", missing.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Flatten", Map.of("dtype", "float8")));
        assertEquals("Flatten.fromConfig: unknown dtype \"float8\" (known: float32, float64, float16, bfloat16)",
                dtype.getMessage());
    }

    @Test
    void customLayersCanBeRegistered() {
        Layers.register("ScaleAndShift", config -> new LayerTest.ScaleAndShift());
        Layer layer = Layers.fromConfig("ScaleAndShift", Map.of("name", "affine"));
        assertInstanceOf(LayerTest.ScaleAndShift.class, layer);
        assertEquals("affine", layer.name());
    }

    @Test
    void configsUseKerasKeys() {
        Map<String, Object> dense = new Dense(8, "relu").config();
        assertEquals(List.of("name", "trainable", "dtype", "units", "activation", "use_bias", "kernel_initializer",
                "bias_initializer", "kernel_regularizer", "bias_regularizer"), List.copyOf(dense.keySet()));
        assertEquals("relu", dense.get("activation"));
        assertEquals("float32", dense.get("dtype"));
        assertEquals(Map.of("class_name", "GlorotUniform", "config", java.util.Collections.singletonMap("seed", null)),
                dense.get("kernel_initializer"));
        assertEquals(java.util.Arrays.asList(null, 9L), new InputLayer(9).config().get("batch_shape"));
    }
}
