package org.grad4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's CPU time and the two kernel counters that expose per-step native allocation, as Linux counts
 * them: user and system CPU ({@code /proc/self/stat} fields 14 and 15, in clock ticks), minor page faults
 * (field 10: fresh pages mapped in) and read system calls ({@code /proc/self/io}'s {@code syscr}: JavaCPP reads
 * {@code /proc/self/statm} on every native allocation it checks). Process-wide, so a difference of two
 * samples taken around one side's block belongs to that side (and to the JVM's own threads meanwhile).
 *
 * @param userTicks    user CPU time, clock ticks
 * @param systemTicks  system (kernel) CPU time, clock ticks
 * @param minorFaults  minor page faults
 * @param readCalls    read system calls, or -1 where {@code /proc/self/io} cannot be read
 */
record ProcessUsage(long userTicks, long systemTicks, long minorFaults, long readCalls) {
    /** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream architecture. */
    static final double TICKS_PER_SECOND = 100;

    static final ProcessUsage ZERO = new ProcessUsage(0, 0, 0, 0);

    static ProcessUsage now() {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            throw new IllegalStateException("ProcessUsage: cannot read /proc/self/stat (Linux only): " + e.getMessage(), e);
        }
        String io;
        try {
            io = Files.readString(Path.of("/proc/self/io"));
        } catch (IOException e) {
            io = null;   // some kernels and containers hide it; the read count is then left out
        }
        return parse(stat, io);
    }

    /**
     * From the text of {@code /proc/self/stat} and of {@code /proc/self/io} (or null). The command name (field 2)
     * is in parentheses and may hold spaces and parentheses itself, so fields are counted after the last ')'.
     */
    static ProcessUsage parse(String stat, String io) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("ProcessUsage: /proc/self/stat has no \")\" after the command name: \""
                    + abbreviate(stat) + "\"");
        }
        // after ')' come field 3 (state), 4, ...: field n is at index n - 3
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (fields.length < 13) {
            throw new IllegalArgumentException("ProcessUsage: /proc/self/stat has " + (fields.length + 2)
                    + " fields, expected at least 15: \"" + abbreviate(stat) + "\"");
        }
        long minflt = Long.parseLong(fields[10 - 3]);
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        long reads = -1;
        if (io != null) {
            for (String line : io.split("\n")) {
                if (line.startsWith("syscr:")) {
                    reads = Long.parseLong(line.substring("syscr:".length()).trim());
                }
            }
        }
        return new ProcessUsage(utime, stime, minflt, reads);
    }

    ProcessUsage plus(ProcessUsage o) {
        return new ProcessUsage(userTicks + o.userTicks, systemTicks + o.systemTicks, minorFaults + o.minorFaults,
                readCalls < 0 || o.readCalls < 0 ? -1 : readCalls + o.readCalls);
    }

    ProcessUsage minus(ProcessUsage o) {
        return new ProcessUsage(userTicks - o.userTicks, systemTicks - o.systemTicks, minorFaults - o.minorFaults,
                readCalls < 0 || o.readCalls < 0 ? -1 : readCalls - o.readCalls);
    }

    double userSeconds() {
        return userTicks / TICKS_PER_SECOND;
    }

    double systemSeconds() {
        return systemTicks / TICKS_PER_SECOND;
    }

    /** System time as a share of all CPU time, in percent (0 when no tick was counted). */
    double systemPercent() {
        long all = userTicks + systemTicks;
        return all == 0 ? 0 : 100.0 * systemTicks / all;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s.trim() : s.substring(0, 80) + "...";
    }
}
