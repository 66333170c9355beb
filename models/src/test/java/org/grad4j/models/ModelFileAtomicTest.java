package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Interrupted saves: the previous file stays byte for byte as it was, and no temporary file is left behind. */
class ModelFileAtomicTest {
    @TempDir
    Path dir;

    Path file;
    byte[] before;

    @BeforeEach
    void saveAGoodFile() throws IOException {
        Layer.resetNameCounters();
        Sequential good = new Sequential(new InputLayer(3), new Dense(2));
        good.compile("sgd", "mse");
        file = dir.resolve("model.g4j");
        good.save(file);
        before = Files.readAllBytes(file);
    }

    List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    void assertUntouched() throws IOException {
        assertArrayEquals(before, Files.readAllBytes(file), "the previous file changed");
        assertEquals(List.of("model.g4j"), filesInDir(), "a temporary file was left behind");
    }

    /** A subclassed model whose config cannot be produced. */
    static class BrokenConfig extends Model {
        final Dense dense = track(new Dense(1));

        @Override
        public Tensor call(Tensor inputs, boolean training) {
            return dense.call(inputs, training);
        }

        @Override
        public Map<String, Object> config() {
            throw new IllegalStateException("BrokenConfig: cannot describe itself");
        }
    }

    @Test
    void aSaveThatFailsBeforeWritingLeavesTheOldFile() throws IOException {
        BrokenConfig model = new BrokenConfig();
        model.build(3);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.save(file));

        assertTrue(e.getMessage().contains("cannot describe itself"), e.getMessage());
        assertUntouched();
    }

    @Test
    void aSaveThatFailsMidwayLeavesTheOldFile() throws IOException {
        // metadata.json, config.json and the first weights are written before the bfloat16 kernel, which
        // NumPy has no type for, stops the save
        Layer halfPrecision = new Dense(2).dtype(DataType.BFLOAT16);
        Sequential model = new Sequential(new InputLayer(3), new Dense(4), halfPrecision);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("weights.npz: " + halfPrecision.name() + "/kernel:0"), e.getMessage());
        assertTrue(e.getMessage().contains("BFLOAT16"), e.getMessage());
        assertUntouched();

        assertThrows(IllegalArgumentException.class, () -> model.saveWeights(file));
        assertUntouched();
    }

    @Test
    void aSuccessfulSaveReplacesTheFileAndLeavesNothingElse() throws IOException {
        Sequential other = new Sequential(new InputLayer(5), new Dense(3));
        other.save(file);

        assertEquals(List.of("model.g4j"), filesInDir());
        assertEquals(5, Model.load(file).variables().get(0).shape()[0]);
    }

    @Test
    void aMissingDirectoryOrADirectoryAsTargetIsNamed() {
        Sequential model = new Sequential(new InputLayer(3), new Dense(2));
        Path nowhere = dir.resolve("no/such/dir/m.g4j");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(nowhere));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> model.save(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
