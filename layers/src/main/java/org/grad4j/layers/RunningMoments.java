package org.grad4j.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The mean and population variance of a stream of batches, per index of the kept axes, combined as Keras'
 * {@code Normalization.adapt} combines them: each batch's mean and variance are weighted by its share of the
 * values seen so far, and the variance gains the squared shift of each part's mean from the new total mean
 * (the lack-of-fit sum of squares), which makes the result exact rather than an approximation. Computed in
 * float64 whatever the data's type.
 */
final class RunningMoments {
    private final KeptAxes axes;
    private INDArray mean;
    private INDArray variance;
    private long count;

    RunningMoments(KeptAxes axes) {
        this.axes = axes;
        this.mean = Nd4j.zeros(DataType.DOUBLE, axes.statShape);
        this.variance = Nd4j.zeros(DataType.DOUBLE, axes.statShape);
    }

    /**
     * Adds {@code data} a slice of rows at a time when axis 0 is reduced and it has more than {@code maxValues}
     * values, so that the float64 copy of a large float32 array never exists whole.
     */
    void addInSlices(INDArray data, long maxValues) {
        if (!axes.reducesAxis0() || data.length() <= maxValues) {
            add(data);
            return;
        }
        long rows = data.size(0);
        long step = Math.max(1, maxValues / Math.max(1, data.length() / rows));
        INDArrayIndex[] index = new INDArrayIndex[data.rank()];
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        for (long start = 0; start < rows; start += step) {
            index[0] = NDArrayIndex.interval(start, Math.min(rows, start + step));
            add(data.get(index));
        }
    }

    /** Adds one batch (it must hold at least one value on the reduced axes). */
    void add(INDArray batch) {
        INDArray values = batch.castTo(DataType.DOUBLE);
        long n = 1;
        for (int axis : axes.reduce) {
            n *= values.size(axis);
        }
        INDArray batchMean;
        INDArray batchVariance;
        if (axes.reduce.length == 0) {
            batchMean = values.dup();
            batchVariance = Nd4j.zeros(DataType.DOUBLE, axes.statShape);
        } else {
            batchMean = KeptAxes.reshape(values.mean(axes.reduce), axes.statShape);
            batchVariance = KeptAxes.reshape(values.var(false, axes.reduce), axes.statShape);
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

    INDArray mean() {
        return mean;
    }

    INDArray variance() {
        return variance;
    }
}
