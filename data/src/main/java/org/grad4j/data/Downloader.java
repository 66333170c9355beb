package org.grad4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Downloads dataset files into a cache folder, the way {@code keras.utils.get_file} does, but stricter: each
 * file is streamed into a temporary file in the same folder, its SHA-256 is checked, and only then is it
 * renamed to its real name in one atomic step. A file under its real name is therefore always complete and
 * verified; an interrupted download leaves at most a {@code .part} file, which never counts as done and is
 * cleaned up by a later run once it is an hour old. A file that does not match its checksum is deleted.
 */
final class Downloader {

    private static final Duration STALE_PART = Duration.ofHours(1);

    private final URI baseUrl;
    private final Path folder;
    private final PrintStream progress;
    private final Duration stallTimeout;

    /**
     * @param baseUrl  the URL the file names are resolved against (ends with '/')
     * @param folder   the cache folder, created when needed
     * @param progress where a progress line is drawn, or null for none (grad4j passes one only on a terminal)
     */
    Downloader(URI baseUrl, Path folder, PrintStream progress) {
        this(baseUrl, folder, progress, Duration.ofSeconds(60));
    }

    /** @param stallTimeout how long a connection may wait for the next byte (or to connect) before giving up */
    Downloader(URI baseUrl, Path folder, PrintStream progress, Duration stallTimeout) {
        this.baseUrl = baseUrl.toString().endsWith("/") ? baseUrl : URI.create(baseUrl + "/");
        this.folder = folder;
        this.progress = progress;
        this.stallTimeout = stallTimeout;
    }

    Path folder() {
        return folder;
    }

    /** Returns the verified file in the cache folder, downloading it first if it is not there. */
    Path fetch(RemoteFile file, String manualHint) {
        Path target = folder.resolve(file.name());
        if (Files.isRegularFile(target)) {
            return target;                       // only a verified download is ever renamed to this name
        }
        URI url = baseUrl.resolve(file.name());
        Path part = null;
        try {
            Files.createDirectories(folder);
            removeStaleParts(file.name());
            part = Files.createTempFile(folder, "." + file.name() + ".", ".part");
            String actual = download(url, part, file);
            if (!actual.equals(file.sha256())) {
                throw new DatasetException("Downloaded " + url + " but its SHA-256 is " + actual + ", expected "
                        + file.sha256() + " (corrupt or changed file); nothing was kept in " + folder
                        + ". " + manualHint);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            part = null;
            return target;
        } catch (IOException e) {
            throw new DatasetException("Could not download " + url + " into " + folder + ": " + describe(e)
                    + ". " + manualHint, e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // the next run removes it once it is stale
                }
            }
        }
    }

    /** Streams the body into {@code part} and returns its SHA-256 in lower-case hex. */
    private String download(URI url, Path part, RemoteFile file) throws IOException {
        // HttpURLConnection rather than java.net.http: its read timeout bounds every wait for the next byte, so a
        // server that stalls mid-body cannot hang the caller (HttpClient's timeout ends when the headers arrive).
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout((int) stallTimeout.toMillis());
        connection.setReadTimeout((int) stallTimeout.toMillis());
        connection.setInstanceFollowRedirects(true);
        MessageDigest sha = sha256();
        long received = 0;
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("the server answered HTTP " + status);
            }
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
        try (InputStream body = connection.getInputStream(); OutputStream out = Files.newOutputStream(part)) {
            long declared = connection.getContentLengthLong();
            long total = declared > 0 ? declared : file.size();
            byte[] buffer = new byte[1 << 16];
            long lastDraw = 0;
            for (int n; (n = body.read(buffer)) != -1; ) {
                received += n;
                if (received > file.size()) {
                    throw new IOException("the server sent more than the expected " + file.size() + " bytes");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                long now = System.nanoTime();
                if (progress != null && now - lastDraw > 100_000_000L) {
                    drawProgress(file.name(), received, total);
                    lastDraw = now;
                }
            }
        } finally {
            connection.disconnect();
            if (progress != null && received > 0) {
                drawProgress(file.name(), received, file.size());
                progress.println();
            }
        }
        if (received != file.size()) {
            throw new IOException("received " + received + " bytes, expected " + file.size() + " (truncated)");
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void drawProgress(String name, long received, long total) {
        int width = 30;
        int done = total > 0 ? (int) Math.min(width, received * width / total) : 0;
        progress.printf("\rDownloading %s [%s%s] %.1f/%.1f MB", name, "=".repeat(done), ".".repeat(width - done),
                received / 1e6, total / 1e6);
        progress.flush();
    }

    private void removeStaleParts(String name) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "." + name + ".*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String sha256Hex(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String describe(IOException e) {
        String what = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            what = "connection refused or no network";
        } else if (e instanceof SocketTimeoutException) {
            what = "no data for too long";
        }
        return message == null || message.isBlank() ? what : what + " (" + message + ")";
    }
}
