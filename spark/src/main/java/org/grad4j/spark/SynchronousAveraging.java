package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.grad4j.core.Tensor;
import org.grad4j.models.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Synchronous gradient averaging: each step, every partition computes the gradients of its share of the global
 * batch against the broadcast weights, weighted by that share; a tree aggregation sums them into the gradient of
 * the global batch's mean loss, and the driver applies its optimizer once. Mathematically the single-machine step.
 */
final class SynchronousAveraging extends DistributedRun {

    SynchronousAveraging(JavaSparkContext sc, Model model, String fitId, Broadcast<byte[]> modelBytes,
            JavaRDD<Shard> shards, EpochPlan plan, int treeDepth, ExecutorSetup setup) {
        super(sc, model, fitId, modelBytes, shards, plan, treeDepth, setup);
    }

    @Override
    int stepsPerJob() {
        return 1;
    }

    @Override
    StepTotals advance(int epoch, int firstStep, int steps) {
        Broadcast<ArrayValues> weights = sc.broadcast(ArrayValues.ofVariables(model.variables()));
        StepTotals totals;
        try {
            Task task = new Task(fitId, modelBytes, setup, weights, plan, epoch, firstStep, keepPredictions);
            totals = shards.treeAggregate(new StepTotals(), task, (a, b) -> a.add(b), treeDepth);
        } finally {
            weights.destroy();
        }
        if (totals.sums == null) {
            throw new IllegalStateException("SparkTrainer: step " + firstStep + " of epoch " + epoch + " produced no gradients "
                    + "(" + totals.samples + " samples)");
        }
        List<Tensor> gradients = new ArrayList<>();
        for (INDArray g : totals.sums.toArrays()) {
            gradients.add(g == null ? null : Tensor.of(g));
        }
        // the same call a single-process step makes, on the gradient of the global batch
        model.optimizer().applyGradientsInPlace(gradients, model.trainableVariables());
        if (totals.extraSums != null) {
            List<org.grad4j.core.Variable> frozen = model.nonTrainableVariables();
            ArrayValues.ofVariables(frozen).addInPlace(totals.extraSums).assignTo(frozen, "SparkTrainer: non-trainable weights");
        }
        return totals;
    }

    /** What a partition does for one step; Spark ships it to every task. */
    private record Task(String fitId, Broadcast<byte[]> modelBytes, ExecutorSetup setup, Broadcast<ArrayValues> weights, EpochPlan plan,
            int epoch, int step, boolean keepPredictions) implements Function2<StepTotals, Shard, StepTotals> {
        @Override
        public StepTotals call(StepTotals totals, Shard shard) {
            int[] rows = plan.rows(shard.partition, epoch, step);
            if (rows.length == 0) {
                return totals;
            }
            Model m = WorkerModels.borrow(fitId, modelBytes.value(), setup);
            boolean done = false;
            try {
                weights.value().assignTo(m.variables(), "SparkTrainer: weights for step " + step);
                INDArray[] batch = shard.rows(rows);
                double share = (double) rows.length / plan.globalBatch(step);
                LocalStep.gradients(m, batch[0], batch[1], share, step, shard.partition, keepPredictions, totals);
                done = true;
            } finally {
                if (done) {
                    WorkerModels.giveBack(fitId, m);
                }
            }
            return totals;
        }
    }
}
