package org.grad4j.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras 3's Normalization: {@code (inputs - mean) / max(sqrt(variance), 1e-7)}, or with {@link #invert(boolean)}
 * the way back, {@code mean + inputs * max(sqrt(variance), 1e-7)}. There is one mean and variance per index of
 * the kept axes ({@code axis}, default -1: per feature of {@code [batch, features]}); with no axis
 * ({@code new Normalization(new int[0])}, Keras' {@code axis=None}) one scalar mean and variance for everything.
 *
 * <p>The statistics are either given ({@code new Normalization(3.0, 2.0)}; they go into the config, and the
 * layer has no weights) or learned by {@link #adapt(INDArray)} before training: the mean and population
 * variance over every axis but the kept ones. Adapted, they are non-trainable weights {@code mean} and
 * {@code variance} (shape: the kept axes' sizes) beside Keras 3's int64 scalar {@code count} (kept, as Keras
 * keeps it, for older saved models; it stays 0), so a layer adapted to F features has 2F + 1 parameters, as
 * Keras' summary counts them. They are saved and loaded with the model and, being non-trainable, stay as they are
 * in {@code fit}.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();
 * norm.adapt(xTrain);                                   // [N, 9] -> 9 means and variances
 * Sequential model = new Sequential(new InputLayer(9), norm, new Dense(1));
 * }</pre>
 */
public class Normalization extends Layer {
    /**
     * Keras' backend epsilon: the floor of the standard deviation, so that a constant feature (variance 0)
     * maps to 0 instead of NaN.
     */
    public static final double EPSILON = 1e-7;

    /** Rows of at most this many values are read at a time by {@link #adapt(INDArray)}, to bound the float64 copy. */
    private static final long ADAPT_CHUNK_VALUES = 1 << 20;

    private final int[] axis;
    private final INDArray fixedMean;
    private final INDArray fixedVariance;
    private boolean invert;

    // set by build
    private long[] buildShape;
    private int[] reduceAxes;
    private long[] broadcastShape;
    private long[] statShape;
    private Variable mean;
    private Variable variance;
    private Variable count;
    private volatile Broadcast broadcast;

    /** The statistics of the kept axes, shaped to broadcast against the input, as of the weights' versions. */
    private record Broadcast(long meanVersion, long varianceVersion, DataType type, Tensor mean, Tensor std) {
    }

    /** To be adapted, with a mean and variance per index of the last axis. */
    public Normalization() {
        this(new int[] {-1}, null, null);
    }

    /** To be adapted, with a mean and variance per index of {@code axis} (may be negative: -1 is the last). */
    public Normalization(int axis) {
        this(new int[] {axis}, null, null);
    }

    /**
     * To be adapted, with a mean and variance per index of the kept {@code axes}; no axes means one scalar mean
     * and variance (Keras' {@code axis=None}).
     */
    public Normalization(int[] axes) {
        this(axes, null, null);
    }

    /** With a fixed scalar mean and variance (Keras' {@code Normalization(mean=3., variance=2.)}); no adapt needed. */
    public Normalization(double mean, double variance) {
        this(new int[] {-1}, Nd4j.scalar(mean), Nd4j.scalar(variance));
    }

    /** With a fixed mean and variance per index of the last axis; no adapt needed. */
    public Normalization(double[] mean, double[] variance) {
        this(new int[] {-1}, mean == null ? null : Nd4j.createFromArray(mean.clone()),
                variance == null ? null : Nd4j.createFromArray(variance.clone()));
    }

    /**
     * The general form: kept {@code axes} (empty: Keras' {@code axis=None}) and either no statistics (null, null:
     * {@link #adapt} them) or a fixed mean and variance of the same shape, of rank at most the number of axes,
     * broadcast onto the kept axes from the right as Keras does ({@code [F]} onto {@code [H, W, F]}'s last axis).
     */
    public Normalization(int[] axes, INDArray mean, INDArray variance) {
        Objects.requireNonNull(axes, "Normalization: axes is null; pass new int[0] for Keras' axis=None");
        this.axis = axes.clone();
        for (int i = 0; i < axis.length; i++) {
            for (int j = 0; j < i; j++) {
                if (axis[i] == axis[j]) {
                    throw invalidArgument("Normalization: axis " + axis[i] + " is given twice in " + Arrays.toString(axis));
                }
            }
        }
        if ((mean == null) != (variance == null)) {
            throw invalidArgument("Normalization: mean and variance must be given together, got mean "
                    + (mean == null ? "null" : Shapes.format(mean.shape())) + " and variance "
                    + (variance == null ? "null" : Shapes.format(variance.shape())));
        }
        if (mean != null) {
            if (!Arrays.equals(mean.shape(), variance.shape())) {
                throw invalidArgument("Normalization: mean and variance must have the same shape, got mean "
                        + Shapes.format(mean.shape()) + " and variance " + Shapes.format(variance.shape()));
            }
            if (mean.rank() > axis.length) {
                throw invalidArgument("Normalization: the rank of mean (shape " + Shapes.format(mean.shape()) + ") must be "
                        + "at most the number of axes " + Arrays.toString(axis));
            }
            double[] m = mean.castTo(DataType.DOUBLE).data().asDouble();
            double[] v = variance.castTo(DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < m.length; i++) {
                if (!Double.isFinite(m[i]) || !(v[i] >= 0) || Double.isInfinite(v[i])) {
                    throw invalidArgument("Normalization: the mean must be finite and the variance finite and >= 0, got "
                            + "mean " + m[i] + " and variance " + v[i] + " at index " + i);
                }
            }
            this.fixedMean = mean.castTo(DataType.DOUBLE).dup();
            this.fixedVariance = variance.castTo(DataType.DOUBLE).dup();
        } else {
            this.fixedMean = null;
            this.fixedVariance = null;
        }
    }

    /** Whether the layer maps normalized values back ({@code mean + inputs * std}); default false. */
    public Normalization invert(boolean invert) {
        this.invert = invert;
        return this;
    }

    public boolean invert() {
        return invert;
    }

    /** The kept axes as given (empty: Keras' {@code axis=None}). */
    public int[] axis() {
        return axis.clone();
    }

    @Override
    public Normalization name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Normalization dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    /** Whether the statistics are known: given at construction, adapted, or loaded into the weights. */
    public boolean isAdapted() {
        return fixedMean != null || mean != null && (mean.version() > 0 || variance.version() > 0);
    }

    /** The mean per index of the kept axes (float64 copy), or null before the layer is built. */
    public INDArray mean() {
        return statistic(mean, fixedMean);
    }

    /** The variance per index of the kept axes (float64 copy), or null before the layer is built. */
    public INDArray variance() {
        return statistic(variance, fixedVariance);
    }

    private INDArray statistic(Variable weight, INDArray fixed) {
        if (!isBuilt()) {
            return null;
        }
        INDArray value = weight != null ? weight.array() : fixed(fixed);
        return reshape(value.castTo(DataType.DOUBLE).dup('c'), statShape);
    }

    // ---------------------------------------------------------------- build

    @Override
    public void build(long... inputShape) {
        int[] keep = keepAxes(inputShape, "build");
        long[] stats = new long[keep.length];
        for (int i = 0; i < keep.length; i++) {
            stats[i] = inputShape[keep[i]];
        }
        long[] broadcasted = new long[inputShape.length];
        Arrays.fill(broadcasted, 1);
        int[] reduce = new int[inputShape.length - keep.length];
        for (int d = 0, r = 0, k = 0; d < inputShape.length; d++) {
            if (k < keep.length && keep[k] == d) {
                broadcasted[d] = inputShape[d];
                k++;
            } else {
                reduce[r++] = d;
            }
        }
        buildShape = inputShape.clone();
        reduceAxes = reduce;
        broadcastShape = broadcasted;
        statShape = stats;
        if (fixedMean != null) {
            fixed(fixedMean);   // fails here, as Keras' build does, if the given statistics do not broadcast
        } else {
            mean = addWeight("mean", stats, Initializers.zeros(), false);
            variance = addWeight("variance", stats, Initializers.ones(), false);
            count = addWeight("count", new long[0], DataType.LONG, Initializers.zeros(), false);
        }
        Map<Integer, Long> sizes = new HashMap<>();
        for (int d : keep) {
            sizes.put(d, inputShape[d]);
        }
        inputSpec(new InputSpec(inputShape.length, inputShape.length, sizes, "(mean " + Shapes.format(stats) + ")"));
        super.build(inputShape);
    }

    /** The kept axes for inputs of {@code shape}, counted from 0 and sorted; each must exist and have a known size. */
    private int[] keepAxes(long[] shape, String where) {
        int rank = shape.length;
        int[] keep = new int[axis.length];
        for (int i = 0; i < axis.length; i++) {
            if (axis[i] < -rank || axis[i] >= rank) {
                throw new IllegalArgumentException(describe() + "." + where + ": axis " + Arrays.toString(axis)
                        + " must lie in [-rank, rank) for inputs of rank " + rank + ", got shape " + Shapes.format(shape));
            }
            keep[i] = axis[i] < 0 ? axis[i] + rank : axis[i];
        }
        Arrays.sort(keep);
        for (int i = 0; i < keep.length; i++) {
            if (i > 0 && keep[i] == keep[i - 1]) {
                throw new IllegalArgumentException(describe() + "." + where + ": axis " + Arrays.toString(axis)
                        + " names axis " + keep[i] + " twice for inputs of shape " + Shapes.format(shape));
            }
            if (shape[keep[i]] < 0) {
                throw new IllegalArgumentException(describe() + "." + where + ": kept axis " + keep[i] + " must have a "
                        + "known size, got shape " + Shapes.format(shape) + " (axis " + Arrays.toString(axis) + ")");
            }
        }
        return keep;
    }

    /** A given statistic broadcast to the input's rank, its dimensions aligned to the kept axes from the right. */
    private INDArray fixed(INDArray statistic) {
        long[] expanded = new long[broadcastShape.length];
        Arrays.fill(expanded, 1);
        int[] keep = keepAxes(buildShape, "build");
        long[] given = statistic.shape();
        for (int i = 1; i <= given.length; i++) {
            int d = keep[keep.length - i];
            long size = given[given.length - i];
            if (size != 1 && size != broadcastShape[d]) {
                throw new IllegalArgumentException(describe() + ".build: the given mean and variance of shape "
                        + Shapes.format(given) + " do not broadcast to the kept axes' sizes " + Shapes.format(statShape)
                        + " of input shape " + Shapes.format(buildShape));
            }
            expanded[d] = size;
        }
        return reshape(statistic, expanded).broadcast(broadcastShape);
    }

    private static INDArray reshape(INDArray a, long[] shape) {
        if (Arrays.equals(a.shape(), shape)) {
            return a;
        }
        return shape.length == 0 ? Nd4j.scalar(a.dataType(), a.getDouble(0)) : a.reshape(shape);
    }

    /** A first call on a layer to be adapted fails before it builds anything: it cannot have statistics yet. */
    @Override
    protected void buildForInput(long[] batchShape) {
        if (fixedMean == null) {
            throw notAdapted();
        }
        super.buildForInput(batchShape);
    }

    private IllegalStateException notAdapted() {
        return new IllegalStateException(describe() + ": the layer has no statistics yet; call adapt(data) before "
                + "using it, or create it with a mean and variance");
    }

    // ---------------------------------------------------------------- call

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        if (!isAdapted()) {
            throw notAdapted();
        }
        maybeBuild(inputs);
        Broadcast b = broadcast(inputs.dataType());
        return invert ? inputs.mul(b.std).add(b.mean) : inputs.sub(b.mean).div(b.std);
    }

    /**
     * The mean and floored standard deviation in the input's type and broadcast shape, recomputed only when the
     * weights were assigned since (adapt, a load), as Keras' {@code finalize_state} does. Made outside any ND4J
     * workspace: a training step's workspace is reused by the next step, and these outlive it.
     */
    private Broadcast broadcast(DataType type) {
        long meanVersion = mean == null ? 0 : mean.version();
        long varianceVersion = variance == null ? 0 : variance.version();
        Broadcast b = broadcast;
        if (b != null && b.type == type && b.meanVersion == meanVersion && b.varianceVersion == varianceVersion) {
            return b;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray m = mean != null ? reshape(mean.array(), broadcastShape) : fixed(fixedMean);
            INDArray v = variance != null ? reshape(variance.array(), broadcastShape) : fixed(fixedVariance);
            // float64 first: sqrt rounded to float32 from float64 equals float32's own correctly rounded sqrt
            INDArray std = Transforms.max(Transforms.sqrt(v.castTo(DataType.DOUBLE), true), EPSILON, false);
            b = new Broadcast(meanVersion, varianceVersion, type, Tensor.of(m.castTo(type).dup()),
                    Tensor.of(std.castTo(type).dup()));
        }
        broadcast = b;
        return b;
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return inputShape.clone();
    }

    // ---------------------------------------------------------------- adapt

    /**
     * Keras' {@code adapt}: sets the mean and population variance of {@code data} over every axis but the kept
     * ones, building the layer for {@code data}'s shape if it is not built. Large data is read in slices of rows.
     *
     * @throws IllegalArgumentException for a layer with given statistics, data whose kept axes differ from the
     *     built layer's, empty data, or data with NaN or infinite values; nothing changes then
     */
    public Normalization adapt(INDArray data) {
        Objects.requireNonNull(data, () -> describe() + ".adapt: the data is null");
        AdaptPlan plan = plan(data.shape(), "adapt: the data");
        RunningMoments moments = new RunningMoments(plan.reduce, plan.stats);
        long rowValues = data.rank() == 0 ? 1 : data.length() / Math.max(1, data.size(0));
        boolean sliceRows = data.rank() > 0 && plan.reducesAxis0() && data.length() > ADAPT_CHUNK_VALUES;
        if (!sliceRows) {
            moments.add(data);
        } else {
            long rows = Math.max(1, ADAPT_CHUNK_VALUES / Math.max(1, rowValues));
            for (long start = 0; start < data.size(0); start += rows) {
                moments.add(rowSlice(data, start, Math.min(data.size(0), start + rows)));
            }
        }
        return store(moments, data.shape(), "adapt");
    }

    /**
     * Keras' {@code adapt} on batches (each batch one array; the kept axes the same in all): the statistics of
     * all of them together, combined exactly as Keras combines them, one batch in memory at a time.
     *
     * @throws IllegalArgumentException as {@link #adapt(INDArray)}, and for no batches or a batch whose shape
     *     does not match the first one's; nothing changes then
     */
    public Normalization adapt(Iterable<INDArray> batches) {
        Objects.requireNonNull(batches, () -> describe() + ".adapt: the batches are null");
        Iterator<INDArray> it = batches.iterator();
        if (!it.hasNext()) {
            throw new IllegalArgumentException(describe() + ".adapt: no batches; pass at least one array");
        }
        INDArray first = Objects.requireNonNull(it.next(), () -> describe() + ".adapt: batch 0 is null");
        AdaptPlan plan = plan(first.shape(), "adapt: batch 0");
        RunningMoments moments = new RunningMoments(plan.reduce, plan.stats);
        moments.add(first);
        for (int i = 1; it.hasNext(); i++) {
            INDArray batch = it.next();
            if (batch == null) {
                throw new IllegalArgumentException(describe() + ".adapt: batch " + i + " is null");
            }
            plan.checkSameKeptAxes(batch.shape(), first.shape(), i);
            requireValues(batch.shape(), plan.reduce, "adapt: batch " + i);
            moments.add(batch);
        }
        return store(moments, first.shape(), "adapt");
    }

    /** What adapting data of {@code shape} reduces over, checked against the layer (built or not) first. */
    private AdaptPlan plan(long[] shape, String what) {
        if (fixedMean != null) {
            throw new IllegalArgumentException(describe() + ".adapt: the layer was created with a fixed mean and "
                    + "variance; adapt() is for a layer created without them");
        }
        if (isBuilt()) {
            boolean same = shape.length == buildShape.length;
            int[] keep = same ? keepAxes(buildShape, "adapt") : new int[0];
            for (int d : keep) {
                same &= shape[d] == buildShape[d];
            }
            if (!same) {
                throw new IllegalArgumentException(describe() + "." + what + " has shape " + Shapes.format(shape)
                        + " but the layer was built for input shape " + Shapes.format(buildShape) + " (mean "
                        + Shapes.format(statShape) + ")");
            }
        }
        int[] keep = keepAxes(shape, "adapt");
        int[] reduce = new int[shape.length - keep.length];
        long[] stats = new long[keep.length];
        for (int d = 0, r = 0, k = 0; d < shape.length; d++) {
            if (k < keep.length && keep[k] == d) {
                stats[k++] = shape[d];
            } else {
                reduce[r++] = d;
            }
        }
        requireValues(shape, reduce, what);
        return new AdaptPlan(keep, reduce, stats);
    }

    private void requireValues(long[] shape, int[] reduce, String what) {
        for (int d : reduce) {
            if (shape[d] == 0) {
                throw new IllegalArgumentException(describe() + "." + what + " is empty: shape " + Shapes.format(shape));
            }
        }
    }

    /** Kept axes, reduced axes and the statistics' shape of one adapt call. */
    private record AdaptPlan(int[] keep, int[] reduce, long[] stats) {
        boolean reducesAxis0() {
            return reduce.length > 0 && reduce[0] == 0;
        }

        void checkSameKeptAxes(long[] shape, long[] firstShape, int index) {
            boolean same = shape.length == firstShape.length;
            for (int i = 0; same && i < keep.length; i++) {
                same = shape[keep[i]] == firstShape[keep[i]];
            }
            if (!same) {
                throw new IllegalArgumentException("Normalization.adapt: batch " + index + " has shape "
                        + Shapes.format(shape) + " but batch 0 had " + Shapes.format(firstShape) + "; the kept axes "
                        + Arrays.toString(keep) + " must agree");
            }
        }
    }

    /** Checks the statistics, builds the layer if needed and only then assigns them. */
    private Normalization store(RunningMoments moments, long[] dataShape, String where) {
        double[] m = moments.mean().data().asDouble();
        double[] v = moments.variance().data().asDouble();
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i]) || !Double.isFinite(v[i])) {
                throw new IllegalArgumentException(describe() + "." + where + ": the data has NaN or infinite values "
                        + "(statistic " + i + ": mean " + m[i] + ", variance " + v[i] + "); nothing was changed");
            }
        }
        if (!isBuilt()) {
            build(dataShape);
        }
        mean.assign(reshape(moments.mean(), statShape).castTo(dtype()));
        variance.assign(reshape(moments.variance(), statShape).castTo(dtype()));
        return this;
    }

    private static INDArray rowSlice(INDArray data, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[data.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return data.get(index);
    }

    // ---------------------------------------------------------------- config

    /** Keras' keys: {@code axis} (a list), {@code invert}, {@code mean} and {@code variance} (null when adapted). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("axis", Arrays.stream(axis).boxed().toList());
        config.put("invert", invert);
        config.put("mean", fixedMean == null ? null : ConfigArrays.toNested(fixedMean));
        config.put("variance", fixedVariance == null ? null : ConfigArrays.toNested(fixedVariance));
        return config;
    }

    static Normalization fromConfig(Map<String, Object> config) {
        String owner = "Normalization.fromConfig";
        ConfigReader read = new ConfigReader(owner, config);
        // Keras 3 writes a list ([] for axis=None); Keras 2 a number or null
        int[] axes;
        if (!read.containsKey("axis")) {
            axes = new int[] {-1};
        } else if (!read.has("axis")) {
            axes = new int[0];
        } else if (read.raw("axis") instanceof Number) {
            axes = new int[] {read.integer("axis")};
        } else {
            long[] wholes = read.wholes("axis");
            axes = new int[wholes.length];
            for (int i = 0; i < wholes.length; i++) {
                if (wholes[i] < -64 || wholes[i] > 64) {
                    throw new IllegalArgumentException(owner + ": axis " + wholes[i] + " is out of range, got "
                            + read.raw("axis"));
                }
                axes[i] = (int) wholes[i];
            }
        }
        INDArray mean = read.has("mean") ? ConfigArrays.fromNested(read.raw("mean"), owner, "mean") : null;
        INDArray variance = read.has("variance") ? ConfigArrays.fromNested(read.raw("variance"), owner, "variance") : null;
        return new Normalization(axes, mean, variance).invert(read.bool("invert", false));
    }
}
