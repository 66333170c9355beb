package org.grad4j.models.saving;

import static org.grad4j.models.SaveLoadTest.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Crafted files that ask for gigabytes: each is refused within a second, by a load that allocates less than
 * 100 MB, with a message naming the file, the entry and the sizes. The files are made here, a few MB each
 * (see {@link CraftedZip}); the time and the bytes the loading thread allocated are measured around the load
 * alone, after a good file has been loaded once so that no class loading is counted.
 */
class G4jFormatLimitsTest {
    private static final long MAX_NANOS = 1_000_000_000L;
    private static final long MAX_ALLOCATED = 100L << 20;
    /** Two float32 arrays of this many elements, 2.1 GB each: about 2 MB each when deflated. */
    private static final long HUGE = 525_000_000L;

    @TempDir
    Path dir;

    Map<String, byte[]> goodEntries;

    @BeforeEach
    void saveAGoodModelAndLoadItOnce() throws IOException {
        Layer.resetNameCounters();
        Seeds.set(3);
        Sequential model = new Sequential(new InputLayer(3), new Dense(2, "relu"), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        model.fit(Nd4j.rand(DataType.FLOAT, 8, 3), Nd4j.rand(DataType.FLOAT, 8, 1), FitOptions.epochs(1).batchSize(4).verbose(0));
        Path good = dir.resolve("good.g4j");
        model.save(good);
        Model.load(good);   // warm up: classes loaded, code compiled
        goodEntries = G4jFormatCorruptTest.unzip(Files.readAllBytes(good));
    }

    /** What a refused load cost. */
    record Cost(IllegalArgumentException error, long nanos, long allocated, long residentGrowth) {
    }

    /** Runs a load that must be refused, measuring its wall time and the bytes this thread allocated. */
    static Cost refused(String what, Executable load) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long resident = Pointer.physicalBytes();
        long allocated = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        Cost cost = new Cost(e, System.nanoTime() - start, threads.getThreadAllocatedBytes(thread) - allocated,
                Pointer.physicalBytes() - resident);
        // the figures quoted in the change notes
        System.out.printf(Locale.ROOT, "%s: refused in %.1f ms, %.2f MB allocated by the loading thread, resident size %+.1f MB%n"
                + "    %s%n", what, cost.nanos / 1e6, cost.allocated / 1e6, cost.residentGrowth / 1e6, e.getMessage());
        assertTrue(cost.nanos < MAX_NANOS, what + " took " + cost.nanos / 1e6 + " ms");
        assertTrue(cost.allocated < MAX_ALLOCATED, what + " allocated " + cost.allocated + " bytes");
        return cost;
    }

    static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    /** The good model file with some entries replaced; every entry is written as given. */
    Path craftedModelFile(String name, Map<String, CraftedZip.Entry> replaced) throws IOException {
        CraftedZip zip = new CraftedZip();
        for (Map.Entry<String, byte[]> e : goodEntries.entrySet()) {
            zip.add(replaced.getOrDefault(e.getKey(), CraftedZip.stored(e.getKey(), e.getValue())));
        }
        Path file = dir.resolve(name);
        Files.write(file, zip.bytes());
        assertTrue(Files.size(file) < 5_000_000, "a crafted file must stay small: " + Files.size(file));
        return file;
    }

    /** A deflated .npy entry whose header announces {@code shape} float32 and whose data are that many zero bytes. */
    static CraftedZip.Entry npy(String name, long[] shape, long dataBytes) {
        return CraftedZip.deflatedRun(name + ".npy", Npy.header("<f4", shape), (byte) 0, dataBytes, new byte[0]);
    }

