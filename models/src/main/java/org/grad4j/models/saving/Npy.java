package org.grad4j.models.saving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (version 1.0 when writing; 1.0 to 3.0 when reading), written in Java rather
 * than through ND4J's native {@code createNpyFromByteArray}: a file on disk may be truncated or hostile,
 * and every byte of its header must be checked before anything is allocated, which a native parser
 * does not promise.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, the version, the header length, then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (9, 64), }} padded with spaces and ending in a
 * newline so that the data starts on a 64-byte boundary, then the values in C order, little-endian.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /**
     * NumPy's own limit ({@code numpy.lib.format}'s {@code max_header_size}): NumPy does not read a longer
     * header either, and a limit keeps an {@code .npz}'s size predictable from its arrays alone.
     */
    static final int MAX_HEADER = 10_000;
    /** Data is copied into the array this many bytes at a time: a multiple of every item width. */
    private static final int CHUNK = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The types grad4j reads and writes: ND4J's type, NumPy's type string (little-endian) and NumPy's name. */
    private enum Type {
        FLOAT32(DataType.FLOAT, "<f4"), FLOAT64(DataType.DOUBLE, "<f8"), FLOAT16(DataType.HALF, "<f2"),
        INT64(DataType.LONG, "<i8"), INT32(DataType.INT, "<i4"), INT16(DataType.SHORT, "<i2"),
        INT8(DataType.BYTE, "|i1"), UINT8(DataType.UBYTE, "|u1"), BOOL(DataType.BOOL, "|b1");

        final DataType dataType;
        final String descr;

        Type(DataType dataType, String descr) {
            this.dataType = dataType;
            this.descr = descr;
        }

        static Type of(DataType dataType) {
            for (Type t : values()) {
                if (t.dataType == dataType) {
                    return t;
                }
            }
            throw new IllegalArgumentException("a " + dataType + " array cannot be written as .npy: NumPy has no such "
                    + "type (supported: " + known() + ")");
        }

        /** By NumPy's type string in any byte order: {@code <f4}, {@code >f4} and {@code =f4} are all float32. */
        static Type of(String descr, String where) {
            for (Type t : values()) {
                if (descr.length() == 3 && "<>|=".indexOf(descr.charAt(0)) >= 0 && descr.endsWith(t.descr.substring(1))) {
                    return t;
                }
            }
            throw new IllegalArgumentException(where + ": unsupported NumPy type '" + descr + "' (supported: " + known() + ")");
        }

        private static String known() {
            return String.join(", ", Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** NumPy's name of {@code type} ({@code float32}, {@code int64}, ...) or, for a type NumPy lacks, ND4J's. */
    static String typeName(DataType type) {
        return Arrays.stream(Type.values()).filter(t -> t.dataType == type).findFirst().map(Enum::name)
                .orElse(type.name()).toLowerCase(Locale.ROOT);
    }

    /** Writes {@code array} as a version 1.0 {@code .npy}: header, then the values in C order, little-endian. */
    static void write(INDArray array, OutputStream out) throws IOException {
        String descr = Type.of(array.dataType()).descr;
        out.write(header(descr, array.shape()));
        if (array.length() == 0) {
            return;
        }
        INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
        ByteBuffer bytes = c.data().asNio().duplicate().order(ByteOrder.nativeOrder());
        int itemSize = c.dataType().width();
        long offset = c.offset() * itemSize;
        long length = c.length() * itemSize;
        bytes.position(Math.toIntExact(offset)).limit(Math.toIntExact(offset + length));
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || itemSize == 1) {
            writeAll(bytes, out);
        } else {
            writeAll(swapped(bytes, itemSize), out);
        }
    }

    /** The padded header for {@code descr} and {@code shape}. */
    static byte[] header(String descr, long[] shape) {
        // Python's tuple syntax: (), (3,), (3, 4)
        String tuple = shape.length == 1 ? shape[0] + ","
                : String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        out.put(text.getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }

    /** What a {@code .npy} header says: the type, shape and layout of the data after it, and its own length. */
    record Header(DataType type, String descr, long[] shape, boolean fortran, ByteOrder order, long length) {
        /** The bytes of data the header announces; {@link Long#MAX_VALUE} if that overflows. */
        long dataBytes() {
            return Shapes.byteCount(shape, type);
        }

        String describe() {
            return Shapes.format(shape) + " " + typeName(type);
        }
    }

    /**
     * Reads one {@code .npy} from {@code in}, which must hold exactly the header and the values.
     *
     * @param where names the entry for messages, e.g. {@code weights.npz!dense/kernel:0.npy}
     * @throws IllegalArgumentException when the bytes are not a well-formed {@code .npy} of a supported type
     */
    static INDArray read(InputStream in, String where) throws IOException {
        return readData(in, readHeader(in, where), where);
    }

    /** Reads and checks the header alone, so that a caller can compare shape and type before any data is read. */
    static Header readHeader(InputStream in, String where) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length + 2);
        if (magic.length < MAGIC.length + 2 || !Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(where + ": not a .npy array (it does not start with \\x93NUMPY)");
        }
        int major = magic[MAGIC.length];
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw new IllegalArgumentException(where + ": unsupported .npy version " + major + "."
                    + magic[MAGIC.length + 1] + " (supported: 1.0 to 3.0)");
        };
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw new IllegalArgumentException(where + ": the .npy header is cut short");
        }
        ByteBuffer lenBuffer = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lengthBytes == 2 ? Short.toUnsignedInt(lenBuffer.getShort())
                : Integer.toUnsignedLong(lenBuffer.getInt());
        if (headerLength > MAX_HEADER) {
            throw new IllegalArgumentException(where + ": the .npy header claims " + headerLength + " bytes (at most "
                    + MAX_HEADER + " expected)");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IllegalArgumentException(where + ": the .npy header is cut short (" + headerBytes.length + " of "
                    + headerLength + " bytes)");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr", where);
        boolean fortran = group(FORTRAN, header, "fortran_order", where).equals("True");
        long[] shape = shape(group(SHAPE, header, "shape", where), where);
        DataType type = Type.of(descr, where).dataType;
        ByteOrder order = switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN;
        };
        return new Header(type, descr, shape, fortran, order, MAGIC.length + 2 + lengthBytes + headerLength);
    }

    /**
     * Reads the data {@code header} announces straight into a new array, a chunk at a time (no copy of it
     * on the Java heap), and checks that exactly that many bytes follow: a short or an over-long array is
     * an error, and an over-long one is noticed after one byte too many, not at its end.
     */
    static INDArray readData(InputStream in, Header header, String where) throws IOException {
        long[] shape = header.shape();
        long byteCount = header.dataBytes();
        if (byteCount > Integer.MAX_VALUE - 8) {   // ND4J's nio view of a buffer is int-indexed
            throw new IllegalArgumentException(where + ": shape " + Shapes.format(shape) + " is too large to read");
        }
        MemoryBudget.reserve(where, "the array", shape, header.type());
        INDArray out = Nd4j.create(header.type(), shape, header.fortran() ? 'f' : 'c');
        if (byteCount > 0) {
            ByteBuffer target = out.data().asNio().order(ByteOrder.nativeOrder());
            int width = header.type().width();
            boolean swap = header.order() != ByteOrder.nativeOrder() && width > 1;
            byte[] chunk = new byte[(int) Math.min(byteCount, CHUNK)];   // CHUNK is a multiple of every width
            long done = 0;
            while (done < byteCount) {
                int wanted = (int) Math.min(chunk.length, byteCount - done);
                int n = in.readNBytes(chunk, 0, wanted);
                if (swap) {
                    reverseItems(chunk, n, width);
                }
                target.put(chunk, 0, n);
                done += n;
                if (n < wanted) {
                    throw new IllegalArgumentException(where + ": shape " + Shapes.format(shape) + " of " + header.descr()
                            + " needs " + byteCount + " data bytes but only " + done + " are there (truncated?)");
                }
            }
        }
        if (in.read() != -1) {
            throw new IllegalArgumentException(where + ": more data than shape " + Shapes.format(shape) + " of "
                    + header.descr() + " needs (" + byteCount + " bytes)");
        }
        if (!header.fortran()) {
            return out;
        }
        INDArray c = out.dup('c');   // takes over the reservation of the Fortran-ordered copy it replaces
        out.close();
        return c;
    }

    /** Reverses the bytes of each {@code width}-byte item in the first {@code n} bytes of {@code bytes}. */
    private static void reverseItems(byte[] bytes, int n, int width) {
        for (int start = 0; start + width <= n; start += width) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte t = bytes[start + i];
                bytes[start + i] = bytes[start + j];
                bytes[start + j] = t;
            }
        }
    }

    private static String group(Pattern pattern, String header, String key, String where) {
        Matcher m = pattern.matcher(header);
        if (!header.startsWith("{") || !m.find()) {
            throw new IllegalArgumentException(where + ": the .npy header has no valid '" + key + "' entry: "
                    + header.strip());
        }
        return m.group(1);
    }

    private static long[] shape(String tuple, String where) {
        String[] parts = tuple.split(",");
        int n = parts.length;
        if (n > 0 && parts[n - 1].isBlank()) {
            n--;   // "(3,)" and "()"
        }
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].strip().replaceFirst("L$", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": the .npy shape (" + tuple + ") is not a tuple of integers");
            }
            if (shape[i] < 0) {
                throw new IllegalArgumentException(where + ": the .npy shape (" + tuple + ") has a negative dimension");
            }
        }
        return shape;
    }

    private static ByteBuffer swapped(ByteBuffer bytes, int itemSize) {
        ByteBuffer out = ByteBuffer.allocate(bytes.remaining());
        byte[] item = new byte[itemSize];
        while (bytes.hasRemaining()) {
            bytes.get(item);
            for (int i = itemSize - 1; i >= 0; i--) {
                out.put(item[i]);
            }
        }
        return out.flip();
    }

    private static void writeAll(ByteBuffer bytes, OutputStream out) throws IOException {
        byte[] chunk = new byte[Math.min(bytes.remaining(), 1 << 16)];
        while (bytes.hasRemaining()) {
            int n = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }
}
