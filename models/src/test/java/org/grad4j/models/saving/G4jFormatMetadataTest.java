package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.grad4j.models.Sequential;

class G4jFormatMetadataTest {

    @Test
    void metadataCarriesTheBuildsVersion(@TempDir Path dir) throws Exception {
        String version = G4jFormat.grad4jVersion();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "version from the filtered grad4j.properties: " + version);
        Path file = dir.resolve("m.g4j");
        new Sequential(new InputLayer(3), new Dense(2)).save(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String metadata = new String(zip.getInputStream(zip.getEntry("metadata.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(metadata.contains("\"" + version + "\""), metadata);
        }
    }
}
