package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Damaged and foreign files: every one is refused with an IllegalArgumentException whose message names the file
 * and the problem, never a NullPointerException or an ND4J crash.
 */
public class G4jFormatCorruptTest {
    @TempDir
    Path dir;

    Path good;
    byte[] goodBytes;

    @BeforeEach
    void saveAGoodModel() throws IOException {
        Layer.resetNameCounters();
        Seeds.set(1);
        Sequential model = new Sequential(new InputLayer(3), new Dense(2, "relu"), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        model.fit(Nd4j.rand(DataType.FLOAT, 8, 3), Nd4j.rand(DataType.FLOAT, 8, 1),
                FitOptions.epochs(1).batchSize(4).verbose(0));
        good = dir.resolve("good.g4j");
        model.save(good);
        goodBytes = Files.readAllBytes(good);
    }

    public static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The good file with its entries edited, written to {@code name}. */
    Path edited(String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> entries = unzip(goodBytes);
        edit.accept(entries);
        Path file = dir.resolve(name);
        Files.write(file, zip(entries));
        return file;
    }

    /** The good file with weights.npz edited. */
    Path editedWeights(String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> weights = unzip(unzip(goodBytes).get(G4jFormat.WEIGHTS));
        edit.accept(weights);
        byte[] npz = zip(weights);
        return edited(name, entries -> entries.put(G4jFormat.WEIGHTS, npz));
    }

    static void assertRefused(Path file, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void theGoodFileLoads() {
        assertEquals(4, Model.load(good).variables().size());
    }

    @Test
    void missingFile() {
        assertRefused(dir.resolve("nope.g4j"), "no such file");
    }

    @Test
    void truncatedZip() throws IOException {
        Path file = dir.resolve("truncated.g4j");
        Files.write(file, Arrays.copyOf(goodBytes, goodBytes.length / 2));
        assertRefused(file, "not a zip archive, or it is truncated");
    }

    @Test
    void randomBytesAndPlainText() throws IOException {
        Path random = dir.resolve("random.g4j");
        byte[] noise = new byte[4096];
        new Random(5).nextBytes(noise);
        Files.write(random, noise);
        assertRefused(random, "not a zip archive");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "model: dense 3 -> 2 -> 1\n");
        assertRefused(text, "not a zip archive");

        Path empty = dir.resolve("empty.g4j");
        Files.write(empty, new byte[0]);
        assertRefused(empty, "not a zip");
    }

    @Test
    void aZipOfSomethingElse() throws IOException {
        Path file = dir.resolve("photos.zip");
        Files.write(file, zip(Map.of("holiday.jpg", new byte[] {1, 2, 3})));
        assertRefused(file, "no metadata.json", "holiday.jpg");
    }

    @Test
    void missingConfigOrWeights() throws IOException {
        assertRefused(edited("noconfig.g4j", e -> e.remove(G4jFormat.CONFIG)), "no config.json");
        assertRefused(edited("noweights.g4j", e -> e.remove(G4jFormat.WEIGHTS)), "no weights.npz");
        assertRefused(edited("noopt.g4j", e -> e.remove(G4jFormat.OPTIMIZER)), "no optimizer.npz");
    }

    @Test
    void brokenJson() throws IOException {
        assertRefused(edited("badjson.g4j", e -> e.put(G4jFormat.CONFIG, "{\"class_name\": ".getBytes(StandardCharsets.UTF_8))),
                "config.json is not valid JSON");
        assertRefused(edited("array.g4j", e -> e.put(G4jFormat.CONFIG, "[1, 2]".getBytes(StandardCharsets.UTF_8))),
                "config.json must hold a JSON object");
        assertRefused(edited("noclass.g4j", e -> e.put(G4jFormat.CONFIG, "{\"config\": {}}".getBytes(StandardCharsets.UTF_8))),
                "class_name");
        assertRefused(edited("unknown.g4j", e -> e.put(G4jFormat.CONFIG,
                "{\"class_name\": \"Transformer\", \"config\": {}}".getBytes(StandardCharsets.UTF_8))),
                "unknown layer class \"Transformer\"");
        assertRefused(edited("layer.g4j", e -> e.put(G4jFormat.CONFIG,
                "{\"class_name\": \"Dense\", \"config\": {\"units\": 2}}".getBytes(StandardCharsets.UTF_8))), "not a model");
        assertRefused(edited("nolayers.g4j", e -> e.put(G4jFormat.CONFIG,
                "{\"class_name\": \"Sequential\", \"config\": {\"layers\": 7}}".getBytes(StandardCharsets.UTF_8))),
                "\"layers\" list");
    }

    @Test
    void newerFormatVersion() throws IOException {
        assertRefused(edited("future.g4j", e -> e.put(G4jFormat.METADATA,
                "{\"format_version\": 99, \"grad4j_version\": \"9.0\"}".getBytes(StandardCharsets.UTF_8))), "format version 99");
        assertRefused(edited("noversion.g4j", e -> e.put(G4jFormat.METADATA, "{}".getBytes(StandardCharsets.UTF_8))),
                "format_version");
    }

    @Test
    void weightWithABadHeader() throws IOException {
        Path file = editedWeights("badheader.g4j", w -> {
            byte[] kernel = w.get("dense/kernel:0.npy");
            kernel[0] = 'X';
        });
        assertRefused(file, "weights.npz!dense/kernel:0.npy", "not a .npy array");

        Path type = editedWeights("badtype.g4j", w -> {
            byte[] kernel = w.get("dense/kernel:0.npy");
            String header = new String(kernel, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<c8'");
            w.put("dense/kernel:0.npy", header.getBytes(StandardCharsets.ISO_8859_1));
        });
        assertRefused(type, "dense/kernel:0.npy", "unsupported NumPy type '<c8'");

        Path cut = editedWeights("cutdata.g4j", w -> {
            byte[] kernel = w.get("dense/kernel:0.npy");
            w.put("dense/kernel:0.npy", Arrays.copyOf(kernel, kernel.length - 3));
        });
        assertRefused(cut, "dense/kernel:0.npy", "truncated");
    }

    @Test
    void missingOrMisshapenWeight() throws IOException {
        assertRefused(editedWeights("missing.g4j", w -> w.remove("dense_1/bias:0.npy")),
                "missing from the file: dense_1/bias:0 [1]");
        assertRefused(editedWeights("reshaped.g4j", w -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Npy.write(Nd4j.zeros(DataType.FLOAT, 2, 2), out);
                w.put("dense_1/kernel:0.npy", out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), "dense_1/kernel:0", "[2, 2]", "[2, 1]");
        assertRefused(editedWeights("notnpy.g4j", w -> w.put("readme.txt", new byte[] {1})), "\"readme.txt\" is not a .npy");
        assertRefused(edited("garbage.g4j", e -> e.put(G4jFormat.WEIGHTS, "not a zip".getBytes(StandardCharsets.UTF_8))),
                "weights.npz", "not an .npz archive");
    }

    /**
     * Wherever a byte is damaged (every fifth is tried) or the file is cut, loading either succeeds (a byte no reader
     * looks at, such as a timestamp) or fails with a message naming the file: never another exception type.
     */
    @Test
    void everyCutAndEveryFlippedByteGivesALoadOrAClearError() throws IOException {
        Path file = dir.resolve("damaged.g4j");
        for (int i = 0; i < goodBytes.length; i += 5) {
            byte[] damaged = goodBytes.clone();
            damaged[i] ^= (byte) 0x5a;
            Files.write(file, damaged);
            loadOrClearError(file, "byte " + i + " flipped");
        }
        for (int length = 0; length < goodBytes.length; length += 23) {
            Files.write(file, Arrays.copyOf(goodBytes, length));
            loadOrClearError(file, "cut at " + length);
        }
    }

    private static void loadOrClearError(Path file, String what) {
        try {
            Model.load(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
                fail(what + ": the message does not name the file: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            fail(what + ": " + e, e);
        }
    }
}
