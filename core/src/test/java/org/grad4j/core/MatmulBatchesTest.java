package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's matmul for batches and vectors, against products of single matrices taken with ND4J (gradients:
 * {@code OpGradientCheckTest}).
 */
class MatmulBatchesTest {

    private static Tensor random(long seed, long... shape) {
        return Tensor.randomNormal(shape, 0, 1, seed);
    }

    /** The matrix at {@code index} (leading indices) of {@code t}, as a float64 ND4J matrix. */
    private static org.nd4j.linalg.api.ndarray.INDArray matrix(Tensor t, long... index) {
        org.nd4j.linalg.api.ndarray.INDArray a = t.array().castTo(DataType.DOUBLE);
        for (long i : index) {
            a = a.slice(i);
        }
        return a;
    }

    @Test
    void batchesOfEqualShapeMultiplyPairwise() {
        // the client's case: [2,2,3] x [2,3,2] used to be refused
        for (long rows : new long[] {2, 200}) {   // small (Java loops) and large (ND4J)
            Tensor a = random(1, 2, rows, 3);
            Tensor b = random(2, 2, 3, 2);
            Tensor c = a.matmul(b);
            assertArrayEquals(new long[] {2, rows, 2}, c.shape());
            for (int i = 0; i < 2; i++) {
                assertTrue(matrix(c, i).equalsWithEps(matrix(a, i).mmul(matrix(b, i)), 1e-5), "batch " + i);
            }
        }
    }

    @Test
    void batchAxesBroadcast() {
        Tensor a = random(3, 2, 1, 2, 3);
        Tensor b = random(4, 5, 3, 4);
        Tensor c = a.matmul(b);
        assertArrayEquals(new long[] {2, 5, 2, 4}, c.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                assertTrue(matrix(c, i, j).equalsWithEps(matrix(a, i, 0).mmul(matrix(b, j)), 1e-5), i + ", " + j);
            }
        }
        // a matrix broadcast against a batch, and transposes of the last two axes
        assertArrayEquals(new long[] {5, 2, 4}, random(5, 2, 3).matmul(b).shape());
        Tensor at = random(6, 2, 3, 2);
        Tensor ct = at.matmul(random(7, 2, 3, 4), true, false);
        assertArrayEquals(new long[] {2, 2, 4}, ct.shape());
        Tensor bt = random(8, 1, 4, 3);
        Tensor cbt = random(9, 2, 2, 3).matmul(bt, false, true);
        assertArrayEquals(new long[] {2, 2, 4}, cbt.shape());
    }

    @Test
    void vectorsAreRowsOnTheLeftAndColumnsOnTheRight() {
        Tensor v = Tensor.of(new float[] {1, 2, 3});
        Tensor m = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertArrayEquals(new long[] {2}, v.matmul(m).shape());
        assertArrayEquals(new float[] {4, 5}, v.matmul(m).toFloatArray());
        Tensor mt = Tensor.of(new float[] {1, 0, 1, 0, 1, 1}, 2, 3);
        assertArrayEquals(new float[] {4, 5}, mt.matmul(v).toFloatArray());
        Tensor dot = v.matmul(v);
        assertEquals(0, dot.rank());
        assertEquals(14f, dot.item());
        assertArrayEquals(new long[] {4, 2}, v.matmul(random(10, 4, 3, 2)).shape());
        assertArrayEquals(new long[] {4, 2}, random(11, 4, 2, 3).matmul(v).shape());
    }

    @Test
    void theTwoDimensionalPathIsUnchanged() {
        // one GEMM for matrices and for a batch times one matrix: the recorded op is MatMul, not BatchMatMul
        Tensor a = random(12, 3, 4).requiresGrad(true);
        assertEquals("MatMulBackward", a.matmul(random(13, 4, 5)).gradFn().toString());
        Tensor batch = random(14, 2, 3, 4).requiresGrad(true);
        Tensor folded = batch.matmul(random(15, 4, 5));
        assertEquals("ReshapeBackward", folded.gradFn().toString());
        assertEquals("MatMulBackward", folded.gradFn().inputs().get(0).gradFn().toString());
    }

    @Test
    void mismatchesNameBothShapes() {
        var inner = assertThrows(IllegalArgumentException.class, () -> random(16, 2, 2, 3).matmul(random(17, 2, 4, 2)));
        assertTrue(inner.getMessage().contains("[2, 2, 3]") && inner.getMessage().contains("[2, 4, 2]")
                && inner.getMessage().contains("inner dimensions 3 and 4"), inner.getMessage());
        var batch = assertThrows(IllegalArgumentException.class, () -> random(18, 2, 2, 3).matmul(random(19, 3, 3, 2)));
        assertTrue(batch.getMessage().contains("[2, 2, 3]") && batch.getMessage().contains("[3, 3, 2]")
                && batch.getMessage().contains("batch dimensions"), batch.getMessage());
        var scalar = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(2f).matmul(random(20, 2, 2)));
        assertTrue(scalar.getMessage().contains("[]") && scalar.getMessage().contains("[2, 2]"), scalar.getMessage());
        var vector = assertThrows(IllegalArgumentException.class, () -> random(21, 3).matmul(random(22, 2, 4, 2)));
        assertTrue(vector.getMessage().contains("[3]") && vector.getMessage().contains("[2, 4, 2]"), vector.getMessage());
    }

    @Test
    void float64BatchesWork() {
        Tensor a = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 2, 2));
        Tensor b = Tensor.of(Nd4j.rand(DataType.DOUBLE, 3, 2, 2));
        assertEquals(DataType.DOUBLE, a.matmul(b).dataType());
        assertTrue(matrix(a.matmul(b), 2).equalsWithEps(matrix(a, 2).mmul(matrix(b, 2)), 1e-12));
    }
}
