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
 * runs over the others only. With {@link #axis(int)} the classes lie along another axis of y_pred and the
 * labels have y_pred's shape without that axis, as in Keras: y_pred {@code [batch, classes, steps]} with
 * {@code axis(1)} takes labels {@code [batch, steps]}.
 */
public class SparseCategoricalCrossentropy extends LossFunctionWrapper<SparseCategoricalCrossentropy> {
    private static final String LOSS = "SparseCategoricalCrossentropy";
    private final boolean fromLogits;
    private Integer ignoreClass;
    private int axis = -1;

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

    /**
     * The class axis of y_pred; -1 (the last) by default. The labels have y_pred's shape without it (or with
     * size 1 there).
     */
    public SparseCategoricalCrossentropy axis(int axis) {
        this.axis = axis;
        return this;
    }

    /** Integer class labels: the predictions' shape without the class axis (or with it as 1), ids in range. */
    @Override
    public void validateLabels(String where, long[] y, long[] p, Tensor yTrue) {
        if (p.length == 0) {
            return;
        }
        String loss = getClass().getSimpleName();
        // the class axis may be another than the last (axis(1) on [batch, classes, steps]); labels lack it
        int classAxis = Math.max(0, Math.min(p.length - 1, axis < 0 ? axis + p.length : axis));   // out of range: call() says so
        long classes = p[classAxis];
        boolean indices = y.length == p.length - 1 || y.length == p.length && y[classAxis] == 1;
        if (!indices) {
            long[] expected = new long[p.length - 1];
            for (int d = 0, j = 0; d < p.length; d++) {
                if (d != classAxis) {
                    expected[j++] = p[d];
                }
            }
            throw new IllegalArgumentException(where + ": " + loss + " needs integer class labels of shape "
                    + Shapes.format(expected) + ", got y of shape " + Shapes.format(y)
                    + (Arrays.equals(y, p) ? "; for one-hot labels use CategoricalCrossentropy" : ""));
        }
        double min = yTrue.array().minNumber().doubleValue();
        double max = yTrue.array().maxNumber().doubleValue();
        if (min < 0 || max >= classes) {
            throw new IllegalArgumentException(where + ": " + loss + " got class labels from " + min + " to " + max
                    + " but the model outputs " + classes + " classes (labels must be 0 .. " + (classes - 1) + ")");
        }
    }

    public int axis() {
        return axis;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    public Integer ignoreClass() {
        return ignoreClass;
    }

    /** Keras' {@code sparse_categorical_crossentropy} with the classes along the last axis. */
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits, Integer ignoreClass) {
        return sparseCategoricalCrossentropy(yTrue, yPred, fromLogits, ignoreClass, -1);
    }

    /**
     * Keras' {@code sparse_categorical_crossentropy}.
     *
     * @param yTrue integer class indices in {@code [0, classes)} (or {@code ignoreClass}), shape
     *              {@code yPred}'s without {@code axis}, optionally with that axis kept with size 1
     * @param yPred probabilities, or logits when {@code fromLogits}; e.g. {@code [batch, classes]}
     * @param ignoreClass a label whose entries get loss 0 (and gradient 0), or null
     * @param axis  the class axis of {@code yPred}, -1 for the last
     * @return {@code yPred}'s shape without {@code axis}, e.g. {@code [batch]}
     */
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits, Integer ignoreClass,
            int axis) {
        Tensor[] in = align(yTrue, yPred, axis);
        Tensor x = in[1];
        LossInputs.requireAxis(LOSS, x);
        int a = classAxis(x, axis);
        long[] labelsShape = labelsShape(in[0], x, yTrue.shape(), a);
        // the labels' values read as the tensor holds them: the INDArray's toDoubleVector copies through an ND4J op
        Tensor oneHot = oneHot(in[0].toDoubleArray(), labelsShape, x.shape(), a, ignoreClass, x.dataType());
        // an ignored entry has an all-zero row: its loss and gradient are exactly 0 in both forms
        return fromLogits ? FusedCrossEntropy.softmaxWithLogits(oneHot, x, a)
                : CategoricalCrossentropy.ofProbabilities(oneHot, x, a);
    }

    /**
     * y_true in y_pred's type; with the classes on the last axis also Keras' rank alignment ({@code [batch]}
     * meets {@code [batch, 1]}). With another class axis the labels already have one axis fewer, and the
     * alignment could squeeze a trailing axis of size 1 off y_pred and so move the class axis: skipped.
     */
    private static Tensor[] align(Tensor yTrue, Tensor yPred, int axis) {
        boolean lastAxis = axis == -1 || yPred == null || axis == yPred.rank() - 1;
        if (lastAxis || yTrue == null || yPred.rank() == 0 || !yPred.dataType().isFPType()) {
            return LossInputs.align(LOSS, yTrue, yPred);   // also its checks and their messages
        }
        return new Tensor[] {LossInputs.castTo(yTrue, yPred.dataType()), yPred};
    }

    private static int classAxis(Tensor yPred, int axis) {
        try {
            return Shapes.normalizeAxis(LOSS, axis, yPred.rank());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LOSS + ": class axis " + axis + " is out of range for y_pred shape "
                    + Shapes.format(yPred.shape()), e);
        }
    }

    /**
     * The labels' shape, y_pred's without the class axis {@code axis} (the labels may have it kept with size 1,
     * which is then squeezed), or a clear error.
     */
    private static long[] labelsShape(Tensor aligned, Tensor yPred, long[] originalShape, int axis) {
        long[] p = yPred.shape();
        long[] labels = aligned.shape();
        long[] expected = without(p, axis);
        long[] kept = p.clone();
        kept[axis] = 1;
        if (Arrays.equals(labels, kept)) {
            labels = expected;
        }
        if (!Arrays.equals(labels, expected)) {
            boolean last = axis == p.length - 1;
            String message = LOSS + ": y_true shape " + Shapes.format(originalShape) + " does not match y_pred shape "
                    + Shapes.format(p) + "; it expects integer class indices of shape " + Shapes.format(expected)
                    + " (or " + Shapes.format(kept) + ")" + (last ? "" : " for class axis " + axis);
            if (Arrays.equals(originalShape, p) && p[axis] > 1) {
                message += ". y_true has y_pred's shape, so it looks one-hot encoded: use CategoricalCrossentropy";
            }
            throw new IllegalArgumentException(message);
        }
        return expected;
    }

    private static long[] without(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != axis) {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    /**
     * Checks every label, then builds the one-hot targets of y_pred's shape and type, the classes along
     * {@code axis}: label {@code i} (row-major over the other axes) is {@code outer * inner + in}, its
     * one-hot entry {@code (outer * classes + label) * inner + in}.
     */
    private static Tensor oneHot(double[] values, long[] labelsShape, long[] predShape, int axis, Integer ignoreClass,
            DataType type) {
        long classes = predShape[axis];
        long inner = 1;
        for (int d = axis + 1; d < predShape.length; d++) {
            inner *= predShape[d];
        }
        long[] shape = predShape;
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
                        + format(v) + " at y_true" + Shapes.format(indexOf(i, labelsShape))
                        + (v >= classes && v == Math.rint(v) ? " (y_pred has " + classes + " classes)" : ""));
            }
            hot[i] = (int) v;
        }
        int size = Math.toIntExact(values.length * classes);
        if (type == DataType.FLOAT) {
            float[] data = new float[size];
            for (int i = 0; i < hot.length; i++) {
                if (hot[i] >= 0) {
                    data[hotIndex(i, hot[i], classes, inner)] = 1;
                }
            }
            return Tensor.of(data, shape);   // small-backed where Java loops compute the loss: no ND4J array
        }
        double[] data = new double[size];
        for (int i = 0; i < hot.length; i++) {
            if (hot[i] >= 0) {
                data[hotIndex(i, hot[i], classes, inner)] = 1;
            }
        }
        INDArray out = Nd4j.create(data, shape, DataType.DOUBLE);
        return Tensor.of(type == DataType.DOUBLE ? out : out.castTo(type));
    }

    private static int hotIndex(long label, int value, long classes, long inner) {
        return (int) (((label / inner) * classes + value) * inner + label % inner);
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
        return sparseCategoricalCrossentropy(yTrue, yPred, fromLogits, ignoreClass, axis);
    }

    /** Keras' rank alignment only when the classes are on the last axis (see {@link #align(Tensor, Tensor, int)}). */
    @Override
    protected Tensor[] align(Tensor yTrue, Tensor yPred) {
        return align(yTrue, yPred, axis);
    }

    /** With an ignored class, the entries whose label is another one. */
    @Override
    protected Tensor mask(Tensor yTrue, Tensor yPred) {
        if (ignoreClass == null) {
            return null;
        }
        INDArray labels = yTrue.array().reshape('c', labelsShape(yTrue, yPred, yTrue.shape(), classAxis(yPred, axis)));
        return Tensor.of(labels.neq(ignoreClass).castTo(yPred.dataType()));
    }

    @Override
    protected void addConfig(Map<String, Object> config) {
        config.put("from_logits", fromLogits);
        config.put("ignore_class", ignoreClass);
        config.put("axis", axis);
    }
}
