package org.grad4j.models.saving;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.grad4j.core.MemoryBudget;

/**
 * Reads entries of a model file with their size checked twice: the size the zip declares, before a byte is
 * inflated, and the bytes that really come out, counted while inflating and cut off at the smaller of the
 * declared size and the limit (a declared size is only a claim). Then the CRC the zip records is checked
 * (ZipFile does not), so that damage is reported as damage rather than as whatever a parser made of it.
 */
final class BoundedEntries {
    /**
     * The most a {@code config.json} or {@code metadata.json} may hold. A layer's config takes about 700 bytes
     * as grad4j writes it, so this holds some 5,000 layers (Keras' largest application models take under
     * 1 MB); parsed into maps it costs the heap a few times as much, which stays small.
     */
    static final long JSON_LIMIT = 4L << 20;

    private BoundedEntries() {
    }

    /** How an entry is parsed. */
    @FunctionalInterface
    interface EntryReader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Parses entry {@code name} with {@code reader}, which sees at most {@code limit} bytes.
     *
     * @param limitReason what sets the limit, for the message: {@code a grad4j config}, or {@code the
     *                    model's 4 weights}
     * @throws IllegalArgumentException when the entry is missing, too large, damaged, or the reader refuses it
     */
    static <T> T read(ZipFile zip, String name, long limit, String limitReason, EntryReader<T> reader)
            throws IOException {
        ZipEntry entry = find(zip, name);
        long declared = entry.getSize();
        if (declared > limit) {
            throw new IllegalArgumentException(name + " declares " + MemoryBudget.format(declared) + ", more than the "
                    + MemoryBudget.format(limit) + " " + limitReason + " can take");
        }
        long bound = declared >= 0 ? declared : limit;
        String overrun = declared >= 0
                ? name + " inflates to more than the " + MemoryBudget.format(declared) + " its zip header declares "
                        + "(a damaged or crafted file)"
                : name + " holds more than the " + MemoryBudget.format(limit) + " " + limitReason + " can take";
        try (LimitedInputStream limited = new LimitedInputStream(zip.getInputStream(entry), bound, overrun);
                CheckedInputStream in = new CheckedInputStream(limited, new CRC32())) {
            T value = null;
            IllegalArgumentException problem = null;
            try {
                value = reader.read(in);
            } catch (IllegalArgumentException e) {
                problem = e;
            }
            if (limited.failure() != null) {
                throw limited.failure();   // the size explains whatever the parser made of the bytes
            }
            in.transferTo(OutputStream.nullOutputStream());   // at most up to the bound, so the CRC covers it all
            if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
                throw new IllegalArgumentException(name + " is damaged: its bytes do not match the checksum stored in the zip");
            }
            if (problem != null) {
                throw problem;
            }
            return value;
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(name + " is damaged or cut short (" + e + ")", e);
        }
    }

    private static ZipEntry find(ZipFile zip, String name) {
        ZipEntry entry;
        try {
            entry = zip.getEntry(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the zip's table of entries is damaged (" + e.getMessage() + ")", e);
        }
        if (entry == null) {
            throw new IllegalArgumentException("not a complete grad4j model file: it has no " + name + " (entries: "
                    + entryNames(zip) + ")");
        }
        return entry;
    }

    private static String entryNames(ZipFile zip) {
        try {
            List<String> names = zip.stream().map(ZipEntry::getName).limit(10).toList();   // lazily: a zip may list millions
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IllegalArgumentException e) {
            return "unreadable";
        }
    }
}
