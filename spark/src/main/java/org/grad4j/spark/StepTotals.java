package org.grad4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the workers send back for one Spark job, summed as Spark's tree aggregation combines partitions: the
 * samples seen, the loss summed over them, the arrays to add (a step's weighted gradients, or a round's weighted
 * weights and optimizer state) and, when the model has metrics, each batch's labels and predictions so that the
 * driver's metrics see exactly what a single-process fit would. Empty until a partition adds to it.
 */
final class StepTotals implements Serializable {
    private static final long serialVersionUID = 1L;

    long samples;
    double lossSum;
    /** Sync: gradients scaled by each partition's share of the global batch; averaging: weights scaled by samples. */
    ArrayValues sums;
    /** Sync: non-trainable weights (moving statistics) scaled by share; averaging: optimizer state scaled by samples. */
    ArrayValues extraSums;
    final List<Prediction> predictions = new ArrayList<>();

    /** One batch's labels and the model's outputs for it (training mode), for the driver's metrics. */
    record Prediction(int step, int partition, ArrayValues labelsAndOutputs) implements Serializable {
    }

    StepTotals add(StepTotals other) {
        samples += other.samples;
        lossSum += other.lossSum;
        sums = add(sums, other.sums);
        extraSums = add(extraSums, other.extraSums);
        predictions.addAll(other.predictions);
        return this;
    }

    private static ArrayValues add(ArrayValues mine, ArrayValues theirs) {
        if (theirs == null) {
            return mine;
        }
        return mine == null ? theirs : mine.addInPlace(theirs);
    }

    /** The predictions in step, then partition order: the order does not depend on which task finished first. */
    List<Prediction> orderedPredictions() {
        List<Prediction> out = new ArrayList<>(predictions);
        out.sort(Comparator.comparingInt(Prediction::step).thenComparingInt(Prediction::partition));
        return out;
    }
}
