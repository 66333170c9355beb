package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** float32 by default, as PyTorch and Keras; float64 on request; no silent promotion between the two. */
class DefaultFloatTypeTest {

    @AfterEach
    void restoreTheDefault() {
        Tensor.setDefaultFloatType(DataType.FLOAT);
    }

    @Test
    void doublesMakeFloat32TensorsThatMixWithFloat32Ones() {
        assertEquals(DataType.FLOAT, Tensor.defaultFloatType());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor c = Tensor.of(new double[] {0.5, -1}, 2);
        assertEquals(DataType.FLOAT, c.dataType());
        assertEquals(DataType.FLOAT, Tensor.scalar(2.0).dataType());
        // these threw "data types differ" when the double factories made float64
        assertArrayEquals(new float[] {2, 4, 6, 8}, x.mul(Tensor.scalar(2.0)).toFloatArray());
        assertArrayEquals(new float[] {1.5f, 1, 3.5f, 3}, x.add(c).toFloatArray());
        assertArrayEquals(new float[] {0.1f}, Tensor.of(new double[] {0.1}).toFloatArray(), "rounded to float32");
        assertArrayEquals(new long[] {3}, Tensor.of(new double[] {1, 2, 3}).shape(), "no shape: a vector");
    }

    @Test
    void aVariableFromDoublesIsFloat32() {
        Variable w = new Variable("w", new double[] {0.5, -1}, 2, 1);
        assertEquals(DataType.FLOAT, w.dataType());
        assertArrayEquals(new long[] {2, 1}, w.shape());
        assertTrue(w.trainable());
        Tensor y = Tensor.of(new float[] {1, 2}, 1, 2).matmul(w);
        y.sum().backward();
        assertArrayEquals(new float[] {1, 2}, w.grad().toFloatArray());
        // an INDArray keeps its own type: ND4J makes float64 from doubles
        assertEquals(DataType.DOUBLE, new Variable("v", Nd4j.create(new double[] {1})).dataType());
    }

    @Test
    void explicitTypesOverrideTheDefault() {
        Tensor d = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, DataType.DOUBLE, 2, 3);
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new long[] {2, 3}, d.shape());
        assertEquals(DataType.DOUBLE, Tensor.scalar(2.0, DataType.DOUBLE).dataType());
        assertEquals(0.1, Tensor.scalar(0.1, DataType.DOUBLE).itemDouble(), 0.0, "not rounded to float32");
        assertEquals(DataType.FLOAT, Tensor.of(new double[] {1}, DataType.FLOAT).dataType());
        assertEquals(DataType.HALF, Tensor.of(new double[] {1}, DataType.HALF).dataType());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[] {1}, DataType.BOOL));
        assertTrue(e.getMessage().contains("Tensor.of") && e.getMessage().contains("BOOL"), e.getMessage());
    }

    @Test
    void theDefaultCanBeFloat64AndIsRestored() {
        assertEquals(DataType.FLOAT, Tensor.setDefaultFloatType(DataType.DOUBLE), "returns the previous default");
        assertEquals(DataType.DOUBLE, Tensor.defaultFloatType());
        assertEquals(DataType.DOUBLE, Tensor.of(new double[] {1, 2}).dataType());
        assertEquals(DataType.DOUBLE, Tensor.scalar(2.0).dataType());
        assertEquals(DataType.DOUBLE, Tensor.zeros(2, 3).dataType());
        assertEquals(DataType.DOUBLE, Tensor.ones(2).dataType());
        assertEquals(DataType.DOUBLE, new Variable("w", new double[] {1}).dataType());
        Tensor r64 = Tensor.randomNormal(new long[] {5}, 0, 1, 9);
        assertEquals(DataType.DOUBLE, r64.dataType());
        assertEquals(DataType.FLOAT, Tensor.scalar(2f).dataType(), "float arguments stay float32");
        assertEquals(DataType.DOUBLE, Tensor.setDefaultFloatType(DataType.FLOAT));
        // the same seed draws the same numbers whatever the default
        assertArrayEquals(Tensor.randomNormal(new long[] {5}, 0, 1, 9).toDoubleArray(), r64.toDoubleArray(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.setDefaultFloatType(DataType.INT32));
        assertTrue(e.getMessage().contains(DataType.INT32.toString()), e.getMessage());
        assertEquals(DataType.FLOAT, Tensor.defaultFloatType());
    }

    @Test
    void mixingFloat32AndFloat64IsAnErrorNamingBoth() {
        Tensor f32 = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor f64 = Tensor.of(new double[] {1, 2}, DataType.DOUBLE, 2, 1);
        for (Runnable op : List.<Runnable>of(() -> f32.add(f64), () -> f64.mul(f32), () -> f32.maximum(f64),
                () -> f32.matmul(f64), () -> f32.div(f64))) {
            var e = assertThrows(IllegalArgumentException.class, op::run);
            assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE")
                    && e.getMessage().contains("[2, 2]") && e.getMessage().contains("[2, 1]"), e.getMessage());
        }
    }

    @Test
    void gradientCheckRunsInFloat64AndConstantsFollow() {
        // float32 inputs are checked in float64, and Tensor.scalar(3.0) inside the function is float64 there
        double error = GradientCheck.check(in -> in.get(0).mul(Tensor.scalar(3.0)).mul(in.get(0)),
                List.of(Tensor.of(new float[] {0.5f, -1.5f, 2f})));
        assertTrue(error < 1e-8, "error " + error);
        assertEquals(DataType.FLOAT, Tensor.defaultFloatType(), "the default is back after the check");
        Variable w = new Variable("w", Nd4j.create(new double[] {0.3, -0.7}));
        double variableError = GradientCheck.checkVariables(() -> w.mul(Tensor.of(new double[] {2, 3})).square().sum(),
                List.of(w));
        assertTrue(variableError < 1e-8, "error " + variableError);
        assertEquals(DataType.FLOAT, Tensor.defaultFloatType());
    }
}
