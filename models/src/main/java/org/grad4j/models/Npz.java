package org.grad4j.models;

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
     * Reads every array in file order; each entry's CRC is checked as the stream is read to its end.
     *
     * @param where names the archive for messages, e.g. {@code m.g4j!weights.npz}
     * @throws IllegalArgumentException when it is not a zip of well-formed {@code .npy} entries
     */
    static List<Entry> read(InputStream in, String where) throws IOException {
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
                out.add(new Entry(name, Npy.read(zip, where + "!" + file)));
            }
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(where + ": not a readable .npz (zip) archive: " + e.getMessage(), e);
        }
        return out;
    }
}
