package org.grad4j.models;

import org.grad4j.core.Shapes;
import org.grad4j.losses.Loss;
import org.grad4j.losses.LossFunctionWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * An ND4J {@code DataSet} as a {@link Batch}, for fit and evaluate on a {@code DataSetIterator}. Its labels mask,
 * per sample ({@code [batch]} or {@code [batch, 1]}), acts as DL4J's: a sample masked 0 counts for nothing in the
 * loss, its mean and the metrics (other values >= 0 weigh the sample); the labels of masked samples are zeroed,
 * so whatever they held (NaN, a class out of range) cannot reach the loss. An all-ones mask is no mask.
 * Per-timestep or per-output masks, and a features mask that is not all ones, are refused: no layer reads masks
 * yet (sequence layers will).
 */
final class Nd4jBatches {
    private final String where;
    private final Loss loss;
    private final DataType dtype;

    Nd4jBatches(String where, Loss loss, DataType dtype) {
        this.where = where;
        this.loss = loss;
        this.dtype = dtype;
    }

    Batch batchOf(DataSet ds) {
        INDArray x = Trainer.floating(ds.getFeatures());
        if (ds.getLabels() == null) {
            throw new IllegalArgumentException(where + ": a DataSet of the iterator has no labels; " + where
                    + " needs features and labels");
        }
        INDArray y = Trainer.floating(ds.getLabels());
        INDArray features = ds.getFeaturesMaskArray();
        if (features != null && !allOnes(features)) {
            throw new IllegalArgumentException(where + ": the DataSet has a features mask of shape " + Shapes.format(features.shape())
                    + " that is not all ones; no grad4j layer reads masks yet (sequence layers will), so it cannot be "
                    + "honoured: leave it out, or mask the labels instead");
        }
        INDArray mask = labelsMask(ds.getLabelsMaskArray(), y);
        return new Batch(x, mask == null ? y : withoutMaskedLabels(y, mask), null, mask);
    }

    /** The labels mask as {@code [batch]} in the model's type, or null for none (or all ones); refused if unusable. */
    private INDArray labelsMask(INDArray mask, INDArray y) {
        if (mask == null) {
            return null;
        }
        long n = y.size(0);
        boolean perSample = mask.rank() == 1 && mask.length() == n || mask.rank() == 2 && mask.size(0) == n && mask.size(1) == 1;
        if (!perSample) {
            throw new IllegalArgumentException(where + ": the DataSet has a labels mask of shape " + Shapes.format(mask.shape())
                    + " for labels of shape " + Shapes.format(y.shape()) + "; grad4j honours per-sample labels masks only, "
                    + "of shape [" + n + "] or [" + n + ", 1] (per-timestep and per-output masks need sequence layers, "
                    + "which it has not yet)");
        }
        double min = mask.minNumber().doubleValue();
        double max = mask.maxNumber().doubleValue();
        // min and max skip NaN, the sum does not
        if (!(min >= 0) || Double.isInfinite(max) || Double.isNaN(mask.sumNumber().doubleValue())) {
            throw new IllegalArgumentException(where + ": a labels mask holds a weight per sample and must be >= 0 and finite "
                    + "(0 leaves the sample out), got values from " + min + " to " + max);
        }
        if (min == 1 && max == 1) {
            return null;
        }
        if (!(loss instanceof LossFunctionWrapper<?>)) {
            throw new IllegalArgumentException(where + ": the DataSet's labels mask needs a loss that takes sample weights "
                    + "(a LossFunctionWrapper), got " + loss.name());
        }
        return mask.reshape('c', new long[] {n}).castTo(dtype).dup('c');
    }

    private static boolean allOnes(INDArray a) {
        return a.minNumber().doubleValue() == 1 && a.maxNumber().doubleValue() == 1;
    }

    /** A copy of {@code y} with the labels of samples masked 0 set to 0, a value every built-in loss accepts. */
    private static INDArray withoutMaskedLabels(INDArray y, INDArray mask) {
        double[] m = mask.toDoubleVector();
        INDArray out = null;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                if (out == null) {
                    out = y.dup('c');
                }
                out.reshape('c', y.size(0), y.length() / y.size(0)).getRow(i).assign(0);
            }
        }
        return out == null ? y : out;
    }
}
