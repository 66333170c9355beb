package org.grad4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Small generated IDX files for the tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An IDX file of unsigned bytes (type 0x08) with the given dims, value i at flat index i (mod 256). */
    static byte[] ubyte(int... dims) {
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        byte[] values = new byte[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i * 7 + 3);
        }
        return withHeader(0x08, dims, values);
    }

    static byte[] withHeader(int type, int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(values);
        return b.array();
    }

    /** Labels 0..classes-1 in turn, as an IDX [n] file. */
    static byte[] labels(int n, int classes) {
        byte[] values = new byte[n];
        for (int i = 0; i < n; i++) {
            values[i] = (byte) (i % classes);
        }
        return withHeader(0x08, new int[] {n}, values);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
