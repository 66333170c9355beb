package org.grad4j.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * Data-parallel training of a compiled {@link Model} on Apache Spark. The driver keeps the model; the RDD's
 * partitions are the workers' data. Two strategies:
 * <ul>
 * <li>{@link #synchronous}: every step, each partition computes the gradients of its share of the global batch
 *     ({@code batchSize} samples in all) against the broadcast weights; Spark's tree aggregation sums them, and
 *     the driver's optimizer takes one step. The same step as {@code model.fit} on one machine, on the same
 *     global batches; one exchange of weights and gradients per step.
 * <li>{@link #averaging}: each partition takes {@code k} local steps on its shares from the broadcast weights and
 *     optimizer state, then the driver averages weights and state. {@code k} times fewer exchanges; the result
 *     approaches, but is not, the single-machine trajectory.
 * </ul>
 * Callbacks, the progress bar and the returned {@link History} run on the driver as in {@code model.fit}.
 * Each epoch has {@code ceil(N / batchSize)} steps, each partition giving every step a share of its rows
 * proportional to its size (shuffled within the partition each epoch when {@code shuffle} is on). Steps are
 * applied on the driver only after every partition's result has arrived, so a task that Spark retries after a
 * failure cannot apply a step twice. The model travels to the executors once per fit as its {@code .g4j} bytes,
 * and each executor keeps the models it read. The workers run the default training step (compiled loss plus the
 * layers' penalties), so a model that overrides {@code trainStep} or {@code computeLoss} is refused, and a custom
 * layer or loss must be registered by name on the executors too, with {@link #onEachExecutor}.
 *
 * <p>The RDD is read once per fit into one stacked shard per partition, cached while the fit runs. Its lineage
 * travels with every task of every step, so read the rows from storage (or generate them in the partitions):
 * an RDD made by {@code parallelize(list)} carries its rows inside its partitions. The fit's History is
 * returned, not stored in {@code model.history()}.
 *
 * <pre>{@code
 * SparkTrainer st = SparkTrainer.synchronous(sc, model);           // or averaging(sc, model, 8)
 * History h = st.fit(rddOfDataSets, FitOptions.epochs(5).batchSize(256));
 * }</pre>
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final Model model;
    /** 0 for synchronous averaging, else the local steps between parameter averages. */
    private final int everyKSteps;
    private int treeDepth = 2;
    private ExecutorSetup executorSetup;

    private SparkTrainer(JavaSparkContext sc, Model model, int everyKSteps) {
        this.sc = Objects.requireNonNull(sc, "SparkTrainer: the Spark context is null");
        this.model = Objects.requireNonNull(model, "SparkTrainer: the model is null");
        this.everyKSteps = everyKSteps;
    }

    /** Synchronous gradient averaging of {@code model} (compiled) on {@code sc}. */
    public static SparkTrainer synchronous(JavaSparkContext sc, Model model) {
        return new SparkTrainer(sc, model, 0);
    }

    public static SparkTrainer synchronous(SparkContext sc, Model model) {
        return synchronous(JavaSparkContext.fromSparkContext(sc), model);
    }

    /** Parameter averaging every {@code everyKSteps} local steps (k >= 1; k = 1 averages after every step). */
    public static SparkTrainer averaging(JavaSparkContext sc, Model model, int everyKSteps) {
        if (everyKSteps < 1) {
            throw new IllegalArgumentException("SparkTrainer.averaging: everyKSteps must be >= 1, got " + everyKSteps);
        }
        return new SparkTrainer(sc, model, everyKSteps);
    }

    public static SparkTrainer averaging(SparkContext sc, Model model, int everyKSteps) {
        return averaging(JavaSparkContext.fromSparkContext(sc), model, everyKSteps);
    }

    /** The depth of Spark's tree aggregation of the partitions' results (default 2; more for many partitions). */
    public SparkTrainer treeDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("SparkTrainer.treeDepth: must be >= 1, got " + depth);
        }
        this.treeDepth = depth;
        return this;
    }

    /**
     * Code each executor runs before it rebuilds the model from its {@code .g4j} bytes: register custom layers,
     * losses or optimizers there, guarded because it may run again in the same JVM, e.g.
     * {@code trainer.onEachExecutor(() -> { if (!Layers.isRegistered("MyLayer")) Layers.register("MyLayer", MyLayer::fromConfig); })}.
     * The driver's registrations do not reach executors in other JVMs.
     */
    public SparkTrainer onEachExecutor(ExecutorSetup setup) {
        this.executorSetup = Objects.requireNonNull(setup, "SparkTrainer.onEachExecutor: the setup is null");
        return this;
    }

    /** The driver's model, which holds the trained weights. */
    public Model model() {
        return model;
    }

    /** "synchronous" or "averaging every k steps", for messages and logs. */
    public String strategy() {
        return everyKSteps == 0 ? "synchronous" : "averaging every " + everyKSteps + " steps";
    }

    /**
     * Trains on the DataSets of {@code data} (any number of samples each, the same per-sample shapes; no masks)
     * as {@code options} say: epochs, batchSize (the global batch), shuffle, seed, callbacks, verbose,
     * initialEpoch, validationData and validationFreq (validation runs on the driver). validationSplit,
     * classWeight and stepsPerEpoch are refused. Every check runs before the first step, so a bad call leaves the
     * model as it was.
     */
    public History fit(JavaRDD<DataSet> data, FitOptions options) {
        Objects.requireNonNull(data, "SparkTrainer.fit: the RDD is null");
        checkBeforeData(options);
        DataType type = model.dtype();
        JavaRDD<Shard> shards = data.mapPartitionsWithIndex((p, it) -> Shard.fromDataSets(p, it, type), true);
        return fitShards(shards, options);
    }

    /**
     * Trains on rows of {@code (features, labels)}, one sample each, flat: features are shaped as the model's
     * per-sample input when it is built (e.g. {@code [8, 8, 1]}), else taken as a vector; labels become
     * {@code [labelLength]} per sample. Otherwise as {@link #fit}.
     */
    public History fitRows(JavaRDD<Tuple2<float[], float[]>> rows, FitOptions options) {
        Objects.requireNonNull(rows, "SparkTrainer.fitRows: the RDD is null");
        checkBeforeData(options);
        long[] built = model.buildInputShape();
        long[] featureShape = built != null ? Arrays.copyOfRange(built, 1, built.length)
                : new long[] {rows.first()._1().length};
        DataType type = model.dtype();
        JavaRDD<Shard> shards = rows.mapPartitionsWithIndex((p, it) -> Shard.fromRows(p, it, featureShape, type), true);
        return fitShards(shards, options);
    }

    private void checkBeforeData(FitOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("SparkTrainer.fit: options are required, e.g. FitOptions.epochs(10)");
        }
        if (!model.isCompiled()) {
            throw new IllegalStateException("SparkTrainer.fit: " + model.describe() + " must be compiled first, e.g. "
                    + "model.compile(new Adam(0.001), new MeanSquaredError())");
        }
        CustomSteps.refuse(model);
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: validationSplit " + options.validationSplit()
                    + " needs the samples in one place; give validationData(x, y) instead");
        }
        if (options.classWeight() != null) {
            throw new IllegalArgumentException("SparkTrainer.fit: classWeight is not supported; balance the RDD's classes "
                    + "(e.g. sample them) before fitting");
        }
        if (options.stepsPerEpoch() > 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: stepsPerEpoch applies to a Dataset; an epoch here is "
                    + "ceil(N / batchSize) steps over the whole RDD, got stepsPerEpoch " + options.stepsPerEpoch());
        }
    }

    private History fitShards(JavaRDD<Shard> prepared, FitOptions options) {
        JavaRDD<Shard> shards = prepared.persist(StorageLevel.MEMORY_ONLY());
        String fitId = UUID.randomUUID().toString();
        Broadcast<byte[]> modelBytes = null;
        try {
            List<Shard.ShardInfo> infos = ownErrors(() -> shards.map(Shard::info).collect());
            long[] counts = checkShards(infos);
            Shard head = shards.filter(s -> s.size() > 0).map(s -> s.head(32)).first();
            preflight(head);
            // the slots exist before the first step, so the state that travels is complete (as Model.load builds them)
            model.optimizer().build(model.trainableVariables());
            byte[] bytes = ModelBytes.write(model);
            ModelBytes.read(bytes);   // a layer or loss the workers could not rebuild fails here, before training
            modelBytes = sc.broadcast(bytes);
            long seed = options.seed() != null ? options.seed() : Seeds.nextSeed();
            EpochPlan plan = new EpochPlan(counts, options.batchSize(), options.shuffle(), seed);
            DistributedRun run = everyKSteps == 0
                    ? new SynchronousAveraging(sc, model, fitId, modelBytes, shards, plan, treeDepth, executorSetup)
                    : new ParameterAveraging(sc, model, fitId, modelBytes, shards, plan, treeDepth, everyKSteps,
                            executorSetup);
            return new DriverLoop(model, run, options).run();
        } finally {
            if (modelBytes != null) {
                String id = fitId;
                try {
                    shards.foreachPartition(it -> WorkerModels.evict(id));
                } catch (Exception ignored) {
                    // eviction is a courtesy: executors also forget old fits by themselves
                }
            }
            shards.unpersist(false);
            if (modelBytes != null) {
                modelBytes.destroy();
            }
        }
    }

    /**
     * Runs a Spark action; when a task failed on one of this class' own checks of the data (a mask, a shape), that
     * message is what the user sees rather than Spark's report of the failed stage around it.
     */
    private static <T> T ownErrors(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {   // Spark throws its checked SparkException without declaring it
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException own && String.valueOf(own.getMessage()).startsWith("SparkTrainer")) {
                    throw new IllegalArgumentException(own.getMessage(), e);
                }
                // a failed stage carries the task's exception as text: "...: java.lang.IllegalArgumentException: <message>"
                String text = String.valueOf(c.getMessage());
                String marker = IllegalArgumentException.class.getName() + ": SparkTrainer";
                int at = text.indexOf(marker);
                if (at >= 0) {
                    int start = at + IllegalArgumentException.class.getName().length() + 2;
                    int end = text.indexOf('\n', start);
                    throw new IllegalArgumentException(text.substring(start, end < 0 ? text.length() : end), e);
                }
            }
            throw e;
        }
    }

    /** Every partition's samples must have the same per-sample shapes; returns the sample count of each. */
    private static long[] checkShards(List<Shard.ShardInfo> infos) {
        long[] counts = new long[infos.size()];
        Shard.ShardInfo first = null;
        for (Shard.ShardInfo info : infos) {
            counts[info.partition()] = info.count();
            if (info.count() == 0) {
                continue;
            }
            if (first == null) {
                first = info;
            } else if (!samePerSample(first.xShape(), info.xShape()) || !samePerSample(first.yShape(), info.yShape())) {
                throw new IllegalArgumentException("SparkTrainer.fit: partition " + info.partition() + " has features "
                        + Shapes.format(info.xShape()) + " and labels " + Shapes.format(info.yShape()) + " but partition "
                        + first.partition() + " has " + Shapes.format(first.xShape()) + " and " + Shapes.format(first.yShape())
                        + "; every sample needs the same shapes");
            }
        }
        return counts;
    }

    private static boolean samePerSample(long[] a, long[] b) {
        return Arrays.equals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(b, 1, b.length));
    }

    /**
     * The driver evaluates the first rows: this builds the model, checks that inputs and labels suit it and its
     * loss, and decides an "accuracy" metric left to the shapes, before any weight changes.
     */
    private void preflight(Shard head) {
        try {
            model.evaluate(head.x, head.y, (int) head.size());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SparkTrainer.fit: the data does not suit " + model.describe() + ": "
                    + e.getMessage(), e);
        }
    }
}
