package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RMSprop as Keras 3 (rmsprop.py): {@code v = rho v + (1 - rho) g²}; centered, also
 * {@code a = rho a + (1 - rho) g} and the denominator {@code sqrt(v - a² + eps)}, else {@code sqrt(v + eps)};
 * {@code inc = lr g / denominator}; with momentum {@code b = momentum b + inc, w -= b}, else {@code w -= inc}.
 * Defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered.
 *
 * <p>Core's {@link Updates#rmsprop} runs the formula (one Java pass for contiguous float32 arrays, otherwise ND4J ops,
 * the same bits). Not libnd4j's fused updater: libnd4j's {@code rms_prop_updater} puts epsilon outside the
 * square root and has neither momentum nor centering.
 */
public class RMSprop extends FluentOptimizer<RMSprop> {
    private double rho = 0.9;
    private double momentum;
    private double epsilon = 1e-7;
    private boolean centered;

    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        super("rmsprop", learningRate);
    }

    public RMSprop rho(double rho) {
        this.rho = Check.fraction(describe(), "rho", rho);
        return this;
    }

    public RMSprop momentum(double momentum) {
        this.momentum = Check.unitInterval(describe(), "momentum", momentum);
        return this;
    }

    public RMSprop epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "velocity", 0);
        if (momentum > 0) {
            addSlot(variable, "momentum", 0);
        }
        if (centered) {
            addSlot(variable, "average_gradient", 0);
        }
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        INDArray averageGradient = centered ? addSlot(variable, "average_gradient", 0) : null;
        INDArray momentumSlot = momentum > 0 ? addSlot(variable, "momentum", 0) : null;
        Updates.rmsprop(g, slot(variable, "velocity"), averageGradient, momentumSlot, variable.array(), lr, rho, momentum,
                epsilon);
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("rho", rho, "momentum", momentum, "epsilon", epsilon, "centered", centered);
    }
}
