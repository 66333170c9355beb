package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdaDeltaUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adadelta as Keras 3 (adadelta.py): {@code Eg = rho Eg + (1 - rho) g²},
 * {@code delta = -sqrt(Ex + eps) g / sqrt(Eg + eps)}, {@code Ex = rho Ex + (1 - rho) delta²},
 * {@code w += lr * delta}. Defaults: lr 0.001 (Keras', not the paper's 1.0), rho 0.95, epsilon 1e-7.
 *
 * <p>libnd4j's fused {@code ada_delta_updater} computes {@code -delta} and both accumulators with
 * epsilon inside both roots, exactly as Keras; it has no learning rate, so the step scales by lr after.
 */
public class Adadelta extends FluentOptimizer<Adadelta> {
    private double rho = 0.95;
    private double epsilon = 1e-7;

    public Adadelta() {
        this(0.001);
    }

    public Adadelta(double learningRate) {
        super("adadelta", learningRate);
    }

    public Adadelta rho(double rho) {
        this.rho = Check.fraction(describe(), "rho", rho);
        return this;
    }

    public Adadelta epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "accumulated_grad", 0);
        addSlot(variable, "accumulated_delta_var", 0);
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        INDArray accumulatedGrad = slot(variable, "accumulated_grad");
        INDArray accumulatedDelta = slot(variable, "accumulated_delta_var");
        Nd4j.exec(new AdaDeltaUpdater(g, accumulatedGrad, accumulatedDelta, rho, epsilon));   // g <- -delta
        variable.array().subi(g.muli(lr));
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("rho", rho, "epsilon", epsilon);
    }
}
