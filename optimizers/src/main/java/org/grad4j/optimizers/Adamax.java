package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adamax as Keras 3 (adamax.py): {@code m += (g - m)(1 - beta1)}, {@code u = max(beta2 u, |g|)}
 * (a NaN in either stays NaN, as NumPy's maximum),
 * {@code w -= lr m / ((1 - beta1^t)(u + epsilon))}. Defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
 *
 * <p>Core's {@link Updates#adamax} runs the formula (one Java pass for contiguous float32 arrays, otherwise ND4J ops,
 * the same bits). Not libnd4j's fused updater: libnd4j's {@code ada_max_updater} adds a fixed 1e-32 to u
 * instead of epsilon, so a large epsilon (a golden case) would be ignored.
 */
public class Adamax extends FluentOptimizer<Adamax> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    public Adamax() {
        this(0.001);
    }

    public Adamax(double learningRate) {
        super("adamax", learningRate);
    }

    public Adamax beta1(double beta1) {
        this.beta1 = Check.fraction(describe(), "beta_1", beta1);
        return this;
    }

    public Adamax beta2(double beta2) {
        this.beta2 = Check.fraction(describe(), "beta_2", beta2);
        return this;
    }

    public Adamax epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "momentum", 0);
        addSlot(variable, "norm", 0);
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        Updates.adamax(g, slot(variable, "momentum"), slot(variable, "norm"), variable.array(), beta1, beta2, epsilon,
                lr / (1 - Math.pow(beta1, step)));
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }
}
