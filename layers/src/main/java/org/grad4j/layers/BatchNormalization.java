package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' BatchNormalization over the last axis: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}.
 * In training the mean and (biased) variance are the batch's, over every axis but the last, and the
 * moving statistics are updated in place: {@code moving = moving * momentum + batch * (1 - momentum)}.
 * In inference, and whenever the layer is frozen (as Keras 3 does for fine-tuning), the moving
 * statistics are used. Weights: gamma (ones) and beta (zeros), trainable; moving_mean (zeros) and
 * moving_variance (ones), non-trainable; each {@code [features]}.
 */
public class BatchNormalization extends Layer {
    /** Keras' {@code backend.epsilon()}, added to the masked moments' weight sum. */
    private static final double KERAS_EPSILON = 1e-7;
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Variable gamma;
    private Variable beta;
    private Variable movingMean;
    private Variable movingVariance;

    public BatchNormalization() {
        inputSpec(InputSpec.atLeastRank(2));
    }

    /** Weight of the old moving statistics in each update, in [0, 1]; Keras' default 0.99. */
    public BatchNormalization momentum(double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(describe() + ": momentum must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    /** Added to the variance before the square root; Keras' default 1e-3. */
    public BatchNormalization epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(describe() + ": epsilon must be a finite value > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    /** Whether to add the learned offset beta. */
    public BatchNormalization center(boolean center) {
        requireNotBuilt("center");
        this.center = center;
        return this;
    }

    /** Whether to multiply by the learned scale gamma. */
    public BatchNormalization scale(boolean scale) {
        requireNotBuilt("scale");
        this.scale = scale;
        return this;
    }

    @Override
    public BatchNormalization name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public BatchNormalization dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return epsilon;
    }

    public Variable gamma() {
        return gamma;
    }

    public Variable beta() {
        return beta;
    }

    public Variable movingMean() {
        return movingMean;
    }

    public Variable movingVariance() {
        return movingVariance;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        long features = inputShape[inputShape.length - 1];
        if (features <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's last dimension must be known to build, got shape "
                    + Shapes.format(inputShape));
        }
        long[] shape = {features};
        gamma = scale ? addWeight("gamma", shape, Initializers.ones(), true) : null;
        beta = center ? addWeight("beta", shape, Initializers.zeros(), true) : null;
        movingMean = addWeight("moving_mean", shape, Initializers.zeros(), false);
        movingVariance = addWeight("moving_variance", shape, Initializers.ones(), false);
        inputSpec(InputSpec.lastDimension(2, features, "(moving_mean " + Shapes.format(shape) + ")"));
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        return normalize(inputs, null, training);
    }

    private Tensor normalize(Tensor inputs, Tensor mask, boolean training) {
        maybeBuild(inputs);
        Tensor normalized;
        if (training && trainable()) {
            int[] axes = new int[inputs.rank() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
            Tensor mean;
            Tensor variance;
            Tensor centered;
            if (mask == null) {
                mean = inputs.mean(true, axes);
                centered = inputs.sub(mean);
                variance = centered.square().mean(true, axes);
            } else {
                // Keras' masked moments: each real step weighs 1, a masked one 0 (plus Keras' epsilon 1e-7 below)
                Tensor w = Tensor.of(Masks.bool(mask).castTo(inputs.dataType())).expandDims(-1);
                Tensor weighted = inputs.mul(w);
                Tensor count = w.sum(true, axes).add(KERAS_EPSILON);
                mean = weighted.sum(true, axes).div(count);
                variance = w.mul(weighted.sub(mean).square()).sum(true, axes).div(count);
                centered = inputs.sub(mean);
            }
            normalized = centered.div(variance.add(epsilon).sqrt());
            updateMoving(movingMean, mean.array());
            updateMoving(movingVariance, variance.array());
        } else {
            normalized = inputs.sub(movingMean).div(movingVariance.add(epsilon).sqrt());
        }
        Tensor scaled = scale ? normalized.mul(gamma) : normalized;
        return center ? scaled.add(beta) : scaled;
    }

    /** {@code moving = moving * momentum + batch * (1 - momentum)}, in place and unrecorded. */
    private void updateMoving(Variable moving, INDArray batch) {
        INDArray update = batch.reshape(moving.shape()).mul(1.0 - momentum);
        moving.array().muli(momentum).addi(update);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("axis", -1);
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("center", center);
        config.put("scale", scale);
        return config;
    }

    static BatchNormalization fromConfig(Map<String, Object> config) {
        String owner = "BatchNormalization.fromConfig";
        ConfigReader read = new ConfigReader(owner, config);
        int axis = read.integer("axis", -1);
        if (axis != -1) {
            throw new IllegalArgumentException(owner + ": only axis -1 is supported, got " + axis);
        }
        return new BatchNormalization()
                .momentum(read.number("momentum", 0.99))
                .epsilon(read.number("epsilon", 1e-3))
                .center(read.bool("center", true))
                .scale(read.bool("scale", true));
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /**
     * Keras' {@code call(inputs, training, mask)}: in training the batch's moments are weighed by the mask
     * ({@code [batch, ...]}, the input's shape without the features), so padded steps leave the statistics alone;
     * in inference the moving statistics serve and the mask only passes through.
     */
    @Override
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        if (mask != null) {
            long[] expected = java.util.Arrays.copyOf(inputs.shape(), inputs.rank() - 1);
            if (!java.util.Arrays.equals(mask.shape(), expected)) {
                throw new IllegalArgumentException(describe() + ": the mask must have the input's shape without the "
                        + "features, " + Shapes.format(expected) + " for input " + Shapes.format(inputs.shape()) + ", got "
                        + Shapes.format(mask.shape()));
            }
        }
        return normalize(inputs, mask, training);
    }
}
