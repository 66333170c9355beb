package org.grad4j.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.grad4j.core.Variable;
import org.grad4j.models.Model;
import org.grad4j.optimizers.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter averaging every k steps: each partition starts from the broadcast weights and optimizer state, takes
 * k local optimizer steps on its shares of k global batches, and the driver averages the resulting weights and
 * optimizer state, weighted by the samples each partition saw. One exchange per k steps instead of one per step.
 * What is averaged is each partition's change from the round's start, added back to the start: a value no
 * partition moved (a frozen weight) stays bit for bit the same, and the iteration counter advances by exactly
 * the steps taken.
 */
final class ParameterAveraging extends DistributedRun {
    private final int everyKSteps;

    ParameterAveraging(JavaSparkContext sc, Model model, String fitId, Broadcast<byte[]> modelBytes,
            JavaRDD<Shard> shards, EpochPlan plan, int treeDepth, int everyKSteps, ExecutorSetup setup) {
        super(sc, model, fitId, modelBytes, shards, plan, treeDepth, setup);
        this.everyKSteps = everyKSteps;
    }

    @Override
    int stepsPerJob() {
        return everyKSteps;
    }

    /** The driver's state a round starts from. */
    record RoundState(ArrayValues weights, ArrayValues optimizerState, Double learningRate) implements Serializable {
    }

    @Override
    StepTotals advance(int epoch, int firstStep, int steps) {
        Optimizer optimizer = model.optimizer();
        optimizer.build(model.trainableVariables());
        // a callback such as ReduceLROnPlateau may have changed the constant rate; a schedule travels in the model
        Double rate = optimizer.learningRateSchedule().isPresent() ? null : optimizer.learningRate();
        ArrayValues startWeights = ArrayValues.ofVariables(model.variables());
        ArrayValues startState = ArrayValues.ofVariables(optimizer.variables());
        Broadcast<RoundState> state = sc.broadcast(new RoundState(startWeights, startState, rate));
        StepTotals totals;
        try {
            Task task = new Task(fitId, modelBytes, setup, state, plan, epoch, firstStep, steps, keepPredictions);
            totals = shards.treeAggregate(new StepTotals(), task, (a, b) -> a.add(b), treeDepth);
        } finally {
            state.destroy();
        }
        if (totals.samples == 0 || totals.sums == null) {
            throw new IllegalStateException("SparkTrainer: steps " + firstStep + ".." + (firstStep + steps - 1) + " of epoch "
                    + epoch + " saw no samples");
        }
        double weight = 1.0 / totals.samples;
        startWeights.addInPlace(totals.sums.scaleInPlace(weight)).assignTo(model.variables(), "SparkTrainer: averaged weights");
        startState.addInPlace(totals.extraSums.scaleInPlace(weight))
                .assignTo(optimizer.variables(), "SparkTrainer: averaged optimizer state");
        return totals;
    }

    /** What a partition does for one round of local steps. */
    private record Task(String fitId, Broadcast<byte[]> modelBytes, ExecutorSetup setup, Broadcast<RoundState> state, EpochPlan plan,
            int epoch, int firstStep, int steps, boolean keepPredictions)
            implements Function2<StepTotals, Shard, StepTotals> {
        @Override
        public StepTotals call(StepTotals totals, Shard shard) {
            if (shard.size() == 0) {
                return totals;
            }
            Model m = WorkerModels.borrow(fitId, modelBytes.value(), setup);
            boolean done = false;
            try {
                RoundState s = state.value();
                // always from the broadcast state: a retried task must not continue from a failed attempt's steps
                s.weights().assignTo(m.variables(), "SparkTrainer: weights for epoch " + epoch + ", step " + firstStep);
                Optimizer optimizer = m.optimizer();
                List<Variable> trainable = m.trainableVariables();
                optimizer.build(trainable);
                s.optimizerState().assignTo(optimizer.variables(), "SparkTrainer: optimizer state");
                if (s.learningRate() != null) {
                    optimizer.learningRate(s.learningRate());
                }
                StepTotals mine = new StepTotals();
                for (int step = firstStep; step < firstStep + steps; step++) {
                    int[] rows = plan.rows(shard.partition, epoch, step);
                    if (rows.length > 0) {
                        INDArray[] batch = shard.rows(rows);
                        LocalStep.train(m, batch[0], batch[1], step, shard.partition, keepPredictions, mine);
                    }
                }
                if (mine.samples > 0) {
                    mine.sums = ArrayValues.ofVariables(m.variables()).subtractInPlace(s.weights()).scaleInPlace(mine.samples);
                    mine.extraSums = ArrayValues.ofVariables(optimizer.variables()).subtractInPlace(s.optimizerState())
                            .scaleInPlace(mine.samples);
                    totals.add(mine);
                }
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
