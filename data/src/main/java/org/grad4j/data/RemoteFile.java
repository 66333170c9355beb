package org.grad4j.data;

import java.util.Locale;

/**
 * One file of a downloadable dataset: its name (relative to the dataset's base URL and its folder), the
 * SHA-256 of its exact bytes, and its size in bytes (a download is stopped as soon as it exceeds it).
 */
record RemoteFile(String name, String sha256, long size) {
    RemoteFile {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("RemoteFile: name must be a plain file name, got '" + name + "'");
        }
        if (!sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("RemoteFile " + name + ": sha256 must be 64 hex digits, got '" + sha256 + "'");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("RemoteFile " + name + ": size must be positive, got " + size);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
