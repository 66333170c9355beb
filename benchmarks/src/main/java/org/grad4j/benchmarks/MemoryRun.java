package org.grad4j.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.grad4j.core.Seeds;
import org.grad4j.core.internal.NativeDefaults;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.optimizers.Adam;

/**
 * The memory check: W4 trained by grad4j's {@code fit} for 20 epochs of 60,000 samples in a JVM of
 * its own. After every epoch it prints the resident set (which holds ND4J's native arrays), its peak and
 * the JVM heap in use; at the end, how much the resident set grew from epoch 2 to the last. Memory is flat
 * when that growth is within 5 %. Arguments: {@code [W4|W6] [epochs] [samples]} (defaults W4, 20 and 60000); W6 is
 * the Keras tutorial's model of issue 17 (784-128-10, batch 32, sparse labels, Fashion-MNIST when present).
 */
public final class MemoryRun {
    private static final double FLAT_WITHIN_PERCENT = 5;

    private MemoryRun() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int first = args.length > 0 && args[0].startsWith("W") ? 1 : 0;
        String id = first == 1 ? args[0] : "W4";
        if (!id.equals("W4") && !id.equals("W6")) {
            System.err.println("MemoryRun: unknown workload \"" + id + "\" (known: W4, W6)");
            System.exit(2);
        }
        int epochs = args.length > first ? Integer.parseInt(args[first]) : 20;
        int samples = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 60_000;
        // the harness touches ND4J before any grad4j class does, which a user's program would not: apply grad4j's
        // JavaCPP defaults first, as loading grad4j's first class does
        NativeDefaults.apply();
        Environment.configure();
        out.println(Environment.describe());
        Sequential model;
        Data data;
        int batchSize;
        String source = "random data";
        if (id.equals("W4")) {
            data = Data.randomClassification(samples, 784, 10, 401);
            Seeds.set(403);
            model = new Sequential(new InputLayer(784), new Dense(256, "relu"), new Dense(256, "relu"), new Dense(10));
            model.compile(new Adam(1e-3), new CategoricalCrossentropy(true));
            model.setWeights(InitialWeights.glorotUniform(402, true, 784, 256, 256, 10).kerasOrder());
            batchSize = 128;
        } else {
            FashionData.Loaded loaded = FashionData.load(samples, 601);
            data = loaded.data();
            source = loaded.source();
            Seeds.set(603);
            model = new Sequential(new InputLayer(784), new Dense(128, "relu"), new Dense(10));
            model.compile(new Adam(1e-3), new SparseCategoricalCrossentropy(true));
            model.setWeights(InitialWeights.glorotUniform(602, true, 784, 128, 10).kerasOrder());
            batchSize = 32;
        }
        ProcessMemory before = ProcessMemory.now();
        out.printf("%s memory: grad4j fit, %d epochs of %d samples (%s), batch %d; before training RSS %d MB, heap used %d MB%n",
                id, epochs, data.samples(), source, batchSize, before.rssKb() >> 10, ProcessMemory.heapUsedMb());
        EpochMemory sampler = new EpochMemory(out);
        ProcessUsage usage = ProcessUsage.now();
        long t0 = System.nanoTime();
        model.fit(data.x(), data.y(), FitOptions.epochs(epochs).batchSize(batchSize).verbose(0).callbacks(sampler));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long steps = (long) epochs * ((data.samples() + batchSize - 1) / batchSize);
        out.printf(Locale.ROOT, "trained in %.0f s (%.2f ms/step); %s%n", seconds, seconds * 1e3 / steps,
                Report.cpu(ProcessUsage.now().minus(usage), steps));
        out.println(sampler.verdict());
    }

    /** Samples the process's memory at the end of every epoch. */
    static final class EpochMemory extends Callback {
        private final PrintStream out;
        private final List<ProcessMemory> samples = new ArrayList<>();

        EpochMemory(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            ProcessMemory m = ProcessMemory.now();
            samples.add(m);
            out.printf(Locale.ROOT, "epoch %2d  loss %.4f  RSS %5d MB  peak %5d MB  heap used %4d MB of %4d MB committed  JavaCPP %d pointers, %d MB%n",
                    epoch + 1, logs.get("loss"), m.rssKb() >> 10, m.peakKb() >> 10, ProcessMemory.heapUsedMb(),
                    Runtime.getRuntime().totalMemory() >> 20,
                    Pointer.totalCount(), Pointer.totalBytes() >> 20);
        }

        /** RSS growth from epoch 2 to the last, and the peak. */
        String verdict() {
            if (samples.size() < 3) {
                return "too few epochs to judge growth (need 3 or more, got " + samples.size() + ")";
            }
            long second = samples.get(1).rssKb();
            long last = samples.get(samples.size() - 1).rssKb();
            double growth = 100.0 * (last - second) / second;
            return String.format(Locale.ROOT, "RSS epoch 2 → %d: %d → %d MB (%+.1f %%), peak %d MB: %s", samples.size(),
                    second >> 10, last >> 10, growth, samples.get(samples.size() - 1).peakKb() >> 10,
                    Math.abs(growth) <= FLAT_WITHIN_PERCENT ? "flat (within 5 %)" : "NOT flat (more than 5 %)");
        }
    }
}
