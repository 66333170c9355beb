package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras files grad4j cannot honour, and damaged or hostile ones, fail with a message that says what and where. */
class KerasErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, byte[]> diabetes() throws IOException {
        return G4jFormatCorruptTest.unzip(Files.readAllBytes(KerasReferenceFilesTest.resource(dir, "diabetes_mlp.keras")));
    }

    @SuppressWarnings("unchecked")
    private Path withConfig(Map<String, byte[]> entries, Consumer<Map<String, Object>> edit, String name) throws IOException {
        Map<String, Object> config = JSON.readValue(entries.get("config.json"), Map.class);
        edit.accept(config);
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.put("config.json", JSON.writeValueAsBytes(config));
        Path file = dir.resolve(name);
        Files.write(file, G4jFormatCorruptTest.zip(out));
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> layerConfig(Map<String, Object> config, int index) {
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) config.get("config")).get("layers");
        return (Map<String, Object>) layers.get(index).get("config");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layers(Map<String, Object> config) {
        return (List<Map<String, Object>>) ((Map<String, Object>) config.get("config")).get("layers");
    }

    private static String loadError(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> Model.load(file)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }

    @Test
    void anUnsupportedLayerClassIsNamedWithTheSupportedOnes() throws IOException {
        Path file = withConfig(diabetes(), c -> layers(c).get(3).put("class_name", "GaussianNoise"), "noise.keras");
        assertMentions(loadError(file), "dropout_4", "GaussianNoise", "does not support the layer class",
                "supported: ", "BatchNormalization", "Dense", "Dropout", "LSTM");
    }

    @Test
    void anUnsupportedOptionIsNamedWithTheClassAndItsOptions() throws IOException {
        Path file = withConfig(diabetes(), c -> layerConfig(c, 1).put("kernel_constraint",
                Map.of("class_name", "MaxNorm", "config", Map.of("max_value", 2))), "constraint.keras");
        assertMentions(loadError(file), "dense_6", "Dense", "option kernel_constraint", "MaxNorm",
                "supported options: ", "units", "activation");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnsupportedOptimizerOptionIsRefusedButLoadsWithoutCompile() throws IOException {
        Path file = withConfig(diabetes(), c -> ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                c.get("compile_config")).get("optimizer")).get("config")).put("use_ema", true), "ema.keras");
        assertMentions(loadError(file), "Adam", "option use_ema = true", "supported options");
        Model model = Model.load(file, false);   // the architecture and weights do not depend on it
        assertTrue(!model.isCompiled());
    }

    @Test
    void aSubclassedModelIsRefusedByName() throws IOException {
        Path file = withConfig(diabetes(), c -> c.put("class_name", "MyModel"), "subclassed.keras");
        assertMentions(loadError(file), "MyModel", "supported model classes: Sequential, Functional");
    }

    @Test
    void aSequentialConfigLabelledFunctionalNamesTheMissingGraph() throws IOException {
        Path file = withConfig(diabetes(), c -> c.put("class_name", "Functional"), "functional.keras");
        assertMentions(loadError(file), "inbound_nodes");
    }

    @Test
    void aMissingConfigOrWeightsEntryIsNamed() throws IOException {
        for (String missing : List.of("config.json", "model.weights.h5")) {
            Map<String, byte[]> entries = diabetes();
            entries.remove(missing);
            Path file = dir.resolve("missing.keras");
            Files.write(file, G4jFormatCorruptTest.zip(entries));
            assertMentions(loadError(file), "not a complete Keras file", "no " + missing, "entries: ");
        }
    }

    @Test
    void aTruncatedFileIsReported() throws IOException {
        byte[] whole = Files.readAllBytes(KerasReferenceFilesTest.resource(dir, "diabetes_mlp.keras"));
        Path zip = dir.resolve("cut.keras");
        Files.write(zip, Arrays.copyOf(whole, whole.length / 2));
        assertMentions(loadError(zip), "cut.keras", "truncated");
        byte[] h5 = Files.readAllBytes(KerasReferenceFilesTest.resource(dir, "churn_mlp_tf215.h5"));
        Path cut = dir.resolve("cut.h5");
        Files.write(cut, Arrays.copyOf(h5, h5.length / 2));
        String message = assertThrows(RuntimeException.class, () -> Model.load(cut)).getMessage();
        assertMentions(message, "cut.h5");
    }

    @Test
    void aDatasetWhoseShapeDisagreesWithItsWeightIsNamed() throws IOException {
        Sequential small = new Sequential(new InputLayer(3), new Dense(5, "relu"), new Dense(1));
        Path written = dir.resolve("small.keras");
        small.save(written);
        Map<String, byte[]> entries = G4jFormatCorruptTest.unzip(Files.readAllBytes(written));
        Path file = withConfig(entries, c -> layerConfig(c, 1).put("units", 6), "wider.keras");
        assertMentions(loadError(file), "layers/dense/vars/0 has shape [3, 5]", "kernel", "[3, 6]");
    }

    @Test
    void moreArraysInAGroupThanTheLayerHasAreReported() throws IOException {
        Sequential small = new Sequential(new InputLayer(3), new Dense(5, "relu"), new Dense(1));
        Path written = dir.resolve("small.keras");
        small.save(written);
        Map<String, byte[]> entries = G4jFormatCorruptTest.unzip(Files.readAllBytes(written));
        Path file = withConfig(entries, c -> layerConfig(c, 1).put("use_bias", false), "nobias.keras");
        assertMentions(loadError(file), "has 2 arrays at layers/dense/vars but the layer has 1 weights");
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAllocating() throws IOException {
        // a config asking for a 100000 x 100000 kernel (40 GB): refused by the memory budget, not by the JVM
        Path huge = withConfig(diabetes(), c -> {
            layerConfig(c, 1).put("units", 100_000);
            layerConfig(c, 4).put("units", 100_000);
        }, "huge.keras");
        assertMentions(loadError(huge), "dense_7", "[100000, 100000]", "needs", "more than");
        // a weights entry far larger than the model's arrays can take
        Map<String, byte[]> entries = diabetes();
        byte[] padded = Arrays.copyOf(entries.get("model.weights.h5"), 64 << 20);
        entries.put("model.weights.h5", padded);
        Path big = dir.resolve("big.keras");
        Files.write(big, G4jFormatCorruptTest.zip(entries));
        assertMentions(loadError(big), "model.weights.h5", "more than", "the model's");
        // a config.json beyond the JSON limit
        Map<String, byte[]> json = diabetes();
        byte[] spaces = new byte[5 << 20];
        Arrays.fill(spaces, (byte) ' ');
        json.put("config.json", (new String(json.get("config.json"), StandardCharsets.UTF_8) + new String(spaces,
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Path fat = dir.resolve("fat.keras");
        Files.write(fat, G4jFormatCorruptTest.zip(json));
        assertMentions(loadError(fat), "config.json", "more than");
    }

    @Test
    void anH5WithoutModelConfigIsNotTakenForAModel() throws IOException {
        Path file = dir.resolve("weights.h5");
        try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(file)) {
            hdf.putGroup("dense").putDataset("kernel:0", new float[] {1f, 2f});
        }
        assertMentions(loadError(file), "no model_config attribute");
    }

    @Test
    void aFileOfNeitherKindIsNamedForWhatItClaims() throws IOException {
        Path keras = dir.resolve("text.keras");
        Files.writeString(keras, "hello, world");
        assertMentions(loadError(keras), "text.keras", "not a Keras file", "not a zip archive");
        Path h5 = dir.resolve("text.h5");
        Files.writeString(h5, "hello, world");
        assertMentions(loadError(h5), "text.h5", "not a readable HDF5 file");
    }
}
