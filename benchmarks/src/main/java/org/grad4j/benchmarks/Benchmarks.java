package org.grad4j.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.internal.NativeDefaults;

/**
 * grad4j against DL4J 1.0.0-M2.1 in the same JVM (and PyTorch, where installed, in a process of its own), on the issues' workloads W1–W7 (issues 6, 16 and 17): per workload,
 * warm-up, then both frameworks (and the GEMM floor) alternately, medians with min–max, ratios, and the
 * losses before and after. Arguments: {@code [--quick] [W1 .. W7]}; none runs every workload in full.
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
                System.err.println("Benchmarks: unknown argument \"" + arg + "\" (usage: [--quick] [W1 .. W7])");
                System.exit(2);
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(Scale.IDS);
        }
        // the harness touches ND4J before any grad4j class does, which a user's program would not: apply grad4j's
        // JavaCPP defaults first, as loading grad4j's first class does
        NativeDefaults.apply();
        Environment.configure();
        out.println(Environment.describe());
        out.println(TorchPeer.describe());
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
        Map<String, ProcessUsage> usage = new LinkedHashMap<>();
        TorchPeer.Outcome torch = TorchPeer.start(w);
        String torchNote = torch.note();
        List<Side> sides = new ArrayList<>(w.sides());
        if (torch.session() != null) {
            sides.add(torch.session());
        }
        Map<String, Stats> times;
        try {
            times = new LinkedHashMap<>(w.contest().run(sides, w.unit(), usage));
        } finally {
            if (torch.session() != null) {
                torch.session().close();
            }
        }
        for (Trainee t : w.trainees()) {
            losses.get(t.name())[1] = t.loss();
        }
        out.println(Report.timings(w, times));
        if (torchNote != null) {
            out.println(w.id() + " " + torchNote);
        }
        String epochs = Report.epochs(w, times);
        if (epochs != null) {
            out.println(epochs);
        }
        out.println(Report.usage(w, usage));
        out.println(Report.losses(w, losses));
        if (w.phases() != null) {
            PhasedStep.Result r = w.phases().run(w.contest().stepsPerBlock());
            out.println(w.id() + " grad4j step by phase over " + r.steps() + " steps: " + r.format() + " | "
                    + Report.cpu(r.usage(), r.steps()));
        }
        ProcessMemory m = ProcessMemory.now();
        out.printf("%s process memory: RSS %d MB, peak %d MB, heap used %d MB%n", w.id(), m.rssKb() >> 10, m.peakKb() >> 10,
                ProcessMemory.heapUsedMb());
    }
}
