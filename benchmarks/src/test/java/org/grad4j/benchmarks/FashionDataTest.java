package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W6 finds a local Fashion-MNIST by its training images, else falls back to data of the same shape. */
class FashionDataTest {

    @Test
    void theFirstFolderHoldingTheTrainingImagesIsChosen(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Path gz = Files.createDirectories(dir.resolve("gz"));
        Files.createFile(plain.resolve("train-images-idx3-ubyte"));
        Files.createFile(gz.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(plain, FashionData.localCopy(List.of(empty, dir.resolve("missing"), plain, gz)));
        assertEquals(gz, FashionData.localCopy(List.of(gz, plain)));
        assertNull(FashionData.localCopy(List.of(empty)));
    }

    @Test
    void syntheticDataHasTheTutorialsShapeAndClassIds() {
        Data d = FashionData.synthetic(64, 1);
        assertArrayEquals(new long[] {64, 784}, d.x().shape());
        assertArrayEquals(new long[] {64, 1}, d.y().shape());
        assertTrue(d.y().minNumber().doubleValue() >= 0 && d.y().maxNumber().doubleValue() <= 9);
        assertEquals(d.y().castTo(org.nd4j.linalg.api.buffer.DataType.INT).castTo(d.y().dataType()), d.y(), "whole class ids");
    }
}
