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
        maybeBuild(inputs);
        Tensor normalized;
        if (training && trainable()) {
            int[] axes = new int[inputs.rank() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
            Tensor mean = inputs.mean(true, axes);
            Tensor centered = inputs.sub(mean);
            Tensor variance = centered.square().mean(true, axes);
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
     * Keras weighs the training batch's moments by the mask; that is not implemented, so a masked input in training
     * is refused rather than normalised with the padding's statistics. In inference the moving statistics are used
     * and the mask only passes through, as in Keras.
     */
    @Override
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        if (training && mask != null) {
            throw new IllegalArgumentException(describe() + ": a masked input in training needs the batch moments weighed "
                    + "by the mask (Keras' masked moments), which grad4j does not implement yet; got mask "
                    + org.grad4j.core.Shapes.format(mask.shape()) + " for input " + org.grad4j.core.Shapes.format(inputs.shape())
                    + ". Use LayerNormalization, or drop the mask before this layer");
        }
        return call(inputs, training);
    }
}
