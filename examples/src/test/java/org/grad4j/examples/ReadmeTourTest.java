package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The README's tour, verbatim, so that it keeps compiling and keeps its numbers. */
class ReadmeTourTest {

    @Test
    void pytorchStyle() {
        Tensor x = Tensor.scalar(5f).requiresGrad(true);
        Tensor y = x.pow(3);           // y.gradFn() is PowBackward
        y.backward(true);              // x.grad() == 75
        y.backward(true);              // gradients accumulate: 150
        x.zeroGrad();                  // back to 0
        y.backward();                  // 75 again; the graph is freed now
        assertEquals("PowBackward", y.gradFn().name());
        assertEquals(75f, x.grad().item(), 1e-4f);
    }

    @Test
    void tensorflowStyle() {
        Tensor xs = Tensor.of(new float[] {-1, 0, 1, 2}, 4, 1);
        Tensor ys = Tensor.of(new float[] {-3, -1, 1, 3}, 4, 1);       // y = 2x - 1
        Variable w = new Variable("w", Nd4j.zeros(DataType.FLOAT, 1, 1));
        Variable b = new Variable("b", Nd4j.zeros(DataType.FLOAT, 1));
        for (int step = 0; step < 500; step++) {
            GradientTape tape = GradientTape.open();
            Tensor loss;
            try (tape) {                                   // trainable Variables are watched
                loss = xs.matmul(w).add(b).sub(ys).square().mean();
            }
            List<Tensor> grads = tape.gradient(loss, List.of(w, b));
            try (NoGrad scope = NoGrad.enter()) {
                w.assign(w.sub(grads.get(0).mul(0.1)));
                b.assign(b.sub(grads.get(1).mul(0.1)));
            }
        }
        assertEquals(2f, w.item(), 1e-3f);
        assertEquals(-1f, b.item(), 1e-3f);
    }
}
