package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link Tensor#pow(Tensor)}: keras.ops.power with broadcasting, PyTorch's gradients where x <= 0. */
class PowTensorTest {

    @Test
    void broadcastsAndKeepsPowDouble() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = Tensor.of(new float[] {0, 1, 2});
        Tensor z = x.pow(y);
        assertArrayEquals(new long[] {2, 3}, z.shape());
        assertArrayEquals(new float[] {1, 2, 9, 1, 5, 36}, z.toFloatArray());
        assertArrayEquals(x.pow(2).toFloatArray(), x.pow(Tensor.scalar(2f)).toFloatArray());
        assertEquals(DataType.FLOAT, x.pow(Tensor.scalar(0.5)).dataType(), "a double scalar exponent is float32 too");
    }

    /** Gradients at the points PyTorch and TensorFlow treat specially (float64, exact values). */
    @Test
    void gradientsWhereTheBaseIsZeroOrNegative() {
        //            x:  0    0    0   -2    -2   3
        //            y:  0    2   -1    2   0.5   0
        Tensor x = Tensor.of(new double[] {0, 0, 0, -2, -2, 3}, DataType.DOUBLE).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {0, 2, -1, 2, 0.5, 0}, DataType.DOUBLE).requiresGrad(true);
        x.pow(y).sum().backward();
        double[] dx = x.grad().toDoubleArray();
        double[] dy = y.grad().toDoubleArray();
        // d/dx = y x^(y-1), 0 where y = 0 (not 0 * 0^-1 = NaN)
        assertEquals(0.0, dx[0]);
        assertEquals(0.0, dx[1]);
        assertEquals(Double.NEGATIVE_INFINITY, dx[2]);   // -1 * 0^-2
        assertEquals(-4.0, dx[3]);
        assertTrue(Double.isNaN(dx[4]), "(-2)^-0.5 has no real value");
        assertEquals(0.0, dx[5]);
        // d/dy = x^y log(x), 0 where x = 0 and y >= 0; NaN where x < 0 (TensorFlow would give 0)
        assertEquals(0.0, dy[0]);
        assertEquals(0.0, dy[1]);
        assertEquals(Double.NEGATIVE_INFINITY, dy[2], "0^-1 log(0) = inf * -inf, as PyTorch");
        assertTrue(Double.isNaN(dy[3]));
        assertTrue(Double.isNaN(dy[4]));
        assertEquals(Math.log(3), dy[5], 1e-15);
    }

    @Test
    void secondDerivativesThroughTheTape() {
        // d²/dy² x^y = x^y log(x)²; at x = 2, y = 3: 8 ln(2)²
        Tensor x = Tensor.scalar(2.0, DataType.DOUBLE);
        Tensor y = Tensor.scalar(3.0, DataType.DOUBLE);
        GradientTape outer = GradientTape.persistent();
        Tensor dy;
        try (outer) {
            outer.watch(y);
            GradientTape inner = GradientTape.open();
            Tensor z;
            try (inner) {
                inner.watch(y);
                z = x.pow(y);
            }
            dy = inner.gradient(z, List.of(y)).get(0);
        }
        double second = outer.gradient(dy, List.of(y)).get(0).itemDouble();
        assertEquals(8 * Math.log(2) * Math.log(2), second, 1e-12);
    }
}
