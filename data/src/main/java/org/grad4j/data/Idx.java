package org.grad4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type byte, the number of
 * dimensions, each dimension as a big-endian 32-bit unsigned integer, then the values in row-major order.
 * A file may be gzip-compressed or plain; the first two bytes decide, not the file name.
 *
 * <p>An IDX file comes from outside, so the header is checked before anything is allocated: the product of
 * the dimensions must fit {@link #MAX_VALUES}, a plain file must be exactly as long as its header says, and a
 * gzip file must hold exactly that many bytes once inflated, no more and no less. The buffer grows only as
 * bytes actually arrive, so a small file claiming gigabytes costs nothing before it is refused.
 */
public final class Idx {

    /** The most values one file may hold: the largest Java array. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /** Deflate cannot expand data by more than about 1032:1, so larger claims are truncated files. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int FIRST_CHUNK = 1 << 20;

    /** The values of one IDX file of unsigned bytes, with its shape. */
    public record Contents(Path file, long[] shape, byte[] values) {
        /** The values as a float32 array of {@link #shape()}, each 0..255. */
        public INDArray toFloatArray() {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = values[i] & 0xFF;
            }
            return Nd4j.create(floats, shape.clone(), DataType.FLOAT);
        }

        /** The value at a flat index, 0..255. */
        public int unsignedAt(int index) {
            return values[index] & 0xFF;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Contents c && file.equals(c.file) && Arrays.equals(shape, c.shape)
                    && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * file.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Idx.Contents[" + file + ", shape " + Arrays.toString(shape) + "]";
        }
    }

    private Idx() {
    }

    /** Reads an IDX file of unsigned bytes into a float32 array with values 0..255. */
    public static INDArray readFloat(Path file) {
        return read(file).toFloatArray();
    }

    /**
     * Reads an IDX file of unsigned bytes (type 0x08), gzip-compressed or plain.
     *
     * @throws DatasetException naming the file when it is missing, malformed, truncated or too long
     */
    public static Contents read(Path file) {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException("IDX file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + ": " + e.getMessage(), e);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(file, in, gzip, fileSize);
        } catch (ZipException e) {
            throw new DatasetException("IDX file " + file + " is not a valid gzip file: " + e.getMessage());
        } catch (EOFException e) {
            throw new DatasetException("IDX file " + file + " is truncated: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Contents read(Path file, InputStream in, boolean gzip, long fileSize) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new DatasetException("IDX file " + file + " is truncated: " + got
                    + " bytes, shorter than the 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DatasetException(String.format(
                    "IDX file %s: bad magic number 0x%02X%02X%02X%02X; an IDX file starts with two zero bytes,"
                            + " a type byte and the number of dimensions (MNIST images: 0x00000803)",
                    file, magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        if (type != 0x08) {
            String name = switch (type) {
                case 0x09 -> "signed byte";
                case 0x0B -> "int16";
                case 0x0C -> "int32";
                case 0x0D -> "float32";
                case 0x0E -> "float64";
                default -> null;
            };
            throw new DatasetException(String.format("IDX file %s: %s (0x%02X); only unsigned byte (0x08) is"
                    + " supported, the type of MNIST and Fashion-MNIST", file,
                    name == null ? "unknown value type" : "value type " + name, type));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new DatasetException("IDX file " + file + ": the header declares 0 dimensions");
        }
        long headerBytes = 4 + 4L * rank;
        long[] shape = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int dim;
            try {
                dim = data.readInt();
            } catch (EOFException e) {
                throw new DatasetException("IDX file " + file + " is truncated inside its header: it declares "
                        + rank + " dimensions (" + headerBytes + " header bytes)");
            }
            shape[i] = Integer.toUnsignedLong(dim);
            if (shape[i] != 0 && count > MAX_VALUES / shape[i]) {
                throw new DatasetException("IDX file " + file + ": the header's dimensions "
                        + describe(shape, i + 1) + " hold more than " + MAX_VALUES
                        + " values, more than one file may hold");
            }
            count *= shape[i];
        }
        String where = "IDX file " + file + " (" + (gzip ? "gzip, " : "") + "shape " + Arrays.toString(shape) + ")";
        if (!gzip && fileSize != headerBytes + count) {
            throw new DatasetException(where + ": expected " + (headerBytes + count) + " bytes ("
                    + headerBytes + " header + " + count + " values), the file has " + fileSize
                    + (fileSize < headerBytes + count ? " (truncated)" : " (extra bytes after the data)"));
        }
        if (gzip && headerBytes + count > fileSize * MAX_DEFLATE_RATIO) {
            throw new DatasetException(where + ": expected " + (headerBytes + count) + " bytes once inflated, which "
                    + fileSize + " compressed bytes cannot hold (truncated or corrupt)");
        }
        byte[] values = readExactly(in, (int) count, where);
        if (in.read() != -1) {
            throw new DatasetException(where + ": expected " + (headerBytes + count) + " bytes"
                    + (gzip ? " once inflated" : "") + ", the file has more (extra bytes after the data)");
        }
        return new Contents(file, shape, values);
    }

    /** Reads exactly {@code count} bytes, growing the buffer only as data arrives. */
    private static byte[] readExactly(InputStream in, int count, String where) throws IOException {
        byte[] buffer = new byte[Math.min(count, FIRST_CHUNK)];
        int filled = 0;
        while (filled < count) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(count, 2L * buffer.length));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new DatasetException(where + ": expected " + count + " values after the header, the data"
                        + " ends after " + filled + " (truncated)");
            }
            filled += n;
        }
        return buffer;
    }

    private static String describe(long[] shape, int known) {
        return Arrays.toString(Arrays.copyOf(shape, known)) + (known < shape.length ? "..." : "");
    }
}
