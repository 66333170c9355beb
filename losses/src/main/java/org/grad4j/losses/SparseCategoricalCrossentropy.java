package org.grad4j.losses;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' {@code SparseCategoricalCrossentropy}: the categorical cross-entropy for integer class indices
 * ({@code [batch]} or {@code [batch, 1]} against y_pred {@code [batch, classes]}), which saves one-hot
 * encoding the labels. With {@link #ignoreClass(Integer)}, entries of that label get loss 0 and the mean
 * runs over the others only.
 */
public class SparseCategoricalCrossentropy extends LossFunctionWrapper<SparseCategoricalCrossentropy> {
    private static final String LOSS = "SparseCategoricalCrossentropy";
    private final boolean fromLogits;
    private Integer ignoreClass;

    /** y_pred holds probabilities (e.g. a softmax output). */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    /** @param fromLogits true when y_pred holds logits (no softmax applied), the stable choice */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        super("sparse_categorical_crossentropy");
        this.fromLogits = fromLogits;
    }

    /** A label to leave out of the loss and its mean (e.g. -1 or 255 for "void" pixels); null: none. */
    public SparseCategoricalCrossentropy ignoreClass(Integer ignoreClass) {
        this.ignoreClass = ignoreClass;
        return this;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public Integer ignoreClass() {
        return ignoreClass;
    }

    /**
     * Keras' {@code sparse_categorical_crossentropy} (class axis -1).
     *
     * @param yTrue integer class indices in {@code [0, classes)} (or {@code ignoreClass}), shape
     *              {@code yPred}'s without its last axis, optionally with a trailing axis of size 1
     * @param yPred probabilities, or logits when {@code fromLogits}; e.g. {@code [batch, classes]}
     * @param ignoreClass a label whose entries get loss 0 (and gradient 0), or null
     * @return {@code yPred}'s shape without the last axis, e.g. {@code [batch]}
     */
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits, Integer ignoreClass) {
        Tensor[] in = LossInputs.align(LOSS, yTrue, yPred);
        Tensor x = in[1];
        LossInputs.requireAxis(LOSS, x);
        INDArray labels = labels(in[0], x, yTrue.shape());
        int last = x.rank() - 1;
        Tensor oneHot = Tensor.of(oneHot(labels, x.shape()[last], ignoreClass, x.dataType()));
        // an ignored entry has an all-zero row: its loss and gradient are exactly 0 in both forms
        return fromLogits ? FusedCrossEntropy.softmaxWithLogits(oneHot, x, last)
                : CategoricalCrossentropy.ofProbabilities(oneHot, x, last);
    }

    /** The labels as {@code yPred.shape[:-1]}, after squeezing a trailing axis of size 1. */
    private static INDArray labels(Tensor aligned, Tensor yPred, long[] originalShape) {
        long[] p = yPred.shape();
        INDArray labels = aligned.array();
        long[] l = labels.shape();
        if (l.length == p.length && l[l.length - 1] == 1) {
            labels = labels.reshape('c', Arrays.copyOf(l, l.length - 1));
        }
        long[] expected = Arrays.copyOf(p, p.length - 1);
        if (!Arrays.equals(labels.shape(), expected)) {
            String message = LOSS + ": y_true shape " + Shapes.format(originalShape) + " does not match y_pred shape "
                    + Shapes.format(p) + "; it expects integer class indices of shape " + Shapes.format(expected)
                    + " (or " + Shapes.format(RankAlignment.withTrailingOne(expected)) + ")";
            if (Arrays.equals(originalShape, p) && p[p.length - 1] > 1) {
                message += ". y_true has y_pred's shape, so it looks one-hot encoded: use CategoricalCrossentropy";
            }
            throw new IllegalArgumentException(message);
        }
        return labels;
    }

    /** Checks every label, then builds the one-hot targets in y_pred's data type. */
    private static INDArray oneHot(INDArray labels, long classes, Integer ignoreClass, DataType type) {
        double[] values = labels.reshape('c', new long[] {labels.length()}).toDoubleVector();
        long[] shape = RankAlignment.withTrailingOne(labels.shape());
        shape[shape.length - 1] = classes;
        int[] hot = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (ignoreClass != null && v == ignoreClass) {
                hot[i] = -1;
                continue;
            }
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                throw new IllegalArgumentException(LOSS + ": labels must be integer class indices in [0, " + classes
                        + ")" + (ignoreClass != null ? " or the ignored class " + ignoreClass : "") + "; got "
                        + format(v) + " at y_true" + Shapes.format(indexOf(i, labels.shape()))
                        + (v >= classes && v == Math.rint(v) ? " (y_pred has " + classes + " classes)" : ""));
            }
            hot[i] = (int) v;
        }
        int size = Math.toIntExact(values.length * classes);
        if (type == DataType.FLOAT) {
            float[] data = new float[size];
            for (int i = 0; i < hot.length; i++) {
                if (hot[i] >= 0) {
                    data[(int) (i * classes) + hot[i]] = 1;
                }
            }
            return Nd4j.create(data, shape, DataType.FLOAT);
        }
        double[] data = new double[size];
        for (int i = 0; i < hot.length; i++) {
            if (hot[i] >= 0) {
                data[(int) (i * classes) + hot[i]] = 1;
            }
        }
        INDArray out = Nd4j.create(data, shape, DataType.DOUBLE);
        return type == DataType.DOUBLE ? out : out.castTo(type);
    }

    private static String format(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The multi-index of a row-major flat index. */
    private static long[] indexOf(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    @Override
    protected Tensor perSample(Tensor yTrue, Tensor yPred) {
        return sparseCategoricalCrossentropy(yTrue, yPred, fromLogits, ignoreClass);
    }

    /** With an ignored class, the entries whose label is another one. */
    @Override
    protected Tensor mask(Tensor yTrue, Tensor yPred) {
        if (ignoreClass == null) {
            return null;
        }
        INDArray labels = labels(yTrue, yPred, yTrue.shape());
        return Tensor.of(labels.neq(ignoreClass).castTo(yPred.dataType()));
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("from_logits", fromLogits);
        config.put("ignore_class", ignoreClass);
        config.put("axis", -1);
    }
}
