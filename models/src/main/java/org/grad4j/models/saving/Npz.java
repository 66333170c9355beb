package org.grad4j.models.saving;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's {@code .npz}: a zip with one {@code <name>.npy} per array, stored uncompressed as
 * {@code np.savez} does, so {@code np.load(path)["dense/kernel:0"]} reads a weight back. The order of the
 * entries is the order of the arrays, which is how grad4j matches them to a model's variables.
 */
final class Npz {
    private static final String SUFFIX = ".npy";
    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final byte[] EMPTY_ARCHIVE = {'P', 'K', 5, 6};
    /**
     * What one array may add to an archive beside its data: a {@code .npy} header of at most
     * {@link Npy#MAX_HEADER} bytes, and the zip's local and central headers with the name twice and their
     * extra fields (zip64 sizes, timestamps), a few hundred bytes for any real name.
     */
    static final long ARRAY_OVERHEAD = 16 * 1024;
    /** The end of the archive: end records (zip64 too) and a comment of at most 64 KiB. */
    static final long ARCHIVE_OVERHEAD = 128 * 1024;

    private Npz() {
    }

    /** One array with its name (without {@code .npy}). */
    record Entry(String name, INDArray array) {
    }

    /**
     * Writes {@code entries} in order; {@code out} stays open (it may be an entry of an outer zip).
     *
     * @param where the caller and file, for messages
     * @throws IllegalArgumentException for an array NumPy has no type for, naming it
     */
    static void write(List<Entry> entries, OutputStream out, String where) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(new Unclosable(out))) {
            for (Entry e : entries) {
                if (!names.add(e.name())) {
                    throw new IllegalArgumentException(where + ": two arrays are named \"" + e.name() + "\"; names in an "
                            + ".npz must be unique");
                }
                put(zip, e, where);
            }
        }
    }

    /** STORED, as np.savez writes: the size and CRC go before the data, so one array is serialised at a time. */
    private static void put(ZipOutputStream zip, Entry e, String where) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Npy.write(e.array(), bytes);
        } catch (IllegalArgumentException problem) {
            throw new IllegalArgumentException(where + ": " + e.name() + ": " + problem.getMessage(), problem);
        }
        byte[] data = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry entry = new ZipEntry(e.name() + SUFFIX);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * What an archive's arrays must be, checked from each array's header before its data is read, so that a
     * file cannot make the reader allocate (or inflate) an array nobody asked for.
     */
    interface Expectation {
        /**
         * Checks the {@code index}-th array (from 0), with its name without {@code .npy}.
         *
         * @throws IllegalArgumentException naming the array when it is not the one expected
         */
        void check(int index, String name, long[] shape, DataType type);

        /** Checks the number of arrays once every one has been read. */
        void checkCount(List<Entry> read);
    }

    /** Accepts any arrays: for reading an archive on its own, as NumPy would (each still within the memory budget). */
    static final Expectation ANY = new Expectation() {
        @Override
        public void check(int index, String name, long[] shape, DataType type) {
        }

        @Override
        public void checkCount(List<Entry> read) {
        }
    };

    /**
     * The most bytes an archive of arrays like {@code variables} can take: each array's data (at 8 bytes an
     * element for a floating variable, since a float64 file may be read into a float32 model) plus
     * {@link #ARRAY_OVERHEAD}, plus {@link #ARCHIVE_OVERHEAD}. Saturates instead of overflowing.
     */
    static long sizeLimit(List<? extends Variable> variables) {
        long total = ARCHIVE_OVERHEAD;
        for (Variable v : variables) {
            DataType widest = v.dataType().isFPType() ? DataType.DOUBLE : v.dataType();
            long bytes = Shapes.byteCount(v.shape(), widest);
            total = bytes > Long.MAX_VALUE - total - ARRAY_OVERHEAD ? Long.MAX_VALUE : total + bytes + ARRAY_OVERHEAD;
        }
        return total;
    }

    /** Reads every array in file order, accepting any ({@link #ANY}). */
    static List<Entry> read(InputStream in, String where) throws IOException {
        return read(in, where, ANY);
    }

    /**
     * Reads every array in file order; each entry's CRC is checked as the stream is read to its end. Each
     * array's header is checked against {@code expected}, and the size its zip entry declares against the
     * header, before its data is read; the data must then be exactly what the header announces.
     *
     * @param where names the archive for messages, e.g. {@code weights.npz}
     * @throws IllegalArgumentException when it is not a zip of well-formed {@code .npy} entries, or an array is
     *                                  not what {@code expected} wants
     */
    static List<Entry> read(InputStream in, String where, Expectation expected) throws IOException {
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // ZipInputStream reads bytes that are not a zip as an empty archive: check the signature first
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(4);
        byte[] signature = buffered.readNBytes(4);
        buffered.reset();
        if (!Arrays.equals(signature, LOCAL_HEADER) && !Arrays.equals(signature, EMPTY_ARCHIVE)) {
            throw new IllegalArgumentException(where + ": not an .npz archive (it does not start with a zip signature)");
        }
        ZipInputStream zip = new ZipInputStream(buffered);
        try {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String file = entry.getName();
                if (!file.endsWith(SUFFIX)) {
                    throw new IllegalArgumentException(where + ": entry \"" + file + "\" is not a .npy array");
                }
                String name = file.substring(0, file.length() - SUFFIX.length());
                if (!names.add(name)) {
                    throw new IllegalArgumentException(where + ": the array \"" + name + "\" appears twice");
                }
                Npy.Header header = Npy.readHeader(zip, where + "!" + file);
                expected.check(out.size(), name, header.shape(), header.type());
                checkDeclaredSize(entry, header, where, name);
                out.add(new Entry(name, Npy.readData(zip, header, where + "!" + file)));
            }
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(where + ": not a readable .npz (zip) archive: " + e.getMessage(), e);
        }
        expected.checkCount(out);
        return out;
    }

    /** A size in the entry's zip header (when it has one) must be the header's length plus the data it announces. */
    private static void checkDeclaredSize(ZipEntry entry, Npy.Header header, String where, String name) {
        long declared = entry.getSize();
        long data = header.dataBytes();
        if (declared >= 0 && (declared < header.length() || declared - header.length() != data)) {
            throw new IllegalArgumentException(where + " entry \"" + name + "\" declares " + MemoryBudget.format(declared)
                    + " in its zip header, but its .npy header (" + header.describe() + ") makes it "
                    + (data == Long.MAX_VALUE ? "larger than any file" : MemoryBudget.format(header.length() + data)));
        }
    }
}
