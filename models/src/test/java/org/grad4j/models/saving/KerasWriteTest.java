package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Activation;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.InputLayer;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.RMSprop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** grad4j writes Keras 3's layout and schema, and what it writes loads back bit for bit. */
class KerasWriteTest {
    @TempDir
    Path dir;

    /** With dropout the layout has an empty weight group; without, the next training step is reproducible too. */
    static Sequential trained(boolean dropout) {
        Seeds.set(7);
        Sequential model = new Sequential(new InputLayer(4), new Dense(8, "relu"), new BatchNormalization(),
                dropout ? new Dropout(0.25) : new Activation("linear"), new Dense(8, "relu"), new Dense(1, "sigmoid"));
        model.compile(new Adam(0.01), "binary_crossentropy", "accuracy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 4);
        INDArray y = x.sum(true, 1).gt(2.0).castTo(DataType.FLOAT);
        model.fit(x, y, 3, 16);
        return model;
    }

    static void assertBitsEqual(List<Variable> expected, List<Variable> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            INDArray e = expected.get(i).array();
            INDArray a = actual.get(i).array();
            assertArrayEquals(e.shape(), a.shape(), expected.get(i).name());
            assertEquals(e.dataType(), a.dataType(), expected.get(i).name());
            if (e.dataType().isFPType()) {
                assertArrayEquals(e.dup().data().asFloat(), a.dup().data().asFloat(), expected.get(i).name());
            } else {
                assertArrayEquals(e.dup().data().asLong(), a.dup().data().asLong(), expected.get(i).name());
            }
        }
    }

    @Test
    void aTrainedModelRoundTripsBitIdentically() {
        Sequential model = trained(false);
        Path file = dir.resolve("tuned.keras");
        model.save(file);
        Model loaded = Model.load(file);

        assertBitsEqual(model.variables(), loaded.variables());
        assertBitsEqual(model.optimizer().variables(), loaded.optimizer().variables());
        assertEquals(model.optimizer().iterations(), loaded.optimizer().iterations());
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 4);
        assertArrayEquals(model.predict(x).data().asFloat(), loaded.predict(x).data().asFloat());
        assertEquals(model.summaryString().replace("sequential", "S"), loaded.summaryString().replace("sequential", "S"));

