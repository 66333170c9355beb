package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.Updates;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adagrad as Keras 3 (adagrad.py): {@code acc += g²}, {@code w -= lr * g / sqrt(acc + epsilon)}.
 * Defaults: lr 0.001, initial accumulator 0.1, epsilon 1e-7.
 *
 * <p>Core's {@link Updates#adagrad} runs the formula (one Java pass for contiguous float32 arrays, otherwise ND4J ops,
 * the same bits). Not libnd4j's fused updater: libnd4j's {@code ada_grad_updater} puts epsilon outside the
 * square root ({@code sqrt(acc) + epsilon}), which the golden cases tell apart.
 */
public class Adagrad extends FluentOptimizer<Adagrad> {
    private double initialAccumulatorValue = 0.1;
    private double epsilon = 1e-7;

    public Adagrad() {
        this(0.001);
    }

    public Adagrad(double learningRate) {
        super("adagrad", learningRate);
    }

    public Adagrad initialAccumulatorValue(double value) {
        this.initialAccumulatorValue = Check.nonNegative(describe(), "initial_accumulator_value", value);
        return this;
    }

    public Adagrad epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "accumulator", initialAccumulatorValue);
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        Updates.adagrad(g, slot(variable, "accumulator"), variable.array(), lr, epsilon);
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("initial_accumulator_value", initialAccumulatorValue, "epsilon", epsilon);
    }
}