    /** An .npz of two float32 arrays of {@link #HUGE} elements (2.1 GB each) named like {@code dense}'s weights. */
    static byte[] hugeNpz() {
        return new CraftedZip()
                .add(npy("dense/kernel:0", new long[] {HUGE}, HUGE * 4))
                .add(npy("dense/bias:0", new long[] {HUGE}, HUGE * 4))
                .bytes();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {G4jFormat.CONFIG, G4jFormat.METADATA})
    void aJsonEntryInflatingToGigabytesIsRefusedBeforeItIsInflated(String entry) throws IOException {
        // 3 GiB of "aaa..." in a JSON string, deflated to about 3 MB
        CraftedZip.Entry huge = CraftedZip.deflatedRun(entry, utf8("{\"class_name\": \"Sequential\", \"config\": {\"name\": \""),
                (byte) 'a', 3L << 30, utf8("\"}}"));
        Path file = craftedModelFile("json.g4j", Map.of(entry, huge));

        Cost cost = refused(entry + " of 3 GiB", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(), entry + " declares 3,221,225,5", "more than the 4,194,304 bytes (4.0 MiB)");
    }

    @Test
    void aJsonEntryWhoseZipHeaderUnderstatesItsSizeIsCutOffAtTheDeclaredSize() throws IOException {
        CraftedZip.Entry huge = CraftedZip.deflatedRun(G4jFormat.CONFIG, utf8("{\"class_name\": \"Sequential\", \"config\": {\"name\": \""),
                (byte) 'a', 3L << 30, utf8("\"}}")).declaring(100_000);
        Path file = craftedModelFile("lying.g4j", Map.of(G4jFormat.CONFIG, huge));

        Cost cost = refused("config.json of 3 GiB declaring 100 kB", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(), "config.json inflates to more than the 100,000 bytes (97.7 KiB) its zip header declares");
    }

    @Test
    void weightsInflatingToGigabytesAreRefusedBeforeAnyIsRead() throws IOException {
        Path file = craftedModelFile("weights.g4j", Map.of(G4jFormat.WEIGHTS, CraftedZip.stored(G4jFormat.WEIGHTS, hugeNpz())));

        Cost cost = refused("weights.npz holding two 2.1 GB arrays", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(), "weights.npz declares 4,", "the model's 4 arrays can take");
    }

    @Test
    void optimizerStateInflatingToGigabytesIsRefusedBeforeAnyIsRead() throws IOException {
        Path file = craftedModelFile("optimizer.g4j", Map.of(G4jFormat.OPTIMIZER, CraftedZip.stored(G4jFormat.OPTIMIZER, hugeNpz())));

        Cost cost = refused("optimizer.npz holding two 2.1 GB arrays", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(), "optimizer.npz declares 4,", "the model's 9 arrays can take");
    }

    /** A model whose 4 MB kernel makes a 4 MB weights.npz plausible, so that the arrays' headers must stop it. */
    static Sequential wideModel() {
        Layer.resetNameCounters();   // its layer is "dense", like the crafted arrays
        return new Sequential(new InputLayer(1024), new Dense(1024));
    }

    @Test
    void eachArraysHeaderIsComparedWithTheModelBeforeItsDataIsRead() throws IOException {
        Path good = dir.resolve("wide.g4j");
        wideModel().save(good);
        goodEntries = G4jFormatCorruptTest.unzip(Files.readAllBytes(good));
        Path file = craftedModelFile("wide-crafted.g4j", Map.of(G4jFormat.WEIGHTS, CraftedZip.stored(G4jFormat.WEIGHTS, hugeNpz())));

        Cost cost = refused("weights.npz of a plausible size holding a 2.1 GB array", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(),
                "weights.npz entry \"dense/kernel:0\" has shape [525000000] but the model's dense/kernel:0 is [1024, 1024]");
    }

