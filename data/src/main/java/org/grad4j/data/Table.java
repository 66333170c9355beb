package org.grad4j.data;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

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
}
