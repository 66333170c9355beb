package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Nesterov momentum has no golden case: checked against Keras' formula, re-stated in doubles. */
class SGDTest {

    @Test
    void nesterovFollowsKerasFormula() {
        double lr = 0.1;
        double mu = 0.9;
        double[] gradients = {1.0, -0.5, 2.0, 0.25, -1.5};
        double w = 1.0;
        double v = 0.0;
        SGD sgd = new SGD(lr, mu, true);
        Variable variable = new Variable("w", Nd4j.scalar(DataType.FLOAT, 1.0));
        for (double g : gradients) {
            v = mu * v - lr * g;          // sgd.py: m = m * momentum - g * lr
            w = w + mu * v - lr * g;      // nesterov: w += m * momentum - g * lr
            sgd.applyGradients(List.of(Tensor.scalar((float) g)), List.of(variable));
            assertEquals(w, variable.itemDouble(), 1e-6);
            assertEquals(v, sgd.variables().get(1).itemDouble(), 1e-6);
        }
    }

    @Test
    void withoutMomentumThereIsNoSlotAndNesterovDoesNothing() {
        SGD sgd = new SGD(0.5, 0.0, true);
        Variable w = new Variable("w", Nd4j.scalar(DataType.FLOAT, 1.0));
        sgd.applyGradients(List.of(Tensor.scalar(1f)), List.of(w));
        assertEquals(0.5, w.itemDouble(), 1e-7);
        assertEquals(List.of("SGD/iteration"), sgd.variables().stream().map(Variable::name).toList());
    }
}
