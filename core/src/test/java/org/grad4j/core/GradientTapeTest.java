package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The TensorFlow door: tapes, watching, one-shot and persistent, unconnected sources. */
class GradientTapeTest {

    @Test
    void gradientInsideTheBlock() {
        Tensor x = Tensor.scalar(3f);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.square();
            assertEquals(6f, tape.gradient(y, x).item());
        }
    }

    @Test
    void constantsMustBeWatched() {
        Tensor x = Tensor.scalar(3f);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            y = x.square();
        }
        assertNull(tape.gradient(y, x));
    }

    @Test
    void watchingTracksOnlyWhileTheTapeIsOpen() {
        Tensor x = Tensor.scalar(3f);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
        }
        assertNull(x.square().gradFn());
    }

    @Test
    void trainableVariablesAreWatchedAutomatically() {
        Variable w = new Variable("w", Nd4j.createFromArray(2f, 3f));
        Variable frozen = new Variable("f", Nd4j.createFromArray(1f, 1f), false);
        Tensor x = Tensor.of(new float[] {1, 10});
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = x.mul(w).add(frozen).sum();
        }
        List<Tensor> grads = tape.gradient(loss, List.of(w, frozen));
        assertArrayEquals(new float[] {1, 10}, grads.get(0).toFloatArray());
        assertNull(grads.get(1));
    }

    @Test
    void unconnectedSourcesGiveNullOrZeros() {
        Tensor x = Tensor.scalar(3f);
        Tensor z = Tensor.of(new float[] {1, 2});
        GradientTape tape = GradientTape.persistent();
        Tensor y;
        try (tape) {
            tape.watch(x, z);
            y = x.square();
        }
        assertNull(tape.gradient(y, z));
        Tensor zero = tape.gradient(y, z, UnconnectedGradients.ZERO);
        assertArrayEquals(new long[] {2}, zero.shape());
        assertArrayEquals(new float[] {0, 0}, zero.toFloatArray());
    }

    @Test
    void secondGradientOnOneShotTapeThrows() {
        Tensor x = Tensor.scalar(3f);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = x.square();
        }
        tape.gradient(y, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));
        assertTrue(e.getMessage().contains("persistent"), e.getMessage());
    }

    @Test
    void persistentTapeAnswersRepeatedly() {
        Tensor x = Tensor.scalar(3f);
        GradientTape tape = GradientTape.persistent();
        Tensor y;
        Tensor z;
        try (tape) {
            tape.watch(x);
            y = x.square();
            z = y.square();
        }
        assertEquals(6f, tape.gradient(y, x).item());
        assertEquals(108f, tape.gradient(z, x).item()); // 4x^3
        assertEquals(18f, tape.gradient(z, y).item()); // 2y
    }

    @Test
    void nonScalarTargetIsSummed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = x.square();
        }
        assertArrayEquals(new float[] {2, 4, 6}, tape.gradient(y, x).toFloatArray());
    }

    @Test
    void gradientsOfTheTapeAreConstantsWithoutAnOuterTape() {
        Tensor x = Tensor.scalar(2f);
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = x.pow(3);
        }
        assertNull(tape.gradient(y, x).gradFn());
    }

    @Test
    void watchAfterCloseIsAnError() {
        GradientTape tape = GradientTape.open();
        tape.close();
        assertThrows(IllegalStateException.class, () -> tape.watch(Tensor.scalar(1f)));
    }

    @Test
    void doubleTensorsWork() {
        Tensor x = Tensor.of(Nd4j.scalar(DataType.DOUBLE, 1.5));
        GradientTape tape = GradientTape.open();
        Tensor y;
        try (tape) {
            tape.watch(x);
            y = x.exp();
        }
        assertEquals(Math.exp(1.5), tape.gradient(y, x).itemDouble(), 1e-12);
    }
}
