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

    /** Adapt reads the data in slices of rows of at most this many values, to bound their float64 copy. */
    private static final long ADAPT_SLICE_VALUES = 1 << 20;

    private final int[] axis;
    private final INDArray fixedMean;
    private final INDArray fixedVariance;
    private boolean invert;

    // set by build
    private KeptAxes axes;
    private Variable mean;
    private Variable variance;
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
            double[] m = mean.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] v = variance.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int i = 0; i < m.length; i++) {
                if (!Double.isFinite(m[i]) || !(v[i] >= 0) || Double.isInfinite(v[i])) {
                    throw invalidArgument("Normalization: the mean must be finite and the variance finite and >= 0, got "
                            + "mean " + m[i] + " and variance " + v[i] + " at index " + i);
                }
            }
            this.fixedMean = mean.castTo(DataType.DOUBLE).dup('c');
            this.fixedVariance = variance.castTo(DataType.DOUBLE).dup('c');
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
        return axes.statistics(weight != null ? weight.array() : axes.broadcast(fixed, describe()));
    }

    // ---------------------------------------------------------------- build

    @Override
    public void build(long... inputShape) {
        KeptAxes resolved = KeptAxes.of(axis, inputShape, describe() + ".build");
        if (fixedMean != null) {
            resolved.broadcast(fixedMean, describe() + ".build");   // fails here, as Keras' build does, if it cannot
        }
        axes = resolved;
        if (fixedMean == null) {
            mean = addWeight("mean", resolved.statShape, Initializers.zeros(), false);
            variance = addWeight("variance", resolved.statShape, Initializers.ones(), false);
            // Keras 3 keeps an int scalar "count" for older saved models and counts it as a parameter
            addWeight("count", new long[0], DataType.LONG, Initializers.zeros(), false);
        }
        Map<Integer, Long> sizes = new HashMap<>();
        for (int d : resolved.keep) {
            sizes.put(d, inputShape[d]);
        }
        inputSpec(new InputSpec(inputShape.length, inputShape.length, sizes,
                "(mean " + Shapes.format(resolved.statShape) + ")"));
        super.build(inputShape);
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
            INDArray m = mean != null ? KeptAxes.reshape(mean.array(), axes.broadcastShape) : axes.broadcast(fixedMean, describe());
            INDArray v = variance != null ? KeptAxes.reshape(variance.array(), axes.broadcastShape)
                    : axes.broadcast(fixedVariance, describe());
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
        RunningMoments moments = new RunningMoments(adaptAxes(data.shape(), "the data"), ADAPT_SLICE_VALUES);
        moments.add(data);
        return store(moments, data.shape());
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
        KeptAxes firstAxes = adaptAxes(first.shape(), "batch 0");
        RunningMoments moments = new RunningMoments(firstAxes, ADAPT_SLICE_VALUES);
        moments.add(first);
        for (int i = 1; it.hasNext(); i++) {
            INDArray batch = it.next();
            if (batch == null) {
                throw new IllegalArgumentException(describe() + ".adapt: batch " + i + " is null");
            }
            if (!firstAxes.sameKeptSizes(batch.shape())) {
                throw new IllegalArgumentException(describe() + ".adapt: batch " + i + " has shape "
                        + Shapes.format(batch.shape()) + " but batch 0 had " + Shapes.format(first.shape())
                        + "; the kept axes " + Arrays.toString(firstAxes.keep) + " must agree");
            }
            requireValues(firstAxes, batch.shape(), "batch " + i);
            moments.add(batch);
        }
        return store(moments, first.shape());
    }

    /** The axes of adapting data of {@code shape}, checked against the layer (built or not) first. */
    private KeptAxes adaptAxes(long[] shape, String what) {
        String where = describe() + ".adapt";
        if (fixedMean != null) {
            throw new IllegalArgumentException(where + ": the layer was created with a fixed mean and variance; "
                    + "adapt() is for a layer created without them");
        }
        if (isBuilt() && !axes.sameKeptSizes(shape)) {
            throw new IllegalArgumentException(where + ": " + what + " has shape " + Shapes.format(shape) + " but the "
                    + "layer was built for input shape " + Shapes.format(axes.inputShape) + " (mean "
                    + Shapes.format(axes.statShape) + ")");
        }
        KeptAxes resolved = KeptAxes.of(axis, shape, where);
        requireValues(resolved, shape, what);
        return resolved;
    }

    private void requireValues(KeptAxes resolved, long[] shape, String what) {
        if (resolved.isEmpty(shape)) {
            throw new IllegalArgumentException(describe() + ".adapt: " + what + " is empty: shape " + Shapes.format(shape));
        }
    }

    /** Checks the statistics, builds the layer if needed and only then assigns them. */
    private Normalization store(RunningMoments moments, long[] dataShape) {
        double[] m = moments.meanValues();
        double[] v = moments.varianceValues();
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i]) || !Double.isFinite(v[i])) {
                throw new IllegalArgumentException(describe() + ".adapt: the data has NaN or infinite values (statistic "
                        + i + ": mean " + m[i] + ", variance " + v[i] + "); nothing was changed");
            }
        }
        if (!isBuilt()) {
            build(dataShape);
        }
        mean.assign(moments.mean().castTo(dtype()));
        variance.assign(moments.variance().castTo(dtype()));
        return this;
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
                if (wholes[i] != (int) wholes[i]) {
                    throw new IllegalArgumentException(owner + ": axis " + wholes[i] + " is not an int, got "
                            + read.raw("axis"));
                }
                axes[i] = (int) wholes[i];
            }
        }
        INDArray mean = read.has("mean") ? ConfigArrays.fromNested(read.raw("mean"), owner, "mean") : null;
        INDArray variance = read.has("variance") ? ConfigArrays.fromNested(read.raw("variance"), owner, "variance") : null;
        return new Normalization(axes, mean, variance).invert(read.bool("invert", false));
    }

    /** As Keras' {@code supports_masking = True}: each value is normalised on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
