package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class GradientCheckTest {

    @Test
    void variablesOfATinyModelPassAndAWrongGradientIsCaught() {
        Variable w = new Variable("w", Nd4j.create(new double[] {0.3, -0.7, 1.1}, new long[] {3, 1}, 'c'));
        Variable b = new Variable("b", Nd4j.create(new double[] {0.2}, new long[] {1}, 'c'));
        Tensor x = Tensor.of(new double[] {1, 2, 3, -1, 0.5, 2}, DataType.DOUBLE, 2, 3);
        double err = GradientCheck.checkVariables(() -> x.matmul(w).add(b).tanh().square().mean(), List.of(w, b));
        assertTrue(err < 1e-6, "error " + err);

        // the same loss through an op with a deliberately wrong backward
        CustomOp wrongSquare = new CustomOp() {
            @Override
            protected org.nd4j.linalg.api.ndarray.INDArray forward(org.nd4j.linalg.api.ndarray.INDArray... in) {
                return in[0].mul(in[0]);
            }

            @Override
            protected Tensor[] backward(Tensor grad, Tensor output, Tensor... in) {
                return new Tensor[] {grad.mul(in[0])}; // should be 2x
            }
        };
        double wrong = GradientCheck.checkVariables(() -> wrongSquare.apply(x.matmul(w).add(b)).mean(), List.of(w, b));
        assertTrue(wrong > 0.1, "error " + wrong);
    }

    @Test
    void float32VariablesAreRefused() {
        Variable w = new Variable("w", Nd4j.ones(DataType.FLOAT, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> GradientCheck.checkVariables(() -> w.sum(), List.of(w)));
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains("float64"), e.getMessage());
    }
}
