package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class VariableTest {

    @Test
    void variableIsATrackedNamedTensor() {
        Variable a = new Variable("A", Nd4j.randn(DataType.FLOAT, 1), true);
        assertEquals("A", a.name());
        assertArrayEquals(new long[] {1}, a.shape());
        assertTrue(a.trainable());
        Tensor x = Tensor.of(new float[] {5});
        x.mul(a).sum().backward();
        assertEquals(5f, a.grad().item());
    }

    @Test
    void assignCopiesInPlaceAndValueIsASnapshot() {
        Variable v = new Variable("v", Nd4j.zeros(DataType.FLOAT, 2));
        var before = v.array();
        Tensor snapshot = v.value();
        v.assign(Nd4j.createFromArray(1f, 2f));
        assertTrue(before == v.array());
        assertArrayEquals(new float[] {1, 2}, v.toFloatArray());
        assertArrayEquals(new float[] {0, 0}, snapshot.toFloatArray());
    }

    @Test
    void versionCountsAssignmentsButNotInPlaceWrites() {
        Variable v = new Variable("v", Nd4j.zeros(DataType.FLOAT, 2));
        assertEquals(0, v.version());
        v.assign(Nd4j.createFromArray(1f, 2f));
        v.assign(Tensor.of(new float[] {3, 4}));
        assertEquals(2, v.version());
        v.array().addi(1);
        assertEquals(2, v.version(), "an in-place write into the array is not an assignment");
        assertThrows(IllegalArgumentException.class, () -> v.assign(Nd4j.zeros(DataType.FLOAT, 3)));
        assertEquals(2, v.version(), "a refused assignment changes nothing");
    }

    @Test
    void assignOfWrongShapeNamesBoth() {
        Variable v = new Variable("dense/kernel:0", Nd4j.zeros(DataType.FLOAT, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.assign(Nd4j.zeros(DataType.FLOAT, 3, 2)));
        assertTrue(e.getMessage().contains("dense/kernel:0") && e.getMessage().contains("[3, 2]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void frozenVariableIsNotRecorded() {
        Variable v = new Variable("v", Nd4j.ones(DataType.FLOAT, 2), false);
        assertFalse(v.requiresGrad());
        assertEquals(null, v.mul(v).gradFn());
        v.trainable(true);
        assertEquals("MulBackward", v.mul(v).gradFn().name());
    }
}
