package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {
    @TempDir
    Path dir;

    private static Sequential modelWithMetric() {
        Layer.resetNameCounters();
        Seeds.set(3);
        Sequential model = new Sequential(new Dense(1));
        model.compile(new SGD(0.01), "mse", "mae");
        return model;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    void oneRowPerEpochWithSortedColumnsAndNaForEpochsWithoutValidation() throws IOException {
        Path file = dir.resolve("log.csv");
        List<List<String>> seenWhileTraining = new ArrayList<>();
        LambdaCallback reader = new LambdaCallback().onEpochEnd((epoch, logs) -> {
            try {
                seenWhileTraining.add(lines(file));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        History history = modelWithMetric().fit(Training.X, Training.Y, Training.options(4, new CSVLogger(file), reader)
                .validationData(Training.X, Training.Y).validationFreq(2));

        List<String> keys = new ArrayList<>(new TreeSet<>(history.history().keySet()));
        List<String> lines = lines(file);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals("epoch," + String.join(",", keys), lines.get(0));
        assertEquals(List.of("learning_rate", "loss", "mae", "val_loss", "val_mae"), keys);
        for (int epoch = 0; epoch < 4; epoch++) {
            String[] cells = lines.get(epoch + 1).split(",", -1);
            assertEquals(keys.size() + 1, cells.length);
            assertEquals(String.valueOf(epoch), cells[0]);
            for (int k = 0; k < keys.size(); k++) {
                String key = keys.get(k);
                int at = history.epochsOf(key).indexOf(epoch);
                if (at < 0) {
                    assertEquals("NA", cells[k + 1], key + " at epoch " + epoch);
                } else {
                    // written as Python prints floats, which reads back to the same double
                    assertEquals(history.get(key).get(at), Double.parseDouble(cells[k + 1]), key + " at epoch " + epoch);
                }
            }
        }
        assertEquals("NA", lines.get(1).split(",")[4]);
        // streamed: after epoch 0 the file held its row; the val_ columns arrived with epoch 1
        assertEquals(List.of("epoch,learning_rate,loss,mae"), seenWhileTraining.get(0).subList(0, 1));
        assertEquals(2, seenWhileTraining.get(0).size());
        assertEquals(lines.subList(0, 3), seenWhileTraining.get(1));
    }

    @Test
    void appendAddsRowsAfterAnEarlierRunWithOneHeader() throws IOException {
        Path file = dir.resolve("log.tsv");
        Sequential model = Training.linearModel(0.01);
        model.fit(Training.X, Training.Y, Training.options(2, new CSVLogger(file, '\t', true)));
        model.fit(Training.X, Training.Y, Training.options(3, new CSVLogger(file, '\t', true)).initialEpoch(2));
        List<String> lines = lines(file);
        assertEquals("epoch\tlearning_rate\tloss", lines.get(0));
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals(List.of("0", "1", "2"), lines.subList(1, 4).stream().map(l -> l.split("\t")[0]).toList());
        assertEquals("0.01", lines.get(3).split("\t")[1]);
    }

    @Test
    void appendingToAFileWithoutLineBreaksReadsOneByteOfIt() throws IOException {
        // 3 GB of zero bytes and no line break, sparse: nothing on disk. Reading its "first line" once meant
        // reading all of it into one String.
        Path file = dir.resolve("huge.csv");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(3L << 30);
        }
        CSVLogger logger = new CSVLogger(file, ',', true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long start = System.nanoTime();

        logger.onTrainBegin(Map.of());

        long nanos = System.nanoTime() - start;
        allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated;
        assertTrue(nanos < 1_000_000_000L, "took " + nanos / 1e6 + " ms");
        assertTrue(allocated < 10L << 20, "allocated " + allocated + " bytes");
        logger.onEpochEnd(0, new java.util.LinkedHashMap<>(Map.of("loss", 0.5)));
        assertEquals((3L << 30) + "0,0.5\n".length(), Files.size(file), "a row without a header is appended");
    }

    @Test
    void withoutAppendAnOldFileIsReplaced() throws IOException {
        Path file = dir.resolve("log.csv");
        Files.writeString(file, "old,content\n1,2\n3,4\n5,6\n");
        Training.linearModel(0.01).fit(Training.X, Training.Y, Training.options(1, new CSVLogger(file)));
        List<String> lines = lines(file);
        assertEquals(2, lines.size());
        assertEquals("epoch,learning_rate,loss", lines.get(0));
    }

    @Test
    void columnsArrivingLaterAlsoWidenAnAppendedRunWithoutTouchingTheOldRows() throws IOException {
        Path file = dir.resolve("log.csv");
        Files.writeString(file, "from,before\n");
        LambdaCallback lateEntry = new LambdaCallback()
                .onEpochEnd((epoch, logs) -> {
                    if (epoch == 1) {
                        logs.put("extra", 0.25);
                    }
                });
        Training.linearModel(0.01).fit(Training.X, Training.Y,
                Training.options(2, lateEntry, new CSVLogger(file, ',', true)));
        List<String> lines = lines(file);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals("from,before", lines.get(0));
        assertEquals("NA", lines.get(1).split(",")[1]);
        assertEquals("0.25", lines.get(2).split(",")[1]);
    }

    @Test
    void valuesAreWrittenAsPythonPrintsThem() {
        Map<Double, String> cases = Map.of(0.01, "0.01", 1e-4, "0.0001", 1e-5, "1e-05", 2.0, "2.0", 1.5e16, "1.5e+16",
                -0.125, "-0.125", Double.NaN, "nan", Double.NEGATIVE_INFINITY, "-inf", 123456.789, "123456.789",
                3.0e-7, "3e-07");
        cases.forEach((value, text) -> assertEquals(text, PythonFloat.repr(value), String.valueOf(value)));
    }

    @Test
    void aMissingFilenameOrAQuoteSeparatorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CSVLogger(null));
        assertEquals("CSVLogger: separator cannot be a quote or a line break, got '\"'",
                assertThrows(IllegalArgumentException.class, () -> new CSVLogger(dir.resolve("a.csv"), '"', false)).getMessage());
    }
}
