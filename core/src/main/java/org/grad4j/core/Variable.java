package org.grad4j.core;

import java.util.Arrays;
import org.apache.commons.lang3.Validate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named, mutable state, usable wherever a {@link Tensor} is. A trainable variable is a leaf that
 * requires grad, so every op on it is recorded and every open tape sees it; optimizers update it in
 * place with {@link #assign}.
 */
public class Variable extends Tensor {
    private final String name;
    private boolean trainable;
    private long version;

    public Variable(String name, INDArray initialValue, boolean trainable) {
        super(initialValue);
        Validate.isTrue(name != null && !name.isBlank(), "Variable: a name is required");
        this.name = name;
        this.trainable = trainable;
        this.requiresGrad = trainable;
    }

    /** A trainable variable. */
    public Variable(String name, INDArray initialValue) {
        this(name, initialValue, true);
    }

    /**
     * A trainable variable holding {@code values} in row-major order (no shape means a vector), of the
     * {@link Tensor#defaultFloatType()}: {@code new Variable("w", new double[] {0.5, -1}, 2, 1)} is a float32
     * {@code [2, 1]} variable unless the default was changed. An {@code INDArray} given to the other constructors
     * keeps its own type (ND4J makes float64 arrays from Java doubles).
     */
    public Variable(String name, double[] values, long... shape) {
        this(name, Tensor.of(values, shape).copyArray(), true);
    }

    public String name() {
        return name;
    }

    public boolean trainable() {
        return trainable;
    }

    /** Freezes or unfreezes the variable; a frozen one is not recorded unless a tape watches it. */
    public void trainable(boolean trainable) {
        this.trainable = trainable;
        this.requiresGrad = trainable;
    }

    @Override
    public Tensor requiresGrad(boolean requires) {
        trainable(requires);
        return this;
    }

    /** Copies {@code value} into this variable's array (same shape required). */
    public Variable assign(INDArray value) {
        Validate.isTrue(Arrays.equals(value.shape(), array().shape()),
                "Variable %s: cannot assign a value of shape %s to a variable of shape %s", name,
                Shapes.format(value.shape()), Shapes.format(array().shape()));
        array().assign(value);
        version++;
        return this;
    }

    /**
     * How many times {@link #assign} has replaced the value (PyTorch's {@code _version}): 0 for a fresh
     * variable. An owner that derives state from the value (Normalization's broadcast statistics) compares it
     * to know whether its copy is stale, and whether the value was ever set since creation (adapted, or
     * loaded from a file). Writes into {@link #array()} in place, as optimizer updates do, are not counted.
     */
    public long version() {
        return version;
    }

    /** Copies a tensor's value into this variable. */
    public Variable assign(Tensor value) {
        return assign(value.array());
    }

    /** A snapshot of the current value, untracked. */
    public Tensor value() {
        return Tensor.of(array().dup());
    }

    @Override
    public String toString() {
        return "Variable(" + name + " " + Shapes.format(shape()) + " " + dataType() + (trainable ? "" : ", non-trainable") + ")";
    }
}