    @Test
    void loadWeightsChecksTheFileSizeAndEachHeaderAndChangesNothing() throws IOException {
        Path npz = dir.resolve("w.npz");
        Files.write(npz, hugeNpz());
        Sequential wide = wideModel();
        Sequential small = new Sequential(new InputLayer(3), new Dense(2));
        List<INDArray> before = wide.getWeights();

        Cost tooBig = refused("loadWeights of a 4 MB .npz into a small model", () -> small.loadWeights(npz));
        Cost wrongShape = refused("loadWeights of a 4 MB .npz holding a 2.1 GB array", () -> wide.loadWeights(npz));

        assertMentions(tooBig.error(), npz.toString(), "w.npz is 4,", "the model's 2 weights can take");
        assertMentions(wrongShape.error(), npz.toString(),
                "w.npz entry \"dense/kernel:0\" has shape [525000000] but the model's dense/kernel:0 is [1024, 1024]");
        for (int i = 0; i < before.size(); i++) {
            assertBitIdentical(before.get(i), wide.variables().get(i).array(), "weight " + i + " after a refused load");
        }
    }

    @Test
    void anArrayWithTheRightHeaderButGigabytesOfDataIsCutOffOneByteLate() throws IOException {
        Path good = dir.resolve("wide.g4j");
        wideModel().save(good);
        goodEntries = G4jFormatCorruptTest.unzip(Files.readAllBytes(good));
        // the zip header declares the size the .npy header announces; the data goes on for 2.1 GB
        long announced = Npy.header("<f4", new long[] {1024, 1024}).length + 4L * 1024 * 1024;
        byte[] npz = new CraftedZip()
                .add(npy("dense/kernel:0", new long[] {1024, 1024}, HUGE * 4).declaring(announced))
                .add(npy("dense/bias:0", new long[] {1024}, 4096))
                .bytes();
        Path file = craftedModelFile("long.g4j", Map.of(G4jFormat.WEIGHTS, CraftedZip.stored(G4jFormat.WEIGHTS, npz)));

        Cost cost = refused("a [1024, 1024] array followed by 2.1 GB more", () -> Model.load(file));

        assertMentions(cost.error(), "weights.npz!dense/kernel:0.npy: more data than shape [1024, 1024] of <f4 needs (4194304 bytes)");
    }

    /** The good model's config with the input width and the first layer's units set to {@code n}. */
    Path denseConfig(int n) throws IOException {
        Path small = dir.resolve("small.g4j");
        Layer.resetNameCounters();
        new Sequential(new InputLayer(7), new Dense(5)).save(small);
        goodEntries = G4jFormatCorruptTest.unzip(Files.readAllBytes(small));
        String config = new String(goodEntries.get(G4jFormat.CONFIG), StandardCharsets.UTF_8)
                .replace("[ null, 7 ]", "[ null, " + n + " ]").replace("\"units\" : 5", "\"units\" : " + n);
        Map<String, CraftedZip.Entry> replaced = new LinkedHashMap<>();
        replaced.put(G4jFormat.CONFIG, CraftedZip.stored(G4jFormat.CONFIG, utf8(config)));
        Path file = craftedModelFile("dense" + n + ".g4j", replaced);
        assertTrue(Files.size(file) < 4096);
        return file;
    }

    @Test
    void aConfigAskingForALayerLargerThanLongArithmeticIsRefusedByName() throws IOException {
        Path file = denseConfig(100_000);   // a 40 GB kernel: 10^10 elements, past an int

        Cost cost = refused("Dense 100000 x 100000 from a 2.7 kB config", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(),
                "dense (Dense): weight dense/kernel:0 [100000, 100000] FLOAT needs 40,000,000,000 bytes");
    }

    @Test
    void aConfigAskingForMoreThanTheJvmMayUseIsRefusedByName() throws IOException {
        // 6.4 GB: more than the 1/4 of memory a JVM takes by default on machines of up to 25 GB
        assumeTrue(Pointer.maxBytes() > 0 && Pointer.maxBytes() < 6_400_000_000L,
                "this JVM may allocate 6.4 GB (maxBytes " + Pointer.maxBytes() + ")");
        Path file = denseConfig(40_000);

        Cost cost = refused("Dense 40000 x 40000 from a 2.7 kB config", () -> Model.load(file));

        assertMentions(cost.error(), file.toString(),
                "dense (Dense): weight dense/kernel:0 [40000, 40000] FLOAT needs 6,400,000,000 bytes", "maxBytes");
    }
}
