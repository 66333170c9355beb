package org.grad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private String refused(Path file) {
        return assertThrows(DatasetException.class, () -> Idx.read(file)).getMessage();
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        byte[] idx = IdxFiles.ubyte(3, 4, 5);
        Idx.Contents plain = Idx.read(write("a-idx3-ubyte", idx));
        Idx.Contents gz = Idx.read(write("a-idx3-ubyte.gz", IdxFiles.gzip(idx)));
        assertArrayEquals(new long[] {3, 4, 5}, plain.shape());
        assertArrayEquals(plain.values(), gz.values());
        assertArrayEquals(Arrays.copyOfRange(idx, 16, idx.length), plain.values());

        INDArray x = Idx.readFloat(dir.resolve("a-idx3-ubyte.gz"));
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {3, 4, 5}, x.shape());
        assertEquals(3f, x.getFloat(0, 0, 0));
        assertEquals((59 * 7 + 3) & 0xFF, x.getFloat(2, 3, 4), 0f);   // unsigned: values above 127 stay positive
        assertTrue(x.maxNumber().floatValue() > 127);
    }

    @Test
    void compressionIsDetectedByContentNotName() throws IOException {
        Path gzNamedPlain = write("plain.gz", IdxFiles.ubyte(2, 2));
        assertArrayEquals(new long[] {2, 2}, Idx.read(gzNamedPlain).shape());
    }

    @Test
    void truncatedPlainFileNamesExpectedAndActualSizes() throws IOException {
        byte[] idx = IdxFiles.ubyte(10, 28, 28);
        Path file = write("short-idx3-ubyte", Arrays.copyOf(idx, idx.length - 100));
        String m = refused(file);
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains("expected 7856 bytes") && m.contains("has 7756") && m.contains("truncated"), m);
        assertTrue(m.contains("[10, 28, 28]"), m);
    }

    @Test
    void truncatedGzipFileIsRefused() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.ubyte(10, 28, 28));
        String cut = refused(write("cut.gz", Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(cut.contains("cut.gz") && cut.contains("truncated"), cut);
        // a complete gzip stream whose payload is shorter than the header says
        byte[] idx = IdxFiles.ubyte(10, 28, 28);
        String shortPayload = refused(write("short.gz", IdxFiles.gzip(Arrays.copyOf(idx, idx.length - 1))));
        assertTrue(shortPayload.contains("expected 7840 values") && shortPayload.contains("ends after 7839"), shortPayload);
    }

    @Test
    void overLongFilesAreRefusedPlainAndGzip() throws IOException {
        byte[] idx = IdxFiles.ubyte(4, 4);
        byte[] longer = Arrays.copyOf(idx, idx.length + 3);
        String plain = refused(write("long-idx", longer));
        assertTrue(plain.contains("expected 28 bytes") && plain.contains("has 31") && plain.contains("extra"), plain);
        String gz = refused(write("long.gz", IdxFiles.gzip(longer)));
        assertTrue(gz.contains("long.gz") && gz.contains("expected 28 bytes once inflated") && gz.contains("more"), gz);
    }

    @Test
    void badMagicAndUnsupportedTypesAreNamed() throws IOException {
        byte[] idx = IdxFiles.ubyte(2, 2);
        idx[0] = 0x12;
        String magic = refused(write("magic", idx));
        assertTrue(magic.contains("bad magic number 0x12000802"), magic);
        String text = refused(write("text.gz", IdxFiles.gzip("hello, this is not IDX".getBytes())));
        assertTrue(text.contains("bad magic number"), text);
        String floats = refused(write("floats", IdxFiles.withHeader(0x0D, new int[] {1}, new byte[4])));
        assertTrue(floats.contains("float32 (0x0D)") && floats.contains("only unsigned byte (0x08)"), floats);
        String unknown = refused(write("unknown", IdxFiles.withHeader(0x42, new int[] {1}, new byte[1])));
        assertTrue(unknown.contains("unknown value type (0x42)"), unknown);
        String empty = refused(write("empty", new byte[0]));
        assertTrue(empty.contains("truncated") && empty.contains("magic"), empty);
        String header = refused(write("header", Arrays.copyOf(IdxFiles.ubyte(2, 2, 2), 9)));
        assertTrue(header.contains("inside its header") && header.contains("3 dimensions"), header);
    }

    @Test
    void dimensionsThatOverflowAreRefusedBeforeAnyAllocation() throws IOException {
        // 65536^3 overflows int and exceeds any array; 0xFFFFFFFF is read unsigned, not as -1
        String huge = refused(write("huge", IdxFiles.withHeader(0x08, new int[] {65536, 65536, 65536}, new byte[8])));
        assertTrue(huge.contains("[65536, 65536]...") && huge.contains("more than " + Idx.MAX_VALUES), huge);
        String unsigned = refused(write("unsigned", IdxFiles.withHeader(0x08, new int[] {-1}, new byte[8])));
        assertTrue(unsigned.contains("[4294967295]"), unsigned);
        // a plausible count in a tiny file: the size check refuses it without allocating 1.5 GB
        long before = usedHeap();
        String lying = refused(write("lying", IdxFiles.withHeader(0x08, new int[] {2_000_000, 28, 28}, new byte[100])));
        assertTrue(lying.contains("expected 1568000016 bytes") && lying.contains("has 116"), lying);
        String lyingGz = refused(write("lying.gz",
                IdxFiles.gzip(IdxFiles.withHeader(0x08, new int[] {2_000_000, 28, 28}, new byte[100]))));
        assertTrue(lyingGz.contains("cannot hold"), lyingGz);
        assertTrue(usedHeap() - before < 200_000_000L, "no large buffer was allocated");
    }

    @Test
    void missingFileIsNamed() {
        String m = refused(dir.resolve("nope.gz"));
        assertTrue(m.contains("nope.gz") && m.contains("does not exist"), m);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
