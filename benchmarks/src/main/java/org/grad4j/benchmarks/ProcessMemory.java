package org.grad4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as Linux counts it: resident set now ({@code VmRSS}) and its peak ({@code VmHWM}),
 * which include ND4J's native arrays that the JVM heap figures do not.
 *
 * @param rssKb  resident set size, kB
 * @param peakKb the highest resident set size so far, kB
 */
record ProcessMemory(long rssKb, long peakKb) {

    static ProcessMemory now() {
        try {
            long rss = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            return new ProcessMemory(rss, peak);
        } catch (IOException e) {
            throw new IllegalStateException("ProcessMemory: cannot read /proc/self/status (Linux only): " + e.getMessage(), e);
        }
    }

    /** {@code "VmRSS:	  123456 kB"} → 123456. */
    private static long kilobytes(String line) {
        String digits = line.substring(line.indexOf(':') + 1).replace("kB", "").trim();
        return Long.parseLong(digits);
    }

    /** The JVM heap in use, MB (after the last collection's work, so it moves with allocation). */
    static long heapUsedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
