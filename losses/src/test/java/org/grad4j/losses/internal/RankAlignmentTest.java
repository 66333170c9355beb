package org.grad4j.losses.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RankAlignmentTest {
    private static long[][] shapes(long[] a, long[] b, boolean expandRank1) {
        Tensor[] t = RankAlignment.squeezeOrExpand(Tensor.zeros(a), Tensor.zeros(b), expandRank1);
        INDArray[] arrays = RankAlignment.squeezeOrExpand(Nd4j.zeros(DataType.FLOAT, a), Nd4j.zeros(DataType.FLOAT, b), expandRank1);
        assertArrayEquals(t[0].shape(), arrays[0].shape());
        assertArrayEquals(t[1].shape(), arrays[1].shape());
        return new long[][] {t[0].shape(), t[1].shape()};
    }

    @Test
    void aVectorGainsATrailingAxis() {
        assertArrayEquals(new long[][] {{4, 1}, {4, 1}}, shapes(new long[] {4}, new long[] {4, 1}, true));
        assertArrayEquals(new long[][] {{4, 1}, {4, 1}}, shapes(new long[] {4, 1}, new long[] {4}, true));
    }

    @Test
    void withoutExpandingTheSizeOneAxisIsSqueezed() {
        assertArrayEquals(new long[][] {{4}, {4}}, shapes(new long[] {4}, new long[] {4, 1}, false));
    }

    @Test
    void higherRanksSqueeze() {
        assertArrayEquals(new long[][] {{2, 3}, {2, 3}}, shapes(new long[] {2, 3}, new long[] {2, 3, 1}, true));
        assertArrayEquals(new long[][] {{2, 3}, {2, 3}}, shapes(new long[] {2, 3, 1}, new long[] {2, 3}, true));
    }

    @Test
    void otherPairsAreUnchanged() {
        assertArrayEquals(new long[][] {{4}, {4, 3}}, shapes(new long[] {4}, new long[] {4, 3}, true));
        assertArrayEquals(new long[][] {{2, 3}, {2, 3}}, shapes(new long[] {2, 3}, new long[] {2, 3}, true));
        assertArrayEquals(new long[][] {{4, 1}, {}}, shapes(new long[] {4, 1}, new long[] {}, true));
    }
}
