package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;

/** Interrupted saves: the previous file stays byte for byte as it was, and no temporary file is left behind. */
class G4jFormatAtomicTest {
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

    @Test
    void aFileSystemFailureNamesTheTargetNotTheTemporaryFileAndLeavesNothingBehind() throws IOException {
        // another program puts a non-empty directory where the target was while the bytes are written, so the
        // final move fails after the temporary file exists
        Path target = dir.resolve("taken.g4j");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(target, "save(taken.g4j)",
                out -> {
                    out.write(new byte[] {1, 2, 3});
                    Files.createDirectories(target.resolve("inside"));
                }));

        assertTrue(e.getMessage().startsWith("save(taken.g4j): cannot write " + target.toAbsolutePath()), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertEquals(List.of("model.g4j", "taken.g4j"), filesInDir(), "the temporary file was left behind");
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /** A hidden temporary file as a killed save of {@code target} leaves it. */
    Path leftover(String target, String hex) throws IOException {
        return Files.write(dir.resolve("." + target + "." + hex + ".tmp"), new byte[1000]);
    }

    @Test
    void theNextSaveRemovesTheTemporaryFilesOfKilledSavesOfTheSameTarget() throws IOException {
        leftover("model.g4j", "0123456789abcdef");
        leftover("model.g4j", "7f3a");   // earlier versions wrote the hex number without leading zeros

        new Sequential(new InputLayer(3), new Dense(2)).save(file);

        assertEquals(List.of("model.g4j"), filesInDir());
    }

    @Test
    void filesThatOnlyLookLikeTemporaryFilesAreKept() throws IOException {
        List<Path> kept = List.of(
                leftover("other.g4j", "0123456789abcdef"),           // another target's
                leftover("model.g4j", "0123456789ABCDEF"),           // not what a save writes
                leftover("model.g4j", "0123456789abcdef0"),          // 17 digits
                leftover("model.g4j", "xyz"),
                Files.write(dir.resolve(".model.g4j.tmp"), new byte[1]),
                Files.write(dir.resolve("model.g4j.0123456789abcdef.tmp"), new byte[1]),
                Files.write(dir.resolve(".model.g4j.0123456789abcdef.tmp.bak"), new byte[1]),
                Files.write(dir.resolve(".xmodel.g4j.0123456789abcdef.tmp"), new byte[1]),
                Files.createDirectory(dir.resolve(".model.g4j.00000000000000aa.tmp")),
                Files.createSymbolicLink(dir.resolve(".model.g4j.00000000000000bb.tmp"), dir.resolve("model.g4j")));

        new Sequential(new InputLayer(3), new Dense(2)).save(file);

        for (Path p : kept) {
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " was removed");
        }
    }

    /**
     * A save in another process, killed with SIGKILL while it writes: while it lives its temporary file is
     * locked and no save here touches it; once it is dead, the next save removes what it left.
     */
    @Test
    void aSaveKilledMidwayLeavesATemporaryFileThatTheNextSaveRemoves() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowSave.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            while (line != null && !line.equals("writing")) {   // a JVM may print notices of its own first
                line = lines.readLine();
            }
            assertEquals("writing", line, "the child did not start writing");
            List<String> during = filesInDir();
            assertEquals(2, during.size(), "expected model.g4j and the child's temporary file: " + during);
            String temp = during.get(0);
            assertTrue(temp.matches("\\.model\\.g4j\\.[0-9a-f]{1,16}\\.tmp"), temp);

            Sequential model = new Sequential(new InputLayer(3), new Dense(2));
            model.save(file);
            assertEquals(during, filesInDir(), "a live save's temporary file was touched");

            child.destroyForcibly();   // SIGKILL: no finally block runs in the child
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(during, filesInDir(), "the killed save should have left its temporary file");

            model.save(file);
            assertEquals(List.of("model.g4j"), filesInDir());
            assertEquals(3, Model.load(file).variables().get(0).shape()[0]);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child of {@link #aSaveKilledMidwayLeavesATemporaryFileThatTheNextSaveRemoves}: a save that never ends. */
    static final class SlowSave {
        public static void main(String[] args) {
            AtomicFile.write(Path.of(args[0]), "SlowSave", out -> {
                out.write(new byte[100_000]);
                out.flush();
                System.out.println("writing");
                System.out.flush();
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
