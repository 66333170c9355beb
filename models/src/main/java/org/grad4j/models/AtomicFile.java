package org.grad4j.models;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see the old content or the whole new content, never a mix: the bytes go to
 * a hidden temporary file in the same directory (a move across file systems would not be atomic), which is
 * flushed to disk and then moved over the target. If anything fails the temporary file is deleted and the
 * target is untouched.
 */
final class AtomicFile {
    private AtomicFile() {
    }

    /** What fills the file; may close the stream it is given, and may throw anything, which aborts the write. */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code writer} produces.
     *
     * @param where the caller and the file, for messages
     * @throws UncheckedIOException when the file system fails; the writer's own
     *                              exceptions pass through unchanged
     */
    static void write(Path target, String where, Writer writer) {
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(where + ": " + target + " is a directory; give a file name such as "
                    + "model.g4j");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(where + ": the directory " + dir + " does not exist");
        }
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.writeTo(new Unclosable(out));
                out.flush();
                channel.force(true);   // the rename must not reach the disk before the data does
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": cannot write the file: " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }
}
