package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.grad4j.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config grad4j writes uses only keys that Keras 3.5 itself wrote for the same classes in the shared diabetes
 * file: Keras passes a layer's or optimizer's config keys to its constructor, so a key Keras does not know would
 * make Keras refuse the file. The model is the diabetes model itself, loaded and saved again.
 */
class KerasSchemaTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new ObjectMapper().readValue(zip.getInputStream(zip.getEntry("config.json")), Map.class);
        }
    }

    private static void assertSubset(Object written, Object keras, String where) {
        Set<String> ours = new TreeSet<>(((Map<String, ?>) written).keySet());
        Set<String> theirs = ((Map<String, ?>) keras).keySet();
        ours.removeAll(theirs);
        assertTrue(ours.isEmpty(), where + ": keys Keras did not write: " + ours);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aResavedKerasFileUsesOnlyKerasKeys() throws IOException {
        Path original = KerasReferenceFilesTest.resource(dir, "diabetes_mlp.keras");
        Path resaved = dir.resolve("resaved.keras");
        Model.load(original).save(resaved);
        Map<String, Object> keras = config(original);
        Map<String, Object> ours = config(resaved);
        assertSubset(ours, keras, "top level");
        assertSubset(ours.get("config"), keras.get("config"), "Sequential config");
        assertEquals(((Map<String, Object>) keras.get("config")).get("dtype") instanceof Map,
                ((Map<String, Object>) ours.get("config")).get("dtype") instanceof Map);
        List<Map<String, Object>> kerasLayers = (List<Map<String, Object>>) ((Map<String, Object>) keras.get("config")).get("layers");
        List<Map<String, Object>> ourLayers = (List<Map<String, Object>>) ((Map<String, Object>) ours.get("config")).get("layers");
        assertEquals(kerasLayers.size(), ourLayers.size());
        for (int i = 0; i < kerasLayers.size(); i++) {
            Map<String, Object> k = kerasLayers.get(i);
            Map<String, Object> o = ourLayers.get(i);
            String where = "layer " + i + " " + k.get("class_name");
            assertEquals(k.get("class_name"), o.get("class_name"), where);
            assertEquals(k.get("module"), o.get("module"), where);
            assertSubset(o, k, where);
            assertSubset(o.get("config"), k.get("config"), where + " config");
            assertEquals(((Map<String, Object>) k.get("config")).get("name"), ((Map<String, Object>) o.get("config")).get("name"));
        }
        Map<String, Object> kerasCompile = (Map<String, Object>) keras.get("compile_config");
        Map<String, Object> ourCompile = (Map<String, Object>) ours.get("compile_config");
        assertSubset(ourCompile, kerasCompile, "compile_config");
        Map<String, Object> kerasAdam = (Map<String, Object>) kerasCompile.get("optimizer");
        Map<String, Object> ourAdam = (Map<String, Object>) ourCompile.get("optimizer");
        assertSubset(ourAdam, kerasAdam, "optimizer");
        assertSubset(ourAdam.get("config"), kerasAdam.get("config"), "Adam config");
        Map<String, Object> schedule = (Map<String, Object>) ((Map<String, Object>) ourAdam.get("config")).get("learning_rate");
        assertEquals("CosineDecay", schedule.get("class_name"));
        assertEquals("keras.optimizers.schedules", schedule.get("module"));
        assertSubset(schedule.get("config"), ((Map<String, Object>) ((Map<String, Object>) kerasAdam.get("config"))
                .get("learning_rate")).get("config"), "CosineDecay config");
        assertTrue(Files.size(resaved) > 0);
    }
}
