package org.grad4j.models.saving;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see the old content or the whole new content, never a mix: the bytes go to
 * a hidden temporary file in the same directory (a move across file systems would not be atomic), which is
 * flushed to disk and then moved over the target. If anything fails the temporary file is deleted and the
 * target is untouched; a save killed before it could delete its temporary file leaves it for the next save to
 * the same target to remove ({@link StaleTempFiles}).
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
        StaleTempFiles.remove(file);   // before writing: a killed save's leftovers may be what fills the disk
        Path temp = StaleTempFiles.create(file);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                StaleTempFiles.lock(channel);   // released with the channel, or by the OS if this process dies
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
            // the user knows the target, not our temporary name: say which file could not be written
            throw new UncheckedIOException(where + ": cannot write " + file + ": " + reason(e, temp, file), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
            StaleTempFiles.done(temp);
        }
    }

    /** What went wrong, with the temporary file's name replaced by the target's. */
    private static String reason(IOException e, Path temp, Path target) {
        String text = e instanceof FileSystemException fs && fs.getReason() != null
                ? e.getClass().getSimpleName() + " (" + fs.getReason() + ")"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.replace(temp.toString(), target.toString())
                .replace(temp.getFileName().toString(), target.getFileName().toString());
    }
}
