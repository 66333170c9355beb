package org.grad4j.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mean and population variance of a stream of batches, per index of the kept axes, combined as Keras'
 * {@code Normalization.adapt} combines them: each part's mean and variance are weighted by its share of the
 * values seen so far, and the variance gains the squared shift of each part's mean from the new total mean
 * (the lack-of-fit sum of squares), which makes the result exact rather than an approximation. Computed in
 * float64 whatever the data's type.
 *
 * <p>A batch is read as rows of its kept axes (permuted to the end if they are not there already) in slices of
 * at most {@code sliceValues} values, each reduced by two plain passes (mean, then squared deviations) in Java.
 * On a 2-core machine shared with other work (load average 10 to 15) this took 0.2 to 2 s for Fashion-MNIST's
 * 60,000 x 784 float32 pixels, where casting slices to float64 and ND4J's {@code var} over axis 0 took 4 to 8 s;
 * and only one slice of float64 values exists at a time.
 */
final class RunningMoments {
    private final KeptAxes axes;
    private final int statSize;
    private final int[] order;
    private final long sliceValues;
    private final double[] mean;
    private final double[] variance;
    private long count;

    /** @param sliceValues the most values read into a Java array at a time (at least one row is read) */
    RunningMoments(KeptAxes axes, long sliceValues) {
        this.axes = axes;
        long size = 1;
        for (long d : axes.statShape) {
            size *= d;
        }
        this.statSize = Math.toIntExact(size);
        this.order = new int[axes.inputShape.length];
        System.arraycopy(axes.reduce, 0, order, 0, axes.reduce.length);
        System.arraycopy(axes.keep, 0, order, axes.reduce.length, axes.keep.length);
        this.sliceValues = sliceValues;
        this.mean = new double[statSize];
        this.variance = new double[statSize];
    }

    /** Adds one batch (of the kept sizes the axes were resolved for, with at least one value per statistic). */
    void add(INDArray batch) {
        INDArray rows = batch;
        // the buffer is read in row-major order from its start (a reshape is such a view; a view's offset is
        // counted differently by different buffers, so a view with one is copied, as is anything else)
        if (!isIdentity(order) || batch.ordering() != 'c' || !Shape.hasDefaultStridesForShape(batch)
                || batch.offset() != 0) {
            rows = (isIdentity(order) ? batch : batch.permute(order)).dup('c');
        }
        DataBuffer buffer = rows.data();
        long total = rows.length();
        long rowsPerSlice = Math.max(1, sliceValues / Math.max(1, statSize));
        for (long start = 0; start < total; start += rowsPerSlice * statSize) {
            int length = (int) Math.min(total - start, rowsPerSlice * statSize);
            addRows(buffer.getDoublesAt(start, length));
        }
    }

    /** Two passes over whole rows of {@code statSize} values, then Keras' combination with the totals so far. */
    private void addRows(double[] values) {
        int n = values.length / statSize;
        double[] sliceMean = new double[statSize];
        for (int r = 0, p = 0; r < n; r++) {
            for (int c = 0; c < statSize; c++) {
                sliceMean[c] += values[p++];
            }
        }
        for (int c = 0; c < statSize; c++) {
            sliceMean[c] /= n;
        }
        double[] sliceVariance = new double[statSize];
        for (int r = 0, p = 0; r < n; r++) {
            for (int c = 0; c < statSize; c++) {
                double e = values[p++] - sliceMean[c];
                sliceVariance[c] += e * e;
            }
        }
        count += n;
        double sliceWeight = (double) n / count;
        double existingWeight = 1.0 - sliceWeight;
        for (int c = 0; c < statSize; c++) {
            double newMean = mean[c] * existingWeight + sliceMean[c] * sliceWeight;
            double existingShift = mean[c] - newMean;
            double sliceShift = sliceMean[c] - newMean;
            variance[c] = (variance[c] + existingShift * existingShift) * existingWeight
                    + (sliceVariance[c] / n + sliceShift * sliceShift) * sliceWeight;
            mean[c] = newMean;
        }
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The means so far, in the statistics' shape, float64. */
    INDArray mean() {
        return shaped(mean);
    }

    /** The population variances so far, in the statistics' shape, float64. */
    INDArray variance() {
        return shaped(variance);
    }

    double[] meanValues() {
        return mean.clone();
    }

    double[] varianceValues() {
        return variance.clone();
    }

    private INDArray shaped(double[] values) {
        long[] shape = axes.statShape;
        return shape.length == 0 ? Nd4j.scalar(DataType.DOUBLE, values[0]) : Nd4j.create(values.clone(), shape, 'c');
    }

    @Override
    public String toString() {
        return "RunningMoments(count " + count + ", mean " + Arrays.toString(mean) + ")";
    }
}
