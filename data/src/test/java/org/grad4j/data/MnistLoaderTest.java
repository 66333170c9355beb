package org.grad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MNIST-family loader against a local HTTP server serving small generated IDX files (6 training and 4 test
 * images of 28 × 28). The real URLs are never contacted.
 */
class MnistLoaderTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new HashMap<>();
    /** Files the server sends only this many bytes of (the rest of the declared or chunked body is cut). */
    private final Map<String, Integer> cutAfter = new HashMap<>();
    private final Map<String, Boolean> declareLength = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long stallMillis;
    private Map<String, byte[]> files;
    private MnistFamily family;
    private Path home;

    @BeforeEach
    void start() throws IOException {
        files = Map.of(
                MnistFamily.TRAIN_IMAGES, IdxFiles.gzip(IdxFiles.ubyte(6, 28, 28)),
                MnistFamily.TRAIN_LABELS, IdxFiles.gzip(IdxFiles.labels(6, 10)),
                MnistFamily.TEST_IMAGES, IdxFiles.gzip(IdxFiles.ubyte(4, 28, 28)),
                MnistFamily.TEST_LABELS, IdxFiles.gzip(IdxFiles.labels(4, 10)));
        served.putAll(files);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/data/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/data/".length());
            byte[] body = served.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            int cut = cutAfter.getOrDefault(name, body.length);
            boolean declared = declareLength.getOrDefault(name, true);
            exchange.sendResponseHeaders(200, declared ? body.length : 0);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, cut);
            out.flush();
            if (declared && cut < body.length) {
                if (stallMillis > 0) {
                    sleep(stallMillis);
                }
                throw new IOException("test server: connection cut after " + cut + " bytes");  // the server closes it
            }
            out.close();
            exchange.close();
        });
        server.start();
        List<RemoteFile> remote = new ArrayList<>();
        for (String name : List.of(MnistFamily.TRAIN_IMAGES, MnistFamily.TRAIN_LABELS, MnistFamily.TEST_IMAGES,
                MnistFamily.TEST_LABELS)) {
            remote.add(new RemoteFile(name, sha256(files.get(name)), files.get(name).length));
        }
        family = MnistFamily.FASHION_MNIST.withSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/data/"), remote, tmp.resolve("system-folder"));
        home = tmp.resolve("home");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MnistLoader loader(String variable, PrintStream progress) {
        return new MnistLoader(family, variable, home, progress, java.time.Duration.ofSeconds(5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path cache() {
        return home.resolve(".grad4j/datasets/fashion-mnist");
    }

    private static void assertLooksLikeTheGeneratedSet(TrainTest t) {
        assertArrayEquals(new long[] {6, 28, 28}, t.xTrain().shape());
        assertArrayEquals(new long[] {6}, t.yTrain().shape());
        assertArrayEquals(new long[] {4, 28, 28}, t.xTest().shape());
        assertArrayEquals(new long[] {4}, t.yTest().shape());
        assertEquals(3f, t.xTrain().getFloat(0, 0, 0));
        assertEquals((7 * 5 + 3), t.xTrain().getFloat(0, 0, 5), 0f);
        assertEquals(5f, t.yTrain().getFloat(5));
        assertEquals(3f, t.yTest().getFloat(3));
    }

    private List<String> cacheListing() throws IOException {
        if (!Files.isDirectory(cache())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndThenReadsFromTheCache() throws IOException {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        TrainTest t = loader(null, new PrintStream(terminal, true, StandardCharsets.UTF_8)).load(null);
        assertLooksLikeTheGeneratedSet(t);
        assertEquals(4, requests.get());
        assertEquals(List.of(MnistFamily.TEST_IMAGES, MnistFamily.TEST_LABELS, MnistFamily.TRAIN_IMAGES,
                MnistFamily.TRAIN_LABELS), cacheListing(), "four verified files, no .part left");
        assertArrayEquals(files.get(MnistFamily.TRAIN_IMAGES), Files.readAllBytes(cache().resolve(MnistFamily.TRAIN_IMAGES)));
        String drawn = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.contains("\rDownloading train-images-idx3-ubyte.gz [") && drawn.contains("MB"), drawn);

        assertLooksLikeTheGeneratedSet(loader(null, null).load(null));
        assertEquals(4, requests.get(), "the second load reads the cache");
    }

    @Test
    void corruptFileIsRefusedAndNothingIsLeftInTheCache() throws IOException {
        byte[] corrupt = files.get(MnistFamily.TRAIN_LABELS).clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        served.put(MnistFamily.TRAIN_LABELS, corrupt);
        DatasetException e = assertThrows(DatasetException.class, () -> loader(null, null).load(null));
        assertTrue(e.getMessage().contains("SHA-256 is " + sha256(corrupt)), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + sha256(files.get(MnistFamily.TRAIN_LABELS))), e.getMessage());
        assertTrue(e.getMessage().contains("/data/train-labels-idx1-ubyte.gz"), e.getMessage());
        assertEquals(List.of(MnistFamily.TRAIN_IMAGES), cacheListing(),
                "the verified file before it stays; the corrupt one and its .part are gone");

        served.put(MnistFamily.TRAIN_LABELS, files.get(MnistFamily.TRAIN_LABELS));
        assertLooksLikeTheGeneratedSet(loader(null, null).load(null));
        assertEquals(2 + 3, requests.get(), "the next run fetches only what is missing");
    }

    @Test
    void truncatedDownloadsAreRefusedWithOrWithoutContentLength() throws IOException {
        int half = files.get(MnistFamily.TRAIN_IMAGES).length / 2;
        cutAfter.put(MnistFamily.TRAIN_IMAGES, half);
        declareLength.put(MnistFamily.TRAIN_IMAGES, false);           // chunked: only the byte count can tell
        String chunked = assertThrows(DatasetException.class, () -> loader(null, null).load(null)).getMessage();
        assertTrue(chunked.contains("received " + half + " bytes, expected " + files.get(MnistFamily.TRAIN_IMAGES).length
                + " (truncated)"), chunked);
        assertEquals(List.of(), cacheListing());

        declareLength.put(MnistFamily.TRAIN_IMAGES, true);            // Content-Length promised, connection cut
        String declared = assertThrows(DatasetException.class, () -> loader(null, null).load(null)).getMessage();
        assertTrue(declared.startsWith("Could not download http://127.0.0.1:"), declared);
        assertEquals(List.of(), cacheListing());
    }

    @Test
    void aServerThatStallsMidBodyTimesOut() throws IOException {
        cutAfter.put(MnistFamily.TRAIN_IMAGES, 100);
        stallMillis = 1500;
        MnistLoader impatient = new MnistLoader(family, null, home, null, java.time.Duration.ofMillis(200));
        long start = System.nanoTime();
        String m = assertThrows(DatasetException.class, () -> impatient.load(null)).getMessage();
        assertTrue(m.contains("no data for too long"), m);
        assertTrue(System.nanoTime() - start < 1_200_000_000L, "gave up before the server woke");
        assertEquals(List.of(), cacheListing());
    }

    @Test
    void offlineErrorNamesUrlFolderAndTheManualWay() {
        server.stop(0);
        DatasetException e = assertThrows(DatasetException.class, () -> loader(null, null).load(null));
        String m = e.getMessage();
        assertTrue(m.contains("Could not download " + family.baseUrl() + MnistFamily.TRAIN_IMAGES), m);
        assertTrue(m.contains("into " + cache()), m);
        assertTrue(m.contains("connection refused or no network"), m);
        assertTrue(m.contains("copy [train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"), m);
        assertTrue(m.contains("Datasets.fashionMnist(Path)") && m.contains("GRAD4J_DATASETS"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
    }

    @Test
    void aLeftoverPartialFileNeverCountsAsDone() throws IOException {
        Files.createDirectories(cache());
        Path part = cache().resolve("." + MnistFamily.TRAIN_IMAGES + ".12345.part");
        Files.write(part, new byte[] {1, 2, 3});
        assertLooksLikeTheGeneratedSet(loader(null, null).load(null));
        assertEquals(4, requests.get());
        assertTrue(Files.exists(part), "a fresh .part may belong to another running download; it is left alone");
        Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.fromMillis(0));
        Files.delete(cache().resolve(MnistFamily.TRAIN_IMAGES));
        loader(null, null).load(null);
        assertFalse(Files.exists(part), "a stale .part is removed");
    }

    @Test
    void serverErrorsAreNamed() {
        served.remove(MnistFamily.TEST_LABELS);
        String m = assertThrows(DatasetException.class, () -> loader(null, null).load(null)).getMessage();
        assertTrue(m.contains("t10k-labels-idx1-ubyte.gz") && m.contains("HTTP 404"), m);
    }

    @Test
    void lookupOrderIsExplicitThenVariableThenHomeThenSystemThenDownload() throws IOException {
        Path system = family.systemFolder();
        writeSet(system, 5);
        assertEquals(5, loader(null, null).load(null).xTrain().size(0), "the system folder before a download");
        writeSet(cache(), 7);
        assertEquals(7, loader(null, null).load(null).xTrain().size(0), "~/.grad4j/datasets before the system");
        Path variable = tmp.resolve("datasets-root");
        writeSet(variable.resolve("fashion-mnist"), 8);
        assertEquals(8, loader(variable.toString(), null).load(null).xTrain().size(0), "$GRAD4J_DATASETS/<name> first");
        Path explicit = tmp.resolve("mine");
        writeSetUncompressed(explicit, 9);
        assertEquals(9, loader(variable.toString(), null).load(explicit).xTrain().size(0), "an explicit folder wins");
        assertEquals(0, requests.get());
    }

    @Test
    void downloadsGoUnderTheVariableWhenItIsSet() throws IOException {
        Path variable = tmp.resolve("datasets-root");
        assertLooksLikeTheGeneratedSet(loader(variable.toString(), null).load(null));
        assertTrue(Files.isRegularFile(variable.resolve("fashion-mnist").resolve(MnistFamily.TEST_LABELS)));
        assertFalse(Files.exists(home));
    }

    @Test
    void explicitFolderMustHoldAllFourFiles() throws IOException {
        Path explicit = tmp.resolve("partial");
        writeSet(explicit, 3);
        Files.delete(explicit.resolve(MnistFamily.TEST_IMAGES));
        String m = assertThrows(DatasetException.class, () -> loader(null, null).load(explicit)).getMessage();
        assertTrue(m.contains(explicit.toString()) && m.contains("missing: [t10k-images-idx3-ubyte.gz]"), m);
        assertEquals(0, requests.get(), "an explicit folder is never downloaded into");
    }

    @Test
    void imagesAndLabelsMustAgree() throws IOException {
        Path explicit = tmp.resolve("mismatch");
        writeSet(explicit, 3);
        Files.write(explicit.resolve(MnistFamily.TRAIN_LABELS), IdxFiles.gzip(IdxFiles.labels(4, 10)));
        String m = assertThrows(DatasetException.class, () -> loader(null, null).load(explicit)).getMessage();
        assertTrue(m.contains("has shape [3, 28, 28], expected [4, height, width]"), m);
        Files.write(explicit.resolve(MnistFamily.TRAIN_LABELS),
                IdxFiles.gzip(IdxFiles.withHeader(0x08, new int[] {3}, new byte[] {0, 10, 1})));
        String ids = assertThrows(DatasetException.class, () -> loader(null, null).load(explicit)).getMessage();
        assertTrue(ids.contains("class id 10 at index 1; ids must be 0..9"), ids);
    }

    @Test
    void publicOverloadsReadAGivenFolderAsKerasShapesThem() throws IOException {
        Path folder = tmp.resolve("given");
        writeSet(folder, 6);
        TrainTest t = Datasets.mnist(folder);
        assertArrayEquals(new long[] {6, 28, 28}, t.xTrain().shape());
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, t.xTrain().dataType());
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, t.yTrain().dataType());
        assertEquals(255f, t.xTrain().maxNumber().floatValue(), "raw values, not scaled");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.yTrain().toFloatVector());
        assertEquals(10, Datasets.FASHION_MNIST_CLASSES.size());
        assertEquals("Ankle boot", Datasets.FASHION_MNIST_CLASSES.get(9));
        assertEquals(0, requests.get());
    }

    @Test
    void theRealSetWhenDebiansPackageIsInstalled() {
        Path debian = MnistFamily.FASHION_MNIST.systemFolder();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(debian.resolve(MnistFamily.TRAIN_IMAGES)),
                "dataset-fashion-mnist is not installed");
        TrainTest t = Datasets.fashionMnist(debian);
        assertArrayEquals(new long[] {60000, 28, 28}, t.xTrain().shape());
        assertArrayEquals(new long[] {10000}, t.yTest().shape());
        assertEquals(255f, t.xTrain().maxNumber().floatValue());
        assertEquals(9f, t.yTrain().getFloat(0), "the first training image is an ankle boot");
        INDArray counts = t.yTrain();
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, counts.eq(c).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue());
        }
    }

    private static void writeSet(Path folder, int trainCount) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(MnistFamily.TRAIN_IMAGES), IdxFiles.gzip(IdxFiles.ubyte(trainCount, 28, 28)));
        Files.write(folder.resolve(MnistFamily.TRAIN_LABELS), IdxFiles.gzip(IdxFiles.labels(trainCount, 10)));
        Files.write(folder.resolve(MnistFamily.TEST_IMAGES), IdxFiles.gzip(IdxFiles.ubyte(2, 28, 28)));
        Files.write(folder.resolve(MnistFamily.TEST_LABELS), IdxFiles.gzip(IdxFiles.labels(2, 10)));
    }

    private static void writeSetUncompressed(Path folder, int trainCount) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("train-images-idx3-ubyte"), IdxFiles.ubyte(trainCount, 28, 28));
        Files.write(folder.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(trainCount, 10));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), IdxFiles.ubyte(2, 28, 28));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(2, 10));
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
