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

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        int[] widths = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {16, 128, 512, 1024, 2048};
        SparkConf conf = new SparkConf().setMaster(master).setAppName("SparkStepBenchmark")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            Nd4j.getRandom().setSeed(1);
            int n = BATCH * STEPS_PER_EPOCH;
            INDArray x = Nd4j.randn(DataType.FLOAT, n, FEATURES);
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
            for (int i = 0; i < n; i++) {
                y.putScalar(i, i % CLASSES, 1f);
            }
            List<DataSet> list = new ArrayList<>();
            for (int from = 0; from < n; from += 64) {
                list.add(new DataSet(x.get(NDArrayIndex.interval(from, from + 64), NDArrayIndex.all()).dup(),
                        y.get(NDArrayIndex.interval(from, from + 64), NDArrayIndex.all()).dup()));
            }
            JavaRDD<DataSet> rdd = sc.parallelize(list, 2).persist(StorageLevel.MEMORY_ONLY());
            rdd.count();
            System.out.printf("master %s, global batch %d, %d steps an epoch, medians over the last 2 of 3 epochs%n", master,
                    BATCH, STEPS_PER_EPOCH);
            System.out.printf("empty Spark job (broadcast + treeAggregate of 2 partitions): %.2f ms%n", emptyJobMillis(sc, rdd));
            System.out.printf("%6s %10s %10s %12s %12s %12s %12s %12s%n", "width", "params", "weights", "single ms",
                    "sync ms", "sync steps/s", "overhead ms", "avg8 ms/step");
            for (int w : widths) {
                double single = singleProcessMillis(w, x, y);
                double sync = sparkMillis(sc, rdd, w, 0);
                double averaging = sparkMillis(sc, rdd, w, 8);
                long params = model(w).countParams();
                System.out.printf("%6d %10d %8.2fMB %12.2f %12.2f %12.1f %12.2f %12.2f%n", w, params, params * 4 / 1e6,
                        single, sync, 1000 / sync, sync - single / 2, averaging);
            }
        }
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

    private static double singleProcessMillis(int width, INDArray x, INDArray y) {
        Model m = model(width);
        List<Double> times = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int s = 0; s < STEPS_PER_EPOCH; s++) {
                INDArray xb = x.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH), NDArrayIndex.all()).dup();
                INDArray yb = y.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH), NDArrayIndex.all()).dup();
                long t0 = System.nanoTime();
                Map<String, Double> logs = m.trainOnBatch(xb, yb);
                if (epoch > 0) {
                    times.add((System.nanoTime() - t0) / 1e6);
                }
                if (logs.isEmpty()) {
                    throw new IllegalStateException("no logs");
                }
            }
        }
        return median(times);
    }

    /** Median milliseconds per step of a SparkTrainer (k = 0: synchronous), from batch callbacks on the driver. */
    private static double sparkMillis(JavaSparkContext sc, JavaRDD<DataSet> rdd, int width, int k) {
        Model m = model(width);
        List<Double> times = new ArrayList<>();
        long[] start = new long[1];
        int[] epochNow = new int[1];
        Callback timer = new Callback() {
            @Override
            public void onEpochBegin(int epoch, Map<String, Double> logs) {
                epochNow[0] = epoch;
            }

            @Override
            public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
                start[0] = System.nanoTime();
            }

            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                if (epochNow[0] > 0) {
                    times.add((System.nanoTime() - start[0]) / 1e6 / Math.max(1, k));
                }
            }
        };
        SparkTrainer trainer = k == 0 ? SparkTrainer.synchronous(sc, m) : SparkTrainer.averaging(sc, m, k);
        trainer.fit(rdd, FitOptions.epochs(3).batchSize(BATCH).verbose(0).seed(1).callbacks(timer));
        return median(times);
    }

    private static double emptyJobMillis(JavaSparkContext sc, JavaRDD<DataSet> rdd) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long t0 = System.nanoTime();
            Broadcast<float[]> b = sc.broadcast(new float[16]);
            long sum = rdd.treeAggregate(0L, (acc, ds) -> acc + b.value().length, Long::sum, 2);
            b.destroy();
            if (i >= 10) {
                times.add((System.nanoTime() - t0) / 1e6);
            }
            if (sum < 0) {
                throw new IllegalStateException();
            }
        }
        return median(times);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
