package org.grad4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.grad4j.models.Model;

/**
 * One fit's distributed state on the driver: the cached partitions, the plan of each step's rows and the
 * model's {@code .g4j} bytes broadcast once. A strategy advances training by some steps with one Spark job and
 * applies the result to the driver's model, which stays the one source of truth: every job starts from its
 * current weights, so callbacks that change them (or the learning rate) between steps take effect.
 */
abstract class DistributedRun {
    final JavaSparkContext sc;
    final Model model;
    final String fitId;
    final Broadcast<byte[]> modelBytes;
    final JavaRDD<Shard> shards;
    final EpochPlan plan;
    final int treeDepth;
    final boolean keepPredictions;
    final ExecutorSetup setup;

    DistributedRun(JavaSparkContext sc, Model model, String fitId, Broadcast<byte[]> modelBytes, JavaRDD<Shard> shards,
            EpochPlan plan, int treeDepth, ExecutorSetup setup) {
        this.sc = sc;
        this.model = model;
        this.fitId = fitId;
        this.modelBytes = modelBytes;
        this.shards = shards;
        this.plan = plan;
        this.treeDepth = treeDepth;
        this.keepPredictions = !model.metrics().isEmpty();
        this.setup = setup;
    }

    /** Steps one job covers: 1 for synchronous averaging, k for parameter averaging. */
    abstract int stepsPerJob();

    /**
     * Runs steps {@code [firstStep, firstStep + steps)} of {@code epoch} and applies them to the driver's model,
     * once, after every partition's result has arrived (a retried task recomputes its part from the same state).
     */
    abstract StepTotals advance(int epoch, int firstStep, int steps);
}
