package org.grad4j.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mean and population variance of a stream of batches, per position of the kept axes, combined as Keras'
 * {@code Normalization.adapt} combines them: each batch's mean and variance are weighted by its share of the
 * values seen so far, and the variance gains the squared shift of each part's mean from the new total mean
 * (the lack-of-fit sum of squares), which makes the result exact rather than an approximation. Computed in
 * float64 whatever the data's type.
 */
final class RunningMoments {
    private final int[] reduceAxes;
    private final long[] statShape;
    private INDArray mean;
    private INDArray variance;
    private long count;

    /**
     * @param reduceAxes the axes a batch is reduced over (empty: every value is its own statistic)
     * @param statShape  the shape of the statistics: the batch shape without the reduced axes
     */
    RunningMoments(int[] reduceAxes, long[] statShape) {
        this.reduceAxes = reduceAxes.clone();
        this.statShape = statShape.clone();
        this.mean = Nd4j.zeros(DataType.DOUBLE, statShape);
        this.variance = Nd4j.zeros(DataType.DOUBLE, statShape);
    }

    /** Adds one batch (it must hold at least one value on the reduced axes). */
    void add(INDArray batch) {
        INDArray values = batch.castTo(DataType.DOUBLE);
        long n = 1;
        for (int axis : reduceAxes) {
            n *= values.size(axis);
        }
        INDArray batchMean;
        INDArray batchVariance;
        if (reduceAxes.length == 0) {
            batchMean = values.dup();
            batchVariance = Nd4j.zeros(DataType.DOUBLE, statShape);
        } else {
            batchMean = shaped(values.mean(reduceAxes));
            batchVariance = shaped(values.var(false, reduceAxes));
        }
        count += n;
        double batchWeight = (double) n / count;
        double existingWeight = 1.0 - batchWeight;
        INDArray newMean = mean.mul(existingWeight).addi(batchMean.mul(batchWeight));
        INDArray existingShift = mean.sub(newMean);
        INDArray batchShift = batchMean.sub(newMean);
        variance = variance.add(existingShift.muli(existingShift)).muli(existingWeight)
                .addi(batchVariance.addi(batchShift.muli(batchShift)).muli(batchWeight));
        mean = newMean;
    }

    /** A reduction's result in the statistics' shape (a full reduction gives a rank-0 array, which reshape refuses). */
    private INDArray shaped(INDArray reduced) {
        if (statShape.length == 0) {
            return Nd4j.scalar(DataType.DOUBLE, reduced.getDouble(0));
        }
        return reduced.reshape(statShape);
    }

    /** The number of values each statistic was computed from. */
    long count() {
        return count;
    }

    INDArray mean() {
        return mean;
    }

    INDArray variance() {
        return variance;
    }
}
