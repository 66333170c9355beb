package org.grad4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What Spark costs per step: an MLP {@code 64 -> W -> W -> 10} with Adam on a global batch of 128, for growing
 * widths W, trained (a) in one process with {@code trainOnBatch}, (b) with synchronous averaging in
 * {@code local[2]} and (c) with parameter averaging every 8 steps; plus (d) an empty Spark job with a broadcast
 * and a tree aggregation of the same partitions: the scheduling floor. Prints medians per step. Communication
 * dominates where (b) minus half of (a) (two partitions compute in parallel) exceeds half of (a).
 *
 * <p>Run: {@code java <the --add-opens flags of the README> -cp ... org.grad4j.spark.SparkStepBenchmark [master] [widths...]}
 */
public final class SparkStepBenchmark {
    private static final int FEATURES = 64;
    private static final int CLASSES = 10;
    private static final int BATCH = 128;
    private static final int STEPS_PER_EPOCH = 20;

    private SparkStepBenchmark() {
    }

    /** Wall and process CPU milliseconds of one step; CPU time is what a loaded machine does not inflate. */
    private record Cost(double wall, double cpu) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int[] widths = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {16, 128, 512, 1024, 2048};
        SparkConf conf = new SparkConf().setMaster(master).setAppName("SparkStepBenchmark")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            int n = BATCH * STEPS_PER_EPOCH;
            INDArray x = features(0, n);
            INDArray y = labels(n);
            // the rows are made where they live, as when they are read from storage: an RDD from parallelize(list)
            // would carry its rows inside its partitions, which Spark serializes into every task of every step
            JavaRDD<DataSet> rdd = sc.parallelize(List.of(0, 1), 2).flatMap(p -> {
                INDArray px = features(p, n / 2);
                INDArray py = labels(n / 2);
                List<DataSet> part = new ArrayList<>();
                for (int from = 0; from < n / 2; from += 64) {
                    part.add(new DataSet(px.get(NDArrayIndex.interval(from, from + 64), NDArrayIndex.all()).dup(),
                            py.get(NDArrayIndex.interval(from, from + 64), NDArrayIndex.all()).dup()));
                }
                return part.iterator();
            }).persist(StorageLevel.MEMORY_ONLY());
            rdd.count();
            System.out.printf("master %s, global batch %d, %d steps an epoch, medians over the last 2 of 3 epochs%n", master,
                    BATCH, STEPS_PER_EPOCH);
            Cost empty = emptyJob(sc, rdd);
            System.out.printf("empty Spark job (broadcast + treeAggregate of 2 partitions): %.2f ms wall, %.2f ms CPU%n",
                    empty.wall(), empty.cpu());
            System.out.println("ms per step: wall (median) / process CPU of all threads (mean); sync overhead = sync - single (CPU);"
                    + " communication = overhead - empty job (CPU)");
            System.out.printf("%6s %9s %8s %15s %15s %8s %9s %9s %15s%n", "width", "params", "MB", "single", "sync",
                    "steps/s", "overhead", "commun.", "avg k=8");
            for (int w : widths) {
                Cost single = singleProcess(w, x, y);
                Cost sync = spark(sc, rdd, w, 0);
                Cost averaging = spark(sc, rdd, w, 8);
                long params = model(w).countParams();
                double overhead = sync.cpu() - single.cpu();
                System.out.printf("%6d %9d %8.2f %7.2f/%7.2f %7.2f/%7.2f %8.1f %9.2f %9.2f %7.2f/%7.2f%n", w, params,
                        params * 4 / 1e6, single.wall(), single.cpu(), sync.wall(), sync.cpu(), 1000 / sync.wall(), overhead,
                        overhead - empty.cpu(), averaging.wall(), averaging.cpu());
            }
        }
    }

    private static INDArray features(long seed, int rows) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, rows, FEATURES);
    }

    private static INDArray labels(int rows) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, CLASSES);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % CLASSES, 1f);
        }
        return y;
    }

    private static Model model(int width) {
        Layer.resetNameCounters();
        Seeds.set(7);
        Model m = new Sequential(new InputLayer(FEATURES), new Dense(width, "relu"), new Dense(width, "relu"),
                new Dense(CLASSES));
        m.compile(new Adam(0.001), new CategoricalCrossentropy(true));
        m.build(FEATURES);
        return m;
    }

    private static Cost singleProcess(int width, INDArray x, INDArray y) {
        Model m = model(width);
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int s = 0; s < STEPS_PER_EPOCH; s++) {
                INDArray xb = x.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH), NDArrayIndex.all()).dup();
                INDArray yb = y.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH), NDArrayIndex.all()).dup();
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                Map<String, Double> logs = m.trainOnBatch(xb, yb);
                if (epoch > 0) {
                    times.add((System.nanoTime() - t0) / 1e6);
                    cpu.add((cpuNanos() - c0) / 1e6);
                }
                if (logs.isEmpty()) {
                    throw new IllegalStateException("no logs");
                }
            }
        }
        return new Cost(median(times), mean(cpu));
    }

    /** Median milliseconds per step of a SparkTrainer (k = 0: synchronous), from batch callbacks on the driver. */
    private static Cost spark(JavaSparkContext sc, JavaRDD<DataSet> rdd, int width, int k) {
        Model m = model(width);
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long[] start = new long[2];
        int[] epochNow = new int[1];
        Callback timer = new Callback() {
            @Override
            public void onEpochBegin(int epoch, Map<String, Double> logs) {
                epochNow[0] = epoch;
            }

            @Override
            public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
                start[0] = System.nanoTime();
                start[1] = cpuNanos();
            }

            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                if (epochNow[0] > 0) {
                    times.add((System.nanoTime() - start[0]) / 1e6 / Math.max(1, k));
                    cpu.add((cpuNanos() - start[1]) / 1e6 / Math.max(1, k));
                }
            }
        };
        SparkTrainer trainer = k == 0 ? SparkTrainer.synchronous(sc, m) : SparkTrainer.averaging(sc, m, k);
        trainer.fit(rdd, FitOptions.epochs(3).batchSize(BATCH).verbose(0).seed(1).callbacks(timer));
        return new Cost(median(times), mean(cpu));
    }

    private static Cost emptyJob(JavaSparkContext sc, JavaRDD<DataSet> rdd) {
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            Broadcast<float[]> b = sc.broadcast(new float[16]);
            long sum = rdd.treeAggregate(0L, (acc, ds) -> acc + b.value().length, Long::sum, 2);
            b.destroy();
            if (i >= 50) {
                times.add((System.nanoTime() - t0) / 1e6);
                cpu.add((cpuNanos() - c0) / 1e6);
            }
            if (sum < 0) {
                throw new IllegalStateException();
            }
        }
        return new Cost(median(times), mean(cpu));
    }

    /** CPU time is counted in ticks of several milliseconds: a mean over many steps resolves what one step costs. */
    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
