package org.grad4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One element of a {@link Dataset}, as Keras' {@code fit} takes them: features {@code x}, labels {@code y} (null
 * when there are none, as for {@code predict}) and per-sample weights (null for none).
 *
 * <p>Before {@link Dataset#batch(int)} an element is one sample, without a batch axis (an image {@code [28, 28]},
 * its label a scalar); after it, a batch with the samples stacked along a new first axis.
 */
public record Element(INDArray x, INDArray y, INDArray sampleWeight) {
    public Element {
        if (x == null) {
            throw new IllegalArgumentException("Element: x (the features) must not be null");
        }
    }

    /** Features and labels, no weights. */
    public Element(INDArray x, INDArray y) {
        this(x, y, null);
    }

    /** This element with {@code x} replaced, as a {@code map} over the features does. */
    public Element withX(INDArray newX) {
        return new Element(newX, y, sampleWeight);
    }
}
