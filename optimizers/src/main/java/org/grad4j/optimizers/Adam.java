package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam as Keras 3 (adam.py): {@code m += (g - m)(1 - beta1)}, {@code v += (g² - v)(1 - beta2)},
 * {@code w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)}: bias correction folded into
 * the rate, epsilon uncorrected. With {@code amsgrad}, {@code vhat = max(vhat, v)} replaces v. Defaults:
 * lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. libnd4j's fused {@code adam_updater} and
 * {@code ams_grad_updater} compute exactly this (t = iteration + 1); core's {@link Updates#adam} and {@link Updates#amsgrad} run it (for
 * contiguous float32 arrays as one Java pass that also updates the weights).
 */
public class Adam extends FluentOptimizer<Adam> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private boolean amsgrad;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        super("adam", learningRate);
    }

    public Adam beta1(double beta1) {
        this.beta1 = Check.fraction(describe(), "beta_1", beta1);
        return this;
    }

    public Adam beta2(double beta2) {
        this.beta2 = Check.fraction(describe(), "beta_2", beta2);
        return this;
    }

    public Adam epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "momentum", 0);
        addSlot(variable, "velocity", 0);
        if (amsgrad) {
            addSlot(variable, "velocity_hat", 0);
        }
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        INDArray m = slot(variable, "momentum");
        INDArray v = slot(variable, "velocity");
        int iteration = (int) Math.min(step - 1, Integer.MAX_VALUE);   // libnd4j raises the betas to iteration + 1
        if (amsgrad) {
            Updates.amsgrad(g, m, v, addSlot(variable, "velocity_hat", 0), variable.array(), lr, beta1, beta2, epsilon,
                    iteration);
        } else {
            Updates.adam(g, m, v, variable.array(), lr, beta1, beta2, epsilon, iteration);
        }
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon, "amsgrad", amsgrad);
    }
}
