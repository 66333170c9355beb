package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@link BlasThreads#gemm}'s split products (rows, or the inner dimension for a transposed left operand) against one call. */
class BlasSplitTest {
    @Test
    void splitProductsEqualOneCallForEveryTransposition() {
        long n = 520;
        long k = 300;
        long m = 130;
        assertTrue(n * k * m >= BlasThreads.SPLIT_FROM && n * k * m < BlasThreads.SMALL_PRODUCT,
                "the shapes must fall in the split range");
        Nd4j.getRandom().setSeed(31);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                INDArray a = Nd4j.randn(DataType.FLOAT, ta ? k : n, ta ? n : k);
                INDArray b = Nd4j.randn(DataType.FLOAT, tb ? m : k, tb ? k : m);
                INDArray expected = Nd4j.create(DataType.DOUBLE, n, m);
                Nd4j.gemm(a.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE), expected, ta, tb, 1.0, 0.0);
                INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, m);
                BlasThreads.gemm(a, b, c, ta, tb, n, k, m);
                double worst = Transforms.abs(c.castTo(DataType.DOUBLE).sub(expected)).maxNumber().doubleValue();
                // float32 products of 300 terms of size ~1: rounding near 1e-5, nowhere near a wrong block (~10)
                assertTrue(worst < 1e-3, "ta=" + ta + " tb=" + tb + ": max |split - float64| = " + worst);
                assertEquals(n, c.rows());
            }
        }
    }
}
