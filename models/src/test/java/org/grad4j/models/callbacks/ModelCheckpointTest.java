package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelCheckpointTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Fits the linear model for {@code valLoss.length} epochs with the injected values; returns each epoch's weights. */
    private static List<List<INDArray>> fit(ModelCheckpoint checkpoint, double... valLoss) {
        List<List<INDArray>> snapshots = Training.newSnapshots();
        Training.linearModel(0.05).fit(Training.X, Training.Y, Training.options(valLoss.length,
                Training.inject("val_loss", valLoss), Training.snapshots(snapshots), checkpoint));
        return snapshots;
    }

    private static List<INDArray> weightsIn(Path file) {
        Sequential fresh = Training.linearModel(0.05);
        fresh.loadWeights(file);
        return fresh.getWeights();
    }

    @Test
    void saveBestOnlyWritesOnlyTheEpochsThatImproved() throws IOException {
        List<List<INDArray>> snapshots = fit(new ModelCheckpoint(dir + "/model-{epoch:02d}.g4j").saveBestOnly(true),
                1.0, 0.8, 0.9, 0.7, 0.75);
        assertEquals(List.of("model-01.g4j", "model-02.g4j", "model-04.g4j"), files());
        Model best = Model.load(dir.resolve("model-04.g4j"));
        assertEquals(snapshots.get(3), best.getWeights());
        assertNotEquals(snapshots.get(4), best.getWeights());
    }

    @Test
    void withoutSaveBestOnlyEveryEpochIsSaved() throws IOException {
        List<List<INDArray>> snapshots = fit(new ModelCheckpoint(dir.resolve("w-{epoch}.npz")).saveWeightsOnly(true),
                1.0, 2.0, 3.0);
        assertEquals(List.of("w-1.npz", "w-2.npz", "w-3.npz"), files());
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(snapshots.get(epoch), weightsIn(dir.resolve("w-" + (epoch + 1) + ".npz")), "epoch " + epoch);
        }
    }

    @Test
    void oneFixedFileEndsUpHoldingTheBestEpoch() throws IOException {
        Path file = dir.resolve("best.npz");
        List<List<INDArray>> snapshots = fit(new ModelCheckpoint(file).saveWeightsOnly(true).saveBestOnly(true),
                0.5, 0.7, 0.4, 0.6, 0.45);
        assertEquals(List.of("best.npz"), files());
        assertEquals(snapshots.get(2), weightsIn(file));
        assertNotEquals(snapshots.get(4), snapshots.get(2));
    }

    @Test
    void maxModeAndAnInitialThreshold() throws IOException {
        List<List<INDArray>> snapshots = Training.newSnapshots();
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir + "/acc-{epoch}.npz").monitor("val_accuracy")
                .saveWeightsOnly(true).saveBestOnly(true).initialValueThreshold(0.6);
        Training.linearModel(0.05).fit(Training.X, Training.Y, Training.options(5,
                Training.inject("val_accuracy", 0.5, 0.7, 0.65, 0.9, 0.9), Training.snapshots(snapshots), checkpoint));
        assertEquals(List.of("acc-2.npz", "acc-4.npz"), files());
        assertEquals(0.9, checkpoint.best());
    }

    @Test
    void logEntriesFillTheName() throws IOException {
        fit(new ModelCheckpoint(dir + "/m-{epoch:03d}-{val_loss:.3f}-{loss:.1e}.npz").saveWeightsOnly(true), 0.5, 0.25);
        List<String> files = files();
        assertEquals(2, files.size());
        assertTrue(files.get(0).matches("m-001-0\\.500-\\d\\.\\de[+-]\\d\\d\\.npz"), files.get(0));
        assertTrue(files.get(1).startsWith("m-002-0.250-"), files.get(1));
    }

    @Test
    void saveFreqCountsBatchesAcrossEpochs() throws IOException {
        // 8 batches per epoch, a save every 5: batches 5, 10, 15 and 20 of the run
        fit(new ModelCheckpoint(dir + "/b-{epoch}-{batch}.npz").saveWeightsOnly(true).saveFreq(5), 1, 1, 1);
        assertEquals(List.of("b-1-5.npz", "b-2-2.npz", "b-2-7.npz", "b-3-4.npz"), files());
    }

    @Test
    void aMissingMonitorWithSaveBestOnlySavesNothing() throws IOException {
        List<List<INDArray>> snapshots = Training.newSnapshots();
        Training.linearModel(0.05).fit(Training.X, Training.Y, Training.options(2, Training.snapshots(snapshots),
                new ModelCheckpoint(dir + "/never-{epoch}.npz").saveWeightsOnly(true).saveBestOnly(true)));
        assertEquals(2, snapshots.size());
        assertEquals(List.of(), files());
    }

    @Test
    void missingParentDirectoriesAreCreated() throws IOException {
        fit(new ModelCheckpoint(dir + "/runs/a/w.npz").saveWeightsOnly(true), 1.0);
        assertTrue(Files.isRegularFile(dir.resolve("runs/a/w.npz")));
    }

    @Test
    void aDirectoryIsNoFilepath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(new ModelCheckpoint(dir).saveWeightsOnly(true), 1.0));
        assertTrue(e.getMessage().startsWith("ModelCheckpoint: " + dir + " is an existing directory"), e.getMessage());
    }

    @Test
    void aFieldNotInTheLogsNamesTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(new ModelCheckpoint(dir + "/{val_acc:.2f}.npz").saveWeightsOnly(true), 1.0));
        assertEquals("ModelCheckpoint: filepath \"" + dir + "/{val_acc:.2f}.npz\" has the field {val_acc}, which is not in "
                + "the logs (available: epoch, loss, learning_rate, val_loss)", e.getMessage());
    }

    @Test
    void templatesFormatAsPythonsStrFormat() {
        Map<String, Number> values = Map.of("epoch", 7, "loss", 0.123456, "val_loss", 1e-5);
        assertEquals("07-0.12-1e-05-{x}.g4j", new FilepathTemplate("{epoch:02d}-{loss:.2f}-{val_loss}-{{x}}.g4j").format(values));
        assertEquals("  7|0.1235|1.23e-01|+0.123456|0.123456", new FilepathTemplate("{epoch:3}|{loss:.4}|{loss:.2e}|{loss:+f}|{loss}")
                .format(values));
        assertEquals("0007", new FilepathTemplate("{epoch:04d}").format(values));
    }

    @Test
    void malformedTemplatesFailWhenTheCallbackIsCreated() {
        assertEquals("ModelCheckpoint: filepath \"m-{epoch.g4j\": a '{' at position 2 is never closed",
                assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m-{epoch.g4j")).getMessage());
        assertEquals("ModelCheckpoint: filepath \"m}.g4j\": a single '}' at position 1 (write '}}' for a literal brace)",
                assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m}.g4j")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("{epoch:>5}.g4j")).getMessage()
                .contains("format spec \">5\", which is not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("{1poch}.g4j")).getMessage()
                .contains("{1poch} does not name a log entry"));
        assertEquals("ModelCheckpoint: filepath \"{loss:d}\" formats {loss:d} as an integer, but its value 0.5 is a float; "
                + "use e.g. {loss:.4f}", assertThrows(IllegalArgumentException.class,
                        () -> new FilepathTemplate("{loss:d}").format(Map.of("loss", 0.5))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m.g4j").saveFreq("often"));
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m.g4j").saveFreq(0));
    }
}
