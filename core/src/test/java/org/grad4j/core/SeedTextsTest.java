package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The numbers of the PyTorch and TensorFlow texts grad4j grew from. */
class SeedTextsTest {

    @Test
    void squareAtFourHasGradientEight() {
        Tensor x = Tensor.scalar(4f).requiresGrad(true);
        Tensor y = x.mul(x);
        y.backward();
        assertEquals(8f, x.grad().item(), 0f);
    }

    @Test
    void cubeGradientsAccumulateWithoutZeroGrad() {
        Tensor x = Tensor.scalar(5f).requiresGrad(true);
        Tensor y = x.pow(3);
        float[] seen = new float[3];
        for (int i = 0; i < 3; i++) {
            y.backward(true);
            seen[i] = x.grad().item();
        }
        assertEquals(75f, seen[0], 1e-4f);
        assertEquals(150f, seen[1], 1e-4f);
        assertEquals(225f, seen[2], 1e-4f);
    }

    @Test
    void cubeGradientsWithZeroGradBetweenStayAt75() {
        Tensor x = Tensor.scalar(5f).requiresGrad(true);
        Tensor y = x.pow(3);
        for (int i = 0; i < 3; i++) {
            y.backward(true);
            assertEquals(75f, x.grad().item(), 1e-4f);
            x.zeroGrad();
        }
    }

    @Test
    void derivativeOfXToTheSixthAtFiveIs18750() {
        Tensor x = Tensor.scalar(5f).requiresGrad(true);
        x.pow(6).backward();
        assertEquals(18750f, x.grad().item(), 1e-2f);
    }

    @Test
    void persistentTapeOverTwoAffineMaps() {
        Tensor x = Tensor.scalar(1f);
        Tensor w1 = Tensor.scalar(2f);
        Tensor b1 = Tensor.scalar(1f);
        Tensor w2 = Tensor.scalar(2f);
        Tensor b2 = Tensor.scalar(1f);
        Tensor y1;
        Tensor y2;
        GradientTape tape = GradientTape.persistent();
        try (tape) {
            tape.watch(w1, b1, w2, b2);
            y1 = x.mul(w1).add(b1);
            y2 = y1.mul(w2).add(b2);
        }
        assertEquals(3f, y1.item());
        assertEquals(7f, y2.item());
        assertEquals(2f, tape.gradient(y2, y1).item());
        assertEquals(1f, tape.gradient(y1, w1).item());
        assertEquals(2f, tape.gradient(y2, w1).item());
    }

    @Test
    void nestedTapesGiveSecondDerivativeOfCube() {
        Tensor x = Tensor.scalar(2f);
        Tensor dy;
        GradientTape outer = GradientTape.open();
        try (outer) {
            outer.watch(x);
            GradientTape inner = GradientTape.open();
            try (inner) {
                inner.watch(x);
                Tensor y = x.pow(3);
                dy = inner.gradient(y, x);
            }
        }
        assertEquals(12f, dy.item(), 1e-5f);
        assertEquals(12f, outer.gradient(dy, x).item(), 1e-5f);
    }
}
