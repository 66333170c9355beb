package org.grad4j.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.optimizers.Adam;

/**
 * The memory check: W4 trained by grad4j's {@code fit} for 20 epochs of 60,000 samples in a JVM of
 * its own. After every epoch it prints the resident set (which holds ND4J's native arrays), its peak and
 * the JVM heap in use; at the end, how much the resident set grew from epoch 2 to the last. Memory is flat
 * when that growth is within 5 %. Arguments: {@code [epochs] [samples]} (defaults 20 and 60000).
 */
public final class MemoryRun {
    private static final double FLAT_WITHIN_PERCENT = 5;

    private MemoryRun() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        Environment.configure();
        out.println(Environment.describe());
        Data data = Data.randomClassification(samples, 784, 10, 401);
        Seeds.set(403);
        Sequential model = new Sequential(new InputLayer(784), new Dense(256, "relu"), new Dense(256, "relu"), new Dense(10));
        model.compile(new Adam(1e-3), new CategoricalCrossentropy(true));
        model.setWeights(InitialWeights.glorotUniform(402, true, 784, 256, 256, 10).kerasOrder());
        ProcessMemory before = ProcessMemory.now();
        out.printf("W4 memory: grad4j fit, %d epochs of %d samples, batch 128; before training RSS %d MB, heap used %d MB%n",
                epochs, samples, before.rssKb() >> 10, ProcessMemory.heapUsedMb());
        EpochMemory sampler = new EpochMemory(out);
        long t0 = System.nanoTime();
        model.fit(data.x(), data.y(), FitOptions.epochs(epochs).batchSize(128).verbose(0).callbacks(sampler));
        out.printf(Locale.ROOT, "trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
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
            out.printf(Locale.ROOT, "epoch %2d  loss %.4f  RSS %5d MB  peak %5d MB  heap used %4d MB%n", epoch + 1,
                    logs.get("loss"), m.rssKb() >> 10, m.peakKb() >> 10, ProcessMemory.heapUsedMb());
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
