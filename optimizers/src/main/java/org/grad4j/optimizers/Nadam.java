package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nadam as Keras 3 (nadam.py): Adam's m and v with a momentum schedule
 * {@code u_t = beta1 (1 - 0.5 * 0.96^t)} whose running product advances once per step, then
 * {@code m_hat = u_{t+1} m / (1 - u_product u_{t+1}) + (1 - u_t) g / (1 - u_product)},
 * {@code v_hat = v / (1 - beta2^t)}, {@code w -= lr m_hat / (sqrt(v_hat) + epsilon)}.
 * Defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
 *
 * <p>Core's {@link Updates#nadam} runs the formula (one Java pass for contiguous float32 arrays, otherwise ND4J ops,
 * the same bits). Not libnd4j's fused updater: libnd4j's {@code nadam_updater} has no momentum schedule and no
 * bias correction of v.
 */
public class Nadam extends FluentOptimizer<Nadam> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    public Nadam() {
        this(0.001);
    }

    public Nadam(double learningRate) {
        super("nadam", learningRate);
    }

    public Nadam beta1(double beta1) {
        this.beta1 = Check.fraction(describe(), "beta_1", beta1);
        return this;
    }

    public Nadam beta2(double beta2) {
        this.beta2 = Check.fraction(describe(), "beta_2", beta2);
        return this;
    }

    public Nadam epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addOptimizerVariable("u_product", 1.0);
        addSlot(variable, "momentum", 0);
        addSlot(variable, "velocity", 0);
    }

    @Override
    protected void beforeUpdates(long step) {
        INDArray uProduct = addOptimizerVariable("u_product", 1.0);
        uProduct.putScalar(0, uProduct.getDouble(0) * u(step));
    }

    private double u(long step) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, step));
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        double uProduct = addOptimizerVariable("u_product", 1.0).getDouble(0);   // already includes u_t
        double uNext = u(step + 1);
        // mHat = (1 - u_t) / (1 - prod u) g + u_{t+1} / (1 - prod u * u_{t+1}) m; vHat = v / (1 - beta2^t)
        Updates.nadam(g, slot(variable, "momentum"), slot(variable, "velocity"), variable.array(), lr, beta1, beta2,
                epsilon, (1 - u(step)) / (1 - uProduct), uNext / (1 - uProduct * uNext), 1 - Math.pow(beta2, step));
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }
}
