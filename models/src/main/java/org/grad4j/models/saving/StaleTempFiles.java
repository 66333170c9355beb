package org.grad4j.models.saving;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The temporary files {@link AtomicFile} writes next to a target, {@code .<name>.<16 hex digits>.tmp}, and
 * the removal of those a save left behind when its process was killed (a model's weights each time: 7 killed
 * checkpoints once left 610 MB). A save in progress holds an exclusive lock on its temporary file, which the
 * operating system drops when the process dies, so a file that can be locked is stale; one written by this
 * JVM is known without asking, since locks are per process.
 */
final class StaleTempFiles {
    /** Temporary files this JVM is writing now. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    private StaleTempFiles() {
    }

    /** A new temporary name for {@code target}, registered as in progress until {@link #done}. */
    static Path create(Path target) {
        Path temp = target.resolveSibling(String.format("." + target.getFileName() + ".%016x.tmp",
                ThreadLocalRandom.current().nextLong()));
        IN_PROGRESS.add(temp);
        return temp;
    }

    static void done(Path temp) {
        IN_PROGRESS.remove(temp);
    }

    /**
     * Keeps other processes' cleanups off a temporary file while it is written; false when the file system
     * has no locks, and then a cleanup cannot lock it either, so it is left alone all the same.
     */
    static boolean lock(FileChannel channel) {
        try {
            return channel.tryLock() != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the stale temporary files of {@code target}: exactly {@code .<name>.<1 to 16 lowercase hex>.tmp}
     * (earlier versions wrote fewer than 16 digits), regular files only, not locked by a live save. Nothing
     * that goes wrong here stops the save that asked.
     */
    static void remove(Path target) {
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        Pattern pattern = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]{1,16}\\.tmp");
        DirectoryStream.Filter<Path> ours = file -> pattern.matcher(file.getFileName().toString()).matches();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ours)) {
            for (Path file : files) {
                if (!IN_PROGRESS.contains(file) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    deleteIfUnlocked(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a directory that cannot be listed keeps its stale files; the save itself goes on
        }
    }

    private static void deleteIfUnlocked(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {   // no live process holds it: the save that wrote it is gone
                Files.deleteIfExists(file);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // locked here, gone already, or no locks on this file system: leave it
        }
    }
}
