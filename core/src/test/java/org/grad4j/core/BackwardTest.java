package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The PyTorch door: requiresGrad, backward, grad, zeroGrad, detach, gradFn, retainGraph. */
class BackwardTest {

    @Test
    void gradFnNamesTheBackwardNode() {
        Tensor w = Tensor.scalar(4f).requiresGrad(true);
        Tensor y = w.mul(w);
        assertEquals("MulBackward", y.gradFn().toString());
        assertEquals("MulBackward", y.gradFn().name());
        assertSame(w, y.gradFn().inputs().get(0));
        assertNull(w.gradFn());
        assertTrue(w.isLeaf());
        assertFalse(y.isLeaf());
    }

    @Test
    void untrackedMathRecordsNothing() {
        Tensor a = Tensor.of(new float[] {1, 2, 3});
        assertNull(a.mul(a).add(1.0).gradFn());
    }

    @Test
    void secondBackwardWithoutRetainGraphThrows() {
        Tensor x = Tensor.scalar(3f).requiresGrad(true);
        Tensor y = x.mul(x);
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("MulBackward"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(true)"), e.getMessage());
    }

    @Test
    void backwardOnNonScalarNamesTheShape() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2.0).backward());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void backwardWithExplicitGradientOnNonScalar() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        x.mul(x).backward(Tensor.of(new float[] {1, 1, 2}), false, false);
        assertArrayEquals(new float[] {2, 4, 12}, x.grad().toFloatArray());
    }

    @Test
    void backwardOnUntrackedTensorExplains() {
        Tensor x = Tensor.scalar(1f);
        IllegalStateException e = assertThrows(IllegalStateException.class, x::backward);
        assertTrue(e.getMessage().contains("requiresGrad"), e.getMessage());
    }

    @Test
    void gradientsAccumulateOverSharedUses() {
        // y = x*x + x*3 uses x three times: dy/dx = 2x + 3
        Tensor x = Tensor.scalar(2f).requiresGrad(true);
        x.mul(x).add(x.mul(3.0)).backward();
        assertEquals(7f, x.grad().item(), 1e-6f);
    }

    @Test
    void broadcastGradientsAreSummedBackToInputShapes() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor row = Tensor.of(new float[] {1, 1, 1}).requiresGrad(true);
        Tensor s = Tensor.scalar(2f).requiresGrad(true);
        m.add(row).mul(s).sum().backward();
        assertArrayEquals(new long[] {3}, row.grad().shape());
        assertArrayEquals(new float[] {4, 4, 4}, row.grad().toFloatArray());
        assertArrayEquals(new long[] {}, s.grad().shape());
        assertEquals(27f, s.grad().item(), 1e-5f);
        assertArrayEquals(new long[] {2, 3}, m.grad().shape());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.scalar(3f).requiresGrad(true);
        Tensor d = x.mul(x).detach();
        assertNull(d.gradFn());
        assertEquals(9f, d.item());
        // used again, the detached value is a constant: d(x * d)/dx = d
        x.mul(d).backward();
        assertEquals(9f, x.grad().item());
    }

    @Test
    void createGraphGivesSecondDerivatives() {
        Tensor x = Tensor.scalar(2f).requiresGrad(true);
        x.pow(3).backward(null, true, true);
        Tensor first = x.grad();
        assertEquals(12f, first.item(), 1e-5f);
        assertNotNull(first.gradFn());
        x.clearGrad();
        first.backward();
        assertEquals(12f, x.grad().item(), 1e-5f); // d2/dx2 x^3 = 6x
    }

    @Test
    void noGradRecordsNothingAndNests() {
        Tensor x = Tensor.scalar(3f).requiresGrad(true);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertNull(x.mul(x).gradFn());
            }
            assertTrue(NoGrad.isActive());
            assertNull(x.mul(x).gradFn());
        }
        assertFalse(NoGrad.isActive());
        assertNotNull(x.mul(x).gradFn());
    }

    @Test
    void itemOnManyElementsNamesTheShape() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(2, 3).item());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void factoriesCheckTheirShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[] {1, 2, 3, 4}, 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("4 values"), e.getMessage());
        assertEquals(DataType.FLOAT, Tensor.scalar(1f).dataType());
        assertEquals(DataType.FLOAT, Tensor.of(new double[] {1}).dataType(), "float32 by default, as PyTorch and Keras");
        assertEquals(DataType.DOUBLE, Tensor.of(new double[] {1}, DataType.DOUBLE).dataType());
        assertArrayEquals(new long[] {}, Tensor.scalar(1f).shape());
    }

    @Test
    void ofWrapsWithoutCopy() {
        var a = Nd4j.zeros(DataType.FLOAT, 2);
        assertSame(a, Tensor.of(a).array());
    }

    @Test
    void seededRandomTensorsRepeat() {
        Tensor a = Tensor.randomNormal(new long[] {3, 4}, 0, 1, 42);
        Tensor b = Tensor.randomNormal(new long[] {3, 4}, 0, 1, 42);
        assertEquals(a.array(), b.array());
        Seeds.set(7);
        Tensor c = Tensor.randn(5);
        Seeds.set(7);
        assertEquals(c.array(), Tensor.randn(5).array());
        Tensor u = Tensor.randomUniform(new long[] {1000}, -1, 1, 3);
        assertTrue(u.array().maxNumber().doubleValue() < 1 && u.array().minNumber().doubleValue() >= -1);
    }
}
