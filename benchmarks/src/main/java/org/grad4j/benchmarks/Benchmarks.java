package org.grad4j.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * grad4j against DL4J 1.0.0-M2.1 in the same JVM, on the workloads W1–W5 (issue 6): per workload,
 * warm-up, then both frameworks (and the GEMM floor) alternately, medians with min–max, ratios, and the
 * losses before and after. Arguments: {@code [--quick] [W1 .. W5]}; none runs every workload in full.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Scale scale = Scale.FULL;
        List<String> ids = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                scale = Scale.QUICK;
            } else if (Scale.IDS.contains(arg)) {
                ids.add(arg);
            } else {
                System.err.println("Benchmarks: unknown argument \"" + arg + "\" (usage: [--quick] [W1 .. W5])");
                System.exit(2);
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(Scale.IDS);
        }
        Environment.configure();
        out.println(Environment.describe());
        out.println("scale " + scale.name().toLowerCase() + "; times are medians of the measured blocks (min–max); "
                + "ratio = grad4j / other, lower is better");
        long t0 = System.nanoTime();
        for (String id : ids) {
            run(scale.create(id), out);
            // the workload is garbage now; with ND4J's array GC on this frees its arrays too (with nopointergc
            // they stay: at most the ~0.4 GB of W4's data and DL4J's copy of it)
            System.gc();
        }
        out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static void run(Workload w, PrintStream out) {
        out.println();
        out.println(w.id() + ": " + w.description() + "; " + w.contest().rounds() + " blocks of "
                + w.contest().stepsPerBlock() + " steps per side after " + w.contest().warmupBlocks() + " warm-up");
        Map<String, double[]> losses = new LinkedHashMap<>();
        for (Trainee t : w.trainees()) {
            losses.put(t.name(), new double[] {t.loss(), Double.NaN});
        }
        Map<String, Stats> times = w.contest().run(w.sides(), w.unit());
        for (Trainee t : w.trainees()) {
            losses.get(t.name())[1] = t.loss();
        }
        out.println(Report.timings(w, times));
        out.println(Report.losses(w, losses));
        ProcessMemory m = ProcessMemory.now();
        out.printf("%s process memory: RSS %d MB, peak %d MB, heap used %d MB%n", w.id(), m.rssKb() >> 10, m.peakKb() >> 10,
                ProcessMemory.heapUsedMb());
    }
}
