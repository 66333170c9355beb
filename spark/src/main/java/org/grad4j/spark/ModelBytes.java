package org.grad4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.models.Model;

/**
 * A compiled model as the bytes of its {@code .g4j} file (architecture, weights, compile config and optimizer
 * state): the form in which it travels to the workers once per fit. The models module reads and writes the
 * format through files only, so the bytes pass through a temporary file on each side.
 */
final class ModelBytes {
    private ModelBytes() {
    }

    static byte[] write(Model model) {
        Path file = null;
        try {
            file = Files.createTempFile("grad4j-spark-", ".g4j");
            model.save(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot write " + model.describe() + " to a temporary file: " + e, e);
        } finally {
            delete(file);
        }
    }

    static Model read(byte[] bytes) {
        Path file = null;
        try {
            file = Files.createTempFile("grad4j-spark-", ".g4j");
            Files.write(file, bytes);
            return Model.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot read the model shipped by the driver (" + bytes.length
                    + " bytes) through a temporary file: " + e, e);
        } finally {
            delete(file);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
