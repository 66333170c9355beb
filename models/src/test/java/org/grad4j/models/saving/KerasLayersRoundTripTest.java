package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Bidirectional;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.GRU;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.LayerNormalization;
import org.grad4j.layers.MaxPooling2D;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.layers.SimpleRNN;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and recurrent models through grad4j's .keras writer and reader: bit-identical, with the recurrent
 * layers' variables where Keras 3 keeps them (under the layer's {@code cell}).
 */
class KerasLayersRoundTripTest {
    @TempDir
    Path dir;

    private Model roundTrip(Sequential model, INDArray x, String name) {
        model.compile(new Adam(0.01), "mse");
        INDArray y = Nd4j.rand(DataType.FLOAT, model.predict(x).shape());
        model.fit(x, y, 2, 4);
        Path file = dir.resolve(name);
        model.save(file);
        Model loaded = Model.load(file);
        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
        KerasWriteTest.assertBitsEqual(model.optimizer().variables(), loaded.optimizer().variables());
        assertArrayEquals(model.predict(x).data().asFloat(), loaded.predict(x).data().asFloat());
        return loaded;
    }

    private static byte[] weights(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
        }
    }

    @Test
    void aConvnetRoundTrips() throws IOException {
        Seeds.set(5);
        Sequential model = new Sequential(new InputLayer(8, 8, 1), new Conv2D(4, 3).activation("relu"), new MaxPooling2D(2),
                new Flatten(), new LayerNormalization(), new Dense(3));
        roundTrip(model, Nd4j.rand(DataType.FLOAT, 8, 8, 8, 1), "conv.keras");
        try (HdfFile hdf = HdfFile.fromBytes(weights(dir.resolve("conv.keras")))) {
            assertArrayEquals(new int[] {3, 3, 1, 4}, hdf.getDatasetByPath("layers/conv2d/vars/0").getDimensions());
            assertArrayEquals(new int[] {36}, hdf.getDatasetByPath("layers/layer_normalization/vars/0").getDimensions());
        }
    }

    @Test
    void recurrentLayersRoundTripWithTheirCellGroups() throws IOException {
        Seeds.set(6);
        Sequential model = new Sequential(new InputLayer(5, 3), new SimpleRNN(4).returnSequences(true),
                new LSTM(4).returnSequences(true), new Bidirectional(new GRU(3)), new Dense(2));
        roundTrip(model, Nd4j.rand(DataType.FLOAT, 8, 5, 3), "rnn.keras");
        try (HdfFile hdf = HdfFile.fromBytes(weights(dir.resolve("rnn.keras")))) {
            assertArrayEquals(new int[] {3, 4}, hdf.getDatasetByPath("layers/simple_rnn/cell/vars/0").getDimensions());
            assertArrayEquals(new int[] {4, 16}, hdf.getDatasetByPath("layers/lstm/cell/vars/1").getDimensions());
            assertArrayEquals(new int[] {4, 9},
                    hdf.getDatasetByPath("layers/bidirectional/forward_layer/cell/vars/0").getDimensions());
            assertArrayEquals(new int[] {3, 9},
                    hdf.getDatasetByPath("layers/bidirectional/backward_layer/cell/vars/1").getDimensions());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void keras2DefaultsThatChangeNothingAreAcceptedAndOthersRefused() throws IOException {
        String keras2 = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"batch_input_shape\": [null, 5, 3], "
                + "\"units\": 4, \"implementation\": 2, \"time_major\": false, \"unroll\": false}}, "
                + "{\"class_name\": \"Reshape\", \"config\": {\"name\": \"r\", \"target_shape\": [2, 2]}}, "
                + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"f\", \"data_format\": \"channels_last\"}}]}}";
        java.util.Map<String, Object> config = new com.fasterxml.jackson.databind.ObjectMapper().readValue(keras2,
                java.util.Map.class);
        Sequential model = KerasConfigs.model(config);
        assertArrayEquals(new long[] {-1, 5, 3}, model.buildInputShape());
        assertEquals(java.util.List.of("lstm", "r", "f"), model.layers().stream().map(l -> l.name()).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasConfigs.model(
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(keras2.replace("channels_last", "channels_first"),
                        java.util.Map.class)));
        assertTrue(e.getMessage().contains("option data_format = channels_first") && e.getMessage().contains("Flatten"),
                e.getMessage());
    }

    @Test
    void multiHeadAttentionMapsToKerasSublayerGroups() {
        MultiHeadAttention attention = new MultiHeadAttention(2, 3);
        attention.build(new long[] {-1, 4, 6});
        java.util.List<KerasConfigs.VarsGroup> groups = KerasConfigs.varsGroups(attention, "multi_head_attention");
        assertEquals(java.util.List.of("layers/multi_head_attention/vars", "layers/multi_head_attention/query_dense/vars",
                "layers/multi_head_attention/key_dense/vars", "layers/multi_head_attention/value_dense/vars",
                "layers/multi_head_attention/output_dense/vars"), groups.stream().map(KerasConfigs.VarsGroup::path).toList());
        assertEquals(java.util.List.of(0, 2, 2, 2, 2), groups.stream().map(g -> g.weights().size()).toList());
        assertEquals(java.util.List.of("layers/multi_head_attention/_output_dense/vars"), groups.get(4).aliases());
    }
}
