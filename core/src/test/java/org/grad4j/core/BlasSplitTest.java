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
                double worst = worstAgainstFloat64(n, k, m, ta, tb);
                // float32 products of 300 terms of size ~1: rounding near 1e-5, nowhere near a wrong block (~10)
                assertTrue(worst < 1e-3, "ta=" + ta + " tb=" + tb + ": max |split - float64| = " + worst);
            }
        }
    }

    /** The largest difference between {@link BlasThreads#gemm} and a float64 product, on random operands. */
    private static double worstAgainstFloat64(long n, long k, long m, boolean ta, boolean tb) {
        INDArray a = Nd4j.randn(DataType.FLOAT, ta ? k : n, ta ? n : k);
        INDArray b = Nd4j.randn(DataType.FLOAT, tb ? m : k, tb ? k : m);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, m);
        BlasThreads.gemm(a, b, c, ta, tb, n, k, m);
        INDArray exact = Nd4j.create(DataType.DOUBLE, n, m);
        Nd4j.gemm(a.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE), exact, ta, tb, 1.0, 0.0);
        return Transforms.abs(c.castTo(DataType.DOUBLE).sub(exact)).maxNumber().doubleValue();
    }

    /**
     * Wide products from {@link BlasThreads#COLUMN_SPLIT_FROM} are split by output columns, one one-thread call per
     * core, for every transposition: within float32 rounding of a float64 product (1,024 terms of size ~1 round
     * near 1e-4; a wrong or missing block of columns would be off by ~16 or more). Not bit for bit one call's
     * result: OpenBLAS rounds a block of columns differently from the whole (seen: 20 ulp), as its own threads'
     * split does.
     */
    @Test
    void wideProductsSplitByColumnsMatchAFloat64Product() {
        // an odd split (each core's block starts off a vector boundary), from the bound and from SMALL_PRODUCT
        columnSplitMatchesAFloat64Product(128, 256, 258);
        columnSplitMatchesAFloat64Product(256, 1024, 2050);
    }

    private static void columnSplitMatchesAFloat64Product(long n, long k, long m) {
        assertTrue(n * k * m >= BlasThreads.COLUMN_SPLIT_FROM, "the shapes must be split by columns");
        Nd4j.getRandom().setSeed(5);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double worst = worstAgainstFloat64(n, k, m, ta, tb);
                assertTrue(worst < 1e-2, "ta=" + ta + " tb=" + tb + ": max |split - float64| = " + worst);
            }
        }
    }

    /**
     * Unsplit float32 products go to OpenBLAS's sgemm directly: the same bits as ND4J's gemm, for every
     * transposition, for a view with an offset, a column ND4J flags 'f', and special values.
     */
    @Test
    void directProductsEqualNd4jsGemmBitForBit() {
        Nd4j.getRandom().setSeed(7);
        long[][] sizes = {{32, 784, 128}, {32, 128, 10}, {1, 5, 3}, {7, 1, 9}};
        for (long[] size : sizes) {
            long n = size[0];
            long k = size[1];
            long m = size[2];
            assertTrue(n * k * m < BlasThreads.SPLIT_FROM, "unsplit");
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // a: rows 2.. of a larger array, so the product reads from an offset
                    INDArray big = Nd4j.randn(DataType.FLOAT, (ta ? k : n) + 2, ta ? n : k);
                    INDArray a = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, (ta ? k : n) + 2),
                            org.nd4j.linalg.indexing.NDArrayIndex.all());
                    INDArray b = Nd4j.randn(DataType.FLOAT, tb ? m : k, tb ? k : m);
                    b.putScalar(0, Float.NaN);
                    b.putScalar(b.length() - 1, Float.NEGATIVE_INFINITY);
                    INDArray expected = Nd4j.create(DataType.FLOAT, n, m);
                    Nd4j.gemm(a.dup('c'), b, expected, ta, tb, 1.0, 0.0);
                    INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, m);
                    BlasThreads.gemm(a, b, c, ta, tb, n, k, m);
                    assertBits(expected, c, n + "x" + k + "x" + m + " ta=" + ta + " tb=" + tb);
                }
            }
        }
        // a column, which ND4J flags 'f' (a batch of one sample's kernel gradient, say)
        INDArray column = Nd4j.randn(DataType.FLOAT, 1, 4).transpose();
        assertEquals('f', column.ordering(), "a transposed row is flagged column-major");
        INDArray row = Nd4j.randn(DataType.FLOAT, 1, 3);
        INDArray expected = Nd4j.create(DataType.FLOAT, 4, 3);
        Nd4j.gemm(column.dup('c'), row, expected, false, false, 1.0, 0.0);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, 4, 3);
        BlasThreads.gemm(column, row, c, false, false, 4, 1, 3);
        assertBits(expected, c, "column x row");
    }

    private static void assertBits(INDArray expected, INDArray actual, String what) {
        float[] e = expected.data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]), what + " at " + i + ": " + e[i] + " vs " + a[i]);
        }
    }
}
