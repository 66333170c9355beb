package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Centered RMSprop with momentum has no golden case: checked against Keras' formula, re-stated in doubles. */
class RMSpropTest {

    @Test
    void centeredWithMomentumFollowsKerasFormula() {
        double lr = 0.01;
        double rho = 0.9;
        double momentum = 0.5;
        double eps = 1e-7;
        double[] gradients = {1.0, -0.5, 2.0, 0.25, -1.5};
        double w = 1.0;
        double v = 0;
        double a = 0;
        double b = 0;
        RMSprop rms = new RMSprop(lr).momentum(momentum).centered(true);
        Variable variable = new Variable("w", Nd4j.scalar(DataType.FLOAT, 1.0));
        for (double g : gradients) {
            v = rho * v + (1 - rho) * g * g;
            a = rho * a + (1 - rho) * g;
            double increment = lr * g / Math.sqrt(v - a * a + eps);
            b = momentum * b + increment;
            w -= b;
            rms.applyGradients(List.of(Tensor.scalar((float) g)), List.of(variable));
            assertEquals(w, variable.itemDouble(), 1e-6);
        }
        assertEquals(List.of("rmsprop/iteration", "rmsprop/velocity/w", "rmsprop/momentum/w", "rmsprop/average_gradient/w"),
                rms.variables().stream().map(Variable::name).toList());
    }
}
