package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The .npy writer and reader behind weights.npz: NumPy's exact header layout, every type, damaged input. */
class G4jFormatNpyTest {

    static byte[] npy(INDArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(array, out);
        return out.toByteArray();
    }

    static INDArray read(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy");
    }

    /** The bytes of {@code header} as NumPy 1.0 frames it, followed by {@code data}. */
    static byte[] frame(String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text).put(data);
        return b.array();
    }

    @Test
    void headerIsNumpysVersion1LayoutAlignedTo64Bytes() throws IOException {
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        byte[] bytes = npy(a);

        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.stripTrailing());
        assertTrue(header.endsWith("\n"));
        assertEquals(0, (10 + headerLength) % 64);
        assertEquals(10 + headerLength + 6 * 4, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 6; i++) {
            assertEquals(i, data.getFloat());
        }
    }

    @Test
    void shapesUsePythonTupleSyntax() {
        assertTrue(new String(Npy.header("<i8", new long[0]), StandardCharsets.US_ASCII).contains("'shape': (), }"));
        assertTrue(new String(Npy.header("<f4", new long[] {5}), StandardCharsets.US_ASCII).contains("'shape': (5,), }"));
        assertTrue(new String(Npy.header("<f8", new long[] {2, 3, 4}), StandardCharsets.US_ASCII)
                .contains("'shape': (2, 3, 4), }"));
    }

    @Test
    void everySupportedTypeRoundTripsBitForBit() throws IOException {
        INDArray base = Nd4j.createFromArray(new double[][] {{-1.5, 0, 2.25}, {3, 127, 1e-3}});
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF, DataType.LONG, DataType.INT,
                DataType.SHORT, DataType.BYTE, DataType.UBYTE, DataType.BOOL)) {
            INDArray a = base.castTo(type);
            INDArray back = read(npy(a));
            assertEquals(type, back.dataType(), type.toString());
            assertArrayEquals(a.shape(), back.shape(), type.toString());
            assertArrayEquals(a.data().asBytes(), back.data().asBytes(), type.toString());
        }
    }

    @Test
    void scalarsVectorsAndViewsKeepShapeAndValues() throws IOException {
        INDArray counter = Nd4j.scalar(12345678901L);
        INDArray back = read(npy(counter));
        assertEquals(0, back.rank());
        assertEquals(DataType.LONG, back.dataType());
        assertEquals(12345678901L, back.getLong(0));

        INDArray vector = Nd4j.createFromArray(1f, 2f, 3f);
        assertArrayEquals(new long[] {3}, read(npy(vector)).shape());

        // a transposed view is stored in C order of its logical layout
        INDArray m = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray t = m.transpose();
        INDArray tBack = read(npy(t));
        assertArrayEquals(new long[] {3, 2}, tBack.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tBack.data().asFloat());
        INDArray row = m.getRow(1);
        assertArrayEquals(new float[] {4, 5, 6}, read(npy(row)).data().asFloat());
    }

    @Test
    void readsFortranOrderAndBigEndianAsNumpyWritesThem() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(6 * 4).order(ByteOrder.BIG_ENDIAN);
        for (int v : new int[] {1, 4, 2, 5, 3, 6}) {   // column-major [[1, 2, 3], [4, 5, 6]]
            data.putInt(v);
        }
        INDArray a = read(frame("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }\n", data.array()));
        assertEquals(DataType.INT, a.dataType());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals(2, a.getInt(0, 1));
        assertEquals(4, a.getInt(1, 0));
        assertEquals(6, a.getInt(1, 2));
    }

    @Test
    void agreesWithNd4jsOwnNpyCodec() throws IOException {
        INDArray a = Nd4j.createFromArray(new float[][] {{0.5f, -2f}, {3.25f, 7f}});
        // ND4J reads what we write ...
        INDArray viaNd4j = Nd4j.createNpyFromByteArray(npy(a));
        assertArrayEquals(a.shape(), viaNd4j.shape());
        assertArrayEquals(a.data().asFloat(), viaNd4j.data().asFloat());
        // ... and we read what ND4J writes
        INDArray back = read(Nd4j.toNpyByteArray(a));
        assertArrayEquals(a.shape(), back.shape());
        assertArrayEquals(a.data().asFloat(), back.data().asFloat());
    }

    @Test
    void damagedBytesAreRejectedWithTheEntryAndTheProblem() throws IOException {
        byte[] good = npy(Nd4j.createFromArray(new float[] {1, 2, 3}));
        int dataStart = good.length - 12;

        assertProblem(Arrays.copyOf("hello, world".getBytes(StandardCharsets.US_ASCII), 12), "does not start with");
        assertProblem(Arrays.copyOf(good, 9), "header is cut short");
        assertProblem(Arrays.copyOf(good, 30), "header is cut short");
        assertProblem(Arrays.copyOf(good, dataStart + 5), "only 5 are there");
        assertProblem(Arrays.copyOf(good, good.length + 4), "more data");

        byte[] version = good.clone();
        version[6] = 9;
        assertProblem(version, "version 9");
        assertProblem(frame("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]), "'<c8'");
        assertProblem(frame("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", new byte[4]), "negative");
        assertProblem(frame("{'descr': '<f4', 'fortran_order': False, 'shape': (a, b), }\n", new byte[4]), "not a tuple");
        assertProblem(frame("{'fortran_order': False, 'shape': (1,), }\n", new byte[4]), "'descr'");
        assertProblem(frame("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }\n", new byte[4]),
                "too large");
        byte[] hugeHeader = good.clone();
        hugeHeader[8] = (byte) 0xff;
        hugeHeader[9] = (byte) 0xff;
        hugeHeader[7] = 0;
        hugeHeader[6] = 2;   // version 2: a 4-byte length, here 0x????ffff
        assertThrows(IllegalArgumentException.class, () -> read(hugeHeader));
    }

    private static void assertProblem(byte[] bytes, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bytes));
        assertTrue(e.getMessage().startsWith("test.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void typesNumpyLacksAreRefusedOnWrite() {
        INDArray bf16 = Nd4j.createFromArray(1f, 2f).castTo(DataType.BFLOAT16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> npy(bf16));
        assertTrue(e.getMessage().contains("BFLOAT16") && e.getMessage().contains("supported: float32"), e.getMessage());
    }
}
