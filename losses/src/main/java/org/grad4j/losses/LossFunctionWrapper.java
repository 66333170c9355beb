package org.grad4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * The part every Keras loss shares, as Keras 3's {@code Loss} + {@code LossFunctionWrapper}: a subclass
 * supplies only the per-sample function; this class casts y_true to y_pred's type, aligns their ranks
 * (a trailing axis of size 1), applies the sample weights (rank-aligned the same way, then broadcast)
 * and the {@link Reduction}. Settings are fluent and return the concrete loss:
 * {@code new BinaryCrossentropy(true).labelSmoothing(0.1).reduction(Reduction.SUM)}.
 *
 * @param <L> the concrete loss, so that fluent setters keep its type
 */
public abstract class LossFunctionWrapper<L extends LossFunctionWrapper<L>> implements Loss {
    private final String defaultName;
    private String name;
    private Reduction reduction = Reduction.SUM_OVER_BATCH_SIZE;

    /** @param name the Keras name, e.g. {@code mean_squared_error} */
    protected LossFunctionWrapper(String name) {
        this.name = requireName(name);
        this.defaultName = name;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Loss: the name must not be empty, got " + (name == null ? "null" : "\"" + name + "\""));
        }
        return name;
    }

    /**
     * The per-sample losses of aligned inputs, Keras' loss function ({@code mean_squared_error}, ...):
     * typically y_pred's shape without its last axis. It checks its inputs itself.
     */
    protected abstract Tensor perSample(Tensor yTrue, Tensor yPred);

    /**
     * y_true cast to y_pred's type and both ranks aligned as Keras' {@code squeeze_or_expand_to_same_rank}
     * (labels {@code [batch]} meet predictions {@code [batch, 1]}), before {@link #perSample} and {@link #mask}.
     * A loss whose labels legitimately have fewer axes may align differently.
     */
    protected Tensor[] align(Tensor yTrue, Tensor yPred) {
        return LossInputs.align(describe(), yTrue, yPred);
    }

    /**
     * Entries of the per-sample losses that count (1) or not (0), as a Keras mask; null: all count. The
     * mean reductions then average over the counted entries only.
     */
    protected Tensor mask(Tensor yTrue, Tensor yPred) {
        return null;
    }

    /** Adds the subclass' own settings to {@link #config()}, under Keras' keys. */
    protected void addConfig(Map<String, Object> config) {
    }

    @Override
    public final Tensor call(Tensor yTrue, Tensor yPred) {
        return call(yTrue, yPred, null);
    }

    /**
     * The reduced loss.
     *
     * @param sampleWeight null, a scalar, or per-sample weights such as {@code [batch]} or {@code [batch, 1]}
     * @return rank 0, except with {@link Reduction#NONE}: the weighted per-sample losses
     */
    @Override
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return call(yTrue, yPred, sampleWeight, null);
    }

    /**
     * The reduced loss with a mask on y_pred, as Keras reads {@code y_pred._keras_mask}: masked entries count
     * for nothing, and the mean reductions average over the rest ({@code apply_mask}), so a masked sample
     * changes neither the value nor the gradient. Values other than 0 and 1 weigh the entries of that mean.
     * A loss with a mask of its own ({@code ignoreClass}) applies both.
     *
     * @param mask null, per-sample ({@code [batch]} or {@code [batch, 1]}, spread over any further axes of
     *             the per-sample losses) or of the per-sample losses' shape; values {@code >= 0}
     */
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        Tensor[] aligned = align(yTrue, yPred);
        Tensor values = perSample(aligned[0], aligned[1]);
        Tensor own = mask(aligned[0], aligned[1]);
        Tensor given = mask == null ? null : spread(mask, values);
        Tensor combined = given == null ? own : own == null ? given : own.mul(given);
        return WeightedReduction.reduce(describe(), values, sampleWeight, combined, reduction);
    }

    /** The mask in the per-sample losses' type and shape: a per-sample one repeated over their further axes. */
    private Tensor spread(Tensor mask, Tensor values) {
        Tensor m = LossInputs.castTo(mask.detach(), values.dataType());
        long[] shape = values.shape();
        if (java.util.Arrays.equals(m.shape(), shape)) {
            return m;
        }
        boolean perSample = shape.length > 0 && m.size() == shape[0]
                && (m.rank() == 1 || m.rank() == 2 && m.shape()[1] == 1);
        if (!perSample) {
            throw new IllegalArgumentException(describe() + ": mask shape " + org.grad4j.core.Shapes.format(mask.shape())
                    + " suits neither the per-sample loss shape " + org.grad4j.core.Shapes.format(shape) + " nor its batch"
                    + (shape.length > 0 ? " (give [" + shape[0] + "] or [" + shape[0] + ", 1])" : ""));
        }
        long[] column = new long[shape.length];
        java.util.Arrays.fill(column, 1);
        column[0] = shape[0];
        return m.reshape(column).broadcastTo(shape);
    }

    @Override
    public String name() {
        return name;
    }

    /** Renames this loss (Keras' {@code name} argument). */
    public L name(String name) {
        this.name = requireName(name);
        return self();
    }

    public Reduction reduction() {
        return reduction;
    }

    /** Sets the reduction; the default is {@link Reduction#SUM_OVER_BATCH_SIZE}. */
    public L reduction(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(describe() + ": reduction must not be null (use Reduction.NONE for "
                    + "per-sample losses)");
        }
        this.reduction = reduction;
        return self();
    }

    /** Keras' {@code get_config()}: name, reduction and the loss' own settings. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("reduction", reduction.kerasName());
        addConfig(config);
        return config;
    }

    /**
     * For error messages: the class name, plus the name when it was changed, e.g.
     * {@code CategoricalCrossentropy} or {@code my_loss (CategoricalCrossentropy)}.
     */
    protected String describe() {
        String type = getClass().getSimpleName();
        return name.equals(defaultName) ? type : name + " (" + type + ")";
    }

    @SuppressWarnings("unchecked")
    protected final L self() {
        return (L) this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + config();
    }
}
