package org.grad4j.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' LayerNormalization: {@code (x - mean) / sqrt(var + epsilon) * gamma + beta}, with the mean and the biased
 * variance taken per sample jointly over {@code axis} (default the last), epsilon 1e-3 (Keras' default, not
 * PyTorch's 1e-5). {@code gamma} (ones) and {@code beta} (zeros) have the input's sizes along those axes.
 */
public class LayerNormalization extends Layer {
    private final int[] axisGiven;
    private int[] axes;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer gammaInitializer = Initializers.ones();
    private Initializer betaInitializer = Initializers.zeros();
    private Regularizer gammaRegularizer;
    private Regularizer betaRegularizer;
    private Variable gamma;
    private Variable beta;

    /** Over the last axis. */
    public LayerNormalization() {
        this(-1);
    }

    /** Over {@code axis} jointly (negative counts from the end; the batch axis 0 is allowed, as in Keras). */
    public LayerNormalization(int... axis) {
        if (axis.length == 0) {
            throw invalidArgument("LayerNormalization: axis must name at least one axis");
        }
        this.axisGiven = axis.clone();
        inputSpec(InputSpec.atLeastRank(1));
    }

    public LayerNormalization epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(describe() + ": epsilon must be a finite value > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    /** Whether to add {@code beta} (default true). */
    public LayerNormalization center(boolean center) {
        requireNotBuilt("center");
        this.center = center;
        return this;
    }

    /** Whether to multiply by {@code gamma} (default true). */
    public LayerNormalization scale(boolean scale) {
        requireNotBuilt("scale");
        this.scale = scale;
        return this;
    }

    public LayerNormalization gammaInitializer(Initializer initializer) {
        requireNotBuilt("gammaInitializer");
        this.gammaInitializer = Objects.requireNonNull(initializer, "gammaInitializer");
        return this;
    }

    public LayerNormalization betaInitializer(Initializer initializer) {
        requireNotBuilt("betaInitializer");
        this.betaInitializer = Objects.requireNonNull(initializer, "betaInitializer");
        return this;
    }

    public LayerNormalization gammaRegularizer(Regularizer regularizer) {
        requireNotBuilt("gammaRegularizer");
        this.gammaRegularizer = regularizer;
        return this;
    }

    public LayerNormalization betaRegularizer(Regularizer regularizer) {
        requireNotBuilt("betaRegularizer");
        this.betaRegularizer = regularizer;
        return this;
    }

    @Override
    public LayerNormalization name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public LayerNormalization dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    public Variable gamma() {
        return gamma;
    }

    public Variable beta() {
        return beta;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        int rank = inputShape.length;
        int[] canonical = new int[axisGiven.length];
        for (int i = 0; i < axisGiven.length; i++) {
            int a = axisGiven[i] < 0 ? axisGiven[i] + rank : axisGiven[i];
            if (a < 0 || a >= rank) {
                throw new IllegalArgumentException(describe() + ": axis " + Arrays.toString(axisGiven)
                        + " is out of range for input shape " + Shapes.format(inputShape));
            }
            canonical[i] = a;
        }
        canonical = Arrays.stream(canonical).sorted().distinct().toArray();
        long[] paramShape = new long[canonical.length];
        for (int i = 0; i < canonical.length; i++) {
            paramShape[i] = inputShape[canonical[i]];
            if (paramShape[i] <= 0) {
                throw new IllegalArgumentException(describe() + ": the input's size along axis " + canonical[i]
                        + " must be known to build, got shape " + Shapes.format(inputShape));
            }
        }
        gamma = scale ? addWeight("gamma", paramShape, gammaInitializer, true, gammaRegularizer) : null;
        beta = center ? addWeight("beta", paramShape, betaInitializer, true, betaRegularizer) : null;
        Map<Integer, Long> fixed = new java.util.HashMap<>();
        for (int i = 0; i < canonical.length; i++) {
            fixed.put(canonical[i], paramShape[i]);
        }
        axes = canonical;
        inputSpec(new InputSpec(rank, rank, fixed, "(normalized over axes " + Arrays.toString(canonical) + ")"));
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        Tensor centered = inputs.sub(inputs.mean(true, axes));
        Tensor variance = centered.square().mean(true, axes);
        Tensor out = centered.div(variance.add(epsilon).sqrt());
        long[] broadcast = new long[inputs.rank()];
        Arrays.fill(broadcast, 1);
        for (int a : axes) {
            broadcast[a] = inputs.shape()[a];
        }
        if (scale) {
            out = out.mul(gamma.reshape(broadcast));
        }
        if (center) {
            out = out.add(beta.reshape(broadcast));
        }
        return out;
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        // Keras reports the axis as given until build, then as the sorted non-negative list
        int[] shown = axes != null ? axes : axisGiven;
        config.put("axis", axes == null && shown.length == 1 ? (Object) shown[0] : ConvArguments.list(shown));
        config.put("epsilon", epsilon);
        config.put("center", center);
        config.put("scale", scale);
        config.put("beta_initializer", Initializers.serialize(betaInitializer));
        config.put("gamma_initializer", Initializers.serialize(gammaInitializer));
        config.put("beta_regularizer", Regularizers.serialize(betaRegularizer));
        config.put("gamma_regularizer", Regularizers.serialize(gammaRegularizer));
        config.put("beta_constraint", null);
        config.put("gamma_constraint", null);
        return config;
    }

    static LayerNormalization fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("LayerNormalization.fromConfig", config);
        Object axis = config.get("axis");
        int[] axes;
        if (axis == null) {
            axes = new int[] {-1};
        } else if (axis instanceof List<?>) {
            axes = Arrays.stream(read.wholes("axis")).mapToInt(Math::toIntExact).toArray();
        } else {
            axes = new int[] {read.integer("axis")};
        }
        LayerNormalization layer = new LayerNormalization(axes).epsilon(read.number("epsilon", 1e-3))
                .center(read.bool("center", true)).scale(read.bool("scale", true))
                .gammaRegularizer(Regularizers.deserialize(config.get("gamma_regularizer")))
                .betaRegularizer(Regularizers.deserialize(config.get("beta_regularizer")));
        if (config.get("gamma_initializer") != null) {
            layer.gammaInitializer(Initializers.deserialize(config.get("gamma_initializer")));
        }
        if (config.get("beta_initializer") != null) {
            layer.betaInitializer(Initializers.deserialize(config.get("beta_initializer")));
        }
        return layer;
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
