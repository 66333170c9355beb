package org.grad4j.data;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A table of samples: {@code features} float32 {@code [N, d]}, {@code labels} float32 {@code [N]} (class ids
 * 0..k-1 for a classification table, or the label column's numbers), the feature names ({@code d} of them) and
 * the class names in id order (empty when the labels are numbers).
 */
public record Table(INDArray features, INDArray labels, List<String> featureNames, List<String> classNames) {
    public Table {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
    }

    /** The number of samples, N. */
    public long size() {
        return features.size(0);
    }

    /** The rows as a {@link Dataset}: x {@code [d]} float32, y the class id (a scalar); see {@link #toDataset(LabelMode)}. */
    public Dataset toDataset() {
        return toDataset(LabelMode.INT);
    }

    /**
     * The rows as a {@link Dataset}: x {@code [d]} float32; y the label as a scalar ({@link LabelMode#INT}) or one-hot
     * {@code [k]} ({@link LabelMode#CATEGORICAL}, k the number of class names, or the largest id + 1 when the labels
     * are numbers, which must then be whole and non-negative). A table without labels gives elements without y.
     */
    public Dataset toDataset(LabelMode mode) {
        if (labels.length() == 0 && size() > 0) {
            if (mode == LabelMode.CATEGORICAL) {
                throw new DatasetException("Table.toDataset: one-hot labels asked for, but the table has no label column");
            }
            return Dataset.fromArrays(features);
        }
        return Dataset.fromArrays(features, mode == LabelMode.CATEGORICAL ? oneHotLabels() : labels);
    }

    /** The labels one-hot, {@code [N, k]} float32. */
    public INDArray oneHotLabels() {
        float[] ids = labels.toFloatVector();
        int k = classNames.size();
        for (int i = 0; i < ids.length; i++) {
            float id = ids[i];
            if (id < 0 || id != Math.rint(id) || (k > 0 && id >= k)) {
                throw new DatasetException("Table: label " + id + " of row " + i + " (counted from 0) is not a class id "
                        + (k > 0 ? "0.." + (k - 1) : "(a whole number >= 0)") + "; one-hot labels need class ids");
            }
        }
        if (k == 0) {
            for (float id : ids) {
                k = Math.max(k, (int) id + 1);
            }
        }
        float[] hot = new float[ids.length * k];
        for (int i = 0; i < ids.length; i++) {
            hot[i * k + (int) ids[i]] = 1;
        }
        return Nd4j.create(hot, new long[] {ids.length, k}, DataType.FLOAT);
    }
}