        // training goes on from the same state: the next step gives the same weights
        INDArray y = x.sum(true, 1).gt(2.0).castTo(DataType.FLOAT);
        model.trainOnBatch(x, y);
        loaded.trainOnBatch(x, y);
        assertBitsEqual(model.variables(), loaded.variables());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFileHasKeras3sEntriesGroupsAndSchema() throws IOException {
        Sequential model = trained(true);
        Path file = dir.resolve("m.keras");
        model.save(file);
        Map<String, Object> config;
        byte[] h5;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"),
                    zip.stream().map(e -> e.getName()).toList());
            config = new ObjectMapper().readValue(zip.getInputStream(zip.getEntry("config.json")), Map.class);
            Map<String, Object> metadata = new ObjectMapper().readValue(zip.getInputStream(zip.getEntry("metadata.json")), Map.class);
            assertEquals("3.5.0", metadata.get("keras_version"));
            h5 = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
        }
        assertEquals("keras", config.get("module"));
        assertEquals("Sequential", config.get("class_name"));
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 4)), config.get("build_config"));
        Map<String, Object> inner = (Map<String, Object>) config.get("config");
        assertEquals("DTypePolicy", ((Map<String, Object>) inner.get("dtype")).get("class_name"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) inner.get("layers");
        assertEquals(List.of("InputLayer", "Dense", "BatchNormalization", "Dropout", "Dense", "Dense"),
                layers.stream().map(l -> l.get("class_name")).toList());
        Map<String, Object> dense = layers.get(1);
        assertEquals("keras.layers", dense.get("module"));
        assertTrue(dense.containsKey("registered_name"));
        Map<String, Object> denseConfig = (Map<String, Object>) dense.get("config");
        assertEquals("keras.initializers", ((Map<String, Object>) denseConfig.get("kernel_initializer")).get("module"));
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 4)), dense.get("build_config"));
        Map<String, Object> compile = (Map<String, Object>) config.get("compile_config");
        assertEquals("keras.optimizers", ((Map<String, Object>) compile.get("optimizer")).get("module"));
        assertEquals("Adam", ((Map<String, Object>) compile.get("optimizer")).get("class_name"));

        assertBitsEqual(model.variables(), Model.load(file).variables());
        try (HdfFile hdf = HdfFile.fromBytes(h5)) {
            // weight groups by class counter in model.layers order, not by layer name
            assertArrayEquals(new int[] {4, 8}, hdf.getDatasetByPath("layers/dense/vars/0").getDimensions());
            assertArrayEquals(new int[] {8}, hdf.getDatasetByPath("layers/batch_normalization/vars/3").getDimensions());
            assertArrayEquals(new int[] {8, 8}, hdf.getDatasetByPath("layers/dense_1/vars/0").getDimensions());
            assertArrayEquals(new int[] {8, 1}, hdf.getDatasetByPath("layers/dense_2/vars/0").getDimensions());
            float[][] kernel = (float[][]) hdf.getDatasetByPath("layers/dense/vars/0").getData();
            assertEquals(model.getLayer(0).weights().get(0).array().getFloat(1, 2), kernel[1][2]);
            // optimizer: iteration (int64), the constant learning rate, then momentum and velocity per variable
            Dataset iteration = hdf.getDatasetByPath("optimizer/vars/0");
            assertEquals(model.optimizer().iterations(), ((Number) iteration.getData()).longValue());
            assertEquals(0.01f, ((Number) hdf.getDatasetByPath("optimizer/vars/1").getData()).floatValue());
            int slots = model.trainableVariables().size() * 2;
            assertNotNull(hdf.getDatasetByPath("optimizer/vars/" + (1 + slots)));
            assertNull(hdf.getByPath("optimizer/vars").isGroup() ? ((io.jhdf.api.Group) hdf.getByPath("optimizer/vars"))
                    .getChild(String.valueOf(2 + slots)) : null);
        }
    }

    @Test
    void optimizerSlotsAreWrittenInKerasOrderAndReadBack() throws IOException {
        for (org.grad4j.optimizers.Optimizer optimizer : List.of(new RMSprop(0.01).momentum(0.9).centered(true),
                new Adam(0.01).amsgrad(true))) {
            Seeds.set(4);
            Sequential model = new Sequential(new InputLayer(4), new Dense(3, "relu"), new Dense(1));
            model.compile(optimizer, "mse");
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4);
            model.fit(x, x.sum(true, 1), 2, 8);
            Path file = dir.resolve("slots.keras");
            model.save(file);
            Model loaded = Model.load(file);
            assertBitsEqual(model.optimizer().variables(), loaded.optimizer().variables());
            model.trainOnBatch(x, x.sum(true, 1));
            loaded.trainOnBatch(x, x.sum(true, 1));
            assertBitsEqual(model.variables(), loaded.variables());
            byte[] h5;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                h5 = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
            }
            try (HdfFile hdf = HdfFile.fromBytes(h5)) {
                // after iteration and learning rate: RMSprop's velocities for kernel [4, 3], bias [3], ... then its
                // momentums; Adam's momentum and velocity of kernel [4, 3], then of bias [3], ..., then the maxima
                int[] third = hdf.getDatasetByPath("optimizer/vars/3").getDimensions();
                int[] expected = optimizer instanceof RMSprop ? new int[] {3} : new int[] {4, 3};
                assertArrayEquals(expected, third, optimizer.getClass().getSimpleName());
                assertArrayEquals(new int[] {4, 3}, hdf.getDatasetByPath("optimizer/vars/" + (optimizer instanceof RMSprop
                        ? 6 : 10)).getDimensions(), optimizer.getClass().getSimpleName());
            }
        }
    }

    @Test
    void anUncompiledModelBuiltWithoutInputLayerRoundTrips() {
        Seeds.set(3);
        Sequential model = new Sequential(new Dense(5, "tanh"), new Dense(2));
        model.build(3);
        Path file = dir.resolve("plain.keras");
        model.save(file);
        Model loaded = Model.load(file);
        assertFalse(loaded.isCompiled());
        assertBitsEqual(model.variables(), loaded.variables());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3);
        assertArrayEquals(model.predict(x).data().asFloat(), loaded.predict(x).data().asFloat());
    }

    @Test
    void anUnbuiltModelOrAnH5NameIsRefused() {
        Sequential unbuilt = new Sequential(new Dense(2));
        IllegalStateException notBuilt = assertThrows(IllegalStateException.class, () -> unbuilt.save(dir.resolve("u.keras")));
        assertTrue(notBuilt.getMessage().contains("not built"), notBuilt.getMessage());
        Sequential built = new Sequential(new InputLayer(2), new Dense(1));
        IllegalArgumentException h5 = assertThrows(IllegalArgumentException.class, () -> built.save(dir.resolve("m.h5")));
        assertTrue(h5.getMessage().contains("save as .keras"), h5.getMessage());
        assertFalse(Files.exists(dir.resolve("u.keras")));
    }
}
