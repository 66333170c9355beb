package org.grad4j.data;

import static org.grad4j.data.Passes.pass;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The one-operation gather of batches over arrays against the row-by-row path it replaces. */
class BatchGatherTest {

    private static final INDArray X = Nd4j.rand(DataType.FLOAT, 23, 4, 3);
    private static final INDArray Y = Nd4j.createFromArray(new int[] {
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2});
    private static final INDArray W = Nd4j.rand(DataType.DOUBLE, 23);

    /** Identity map: hides the arrays from batch, forcing the row-by-row path. */
    private static final UnaryOperator<Element> HIDE = e -> e;

    private static void assertSamePasses(Dataset fast, Dataset general, int passes) {
        for (int p = 0; p < passes; p++) {
            List<Element> a = pass(fast);
            List<Element> b = pass(general);
            assertEquals(b.size(), a.size(), "pass " + p);
            for (int i = 0; i < a.size(); i++) {
                assertSameArray(b.get(i).x(), a.get(i).x(), "x", p, i);
                assertSameArray(b.get(i).y(), a.get(i).y(), "y", p, i);
                assertSameArray(b.get(i).sampleWeight(), a.get(i).sampleWeight(), "sampleWeight", p, i);
            }
        }
    }

    private static void assertSameArray(INDArray expected, INDArray actual, String what, int pass, int batch) {
        String where = what + " of batch " + batch + " in pass " + pass;
        if (expected == null) {
            assertNull(actual, where);
            return;
        }
        assertEquals(expected.dataType(), actual.dataType(), where);
        assertArrayEquals(expected.shape(), actual.shape(), where);
        assertEquals(expected, actual, where);
    }

    @Test
    void plainBatchesMatchTheRowByRowPath() {
        Dataset fast = Dataset.fromArrays(X, Y, W).batch(5);
        assertInstanceOf(BatchStep.GatherCursor.class, fast.iterator());
        assertSamePasses(fast, Dataset.fromArrays(X, Y, W).map(HIDE).batch(5), 2);
        assertSamePasses(Dataset.fromArrays(X, Y).batch(5, true), Dataset.fromArrays(X, Y).map(HIDE).batch(5, true), 1);
        assertSamePasses(Dataset.fromArrays(X).batch(23), Dataset.fromArrays(X).map(HIDE).batch(23), 1);
    }

    @Test
    void shuffledBatchesMatchTheRowByRowPathPassAfterPass() {
        Dataset fast = Dataset.fromArrays(X, Y, W).shuffle(11).batch(4);
        assertInstanceOf(BatchStep.GatherCursor.class, fast.iterator());
        fast = Dataset.fromArrays(X, Y, W).shuffle(11).batch(4);
        assertSamePasses(fast, Dataset.fromArrays(X, Y, W).map(HIDE).shuffle(11).batch(4), 4);
        assertSamePasses(Dataset.fromArrays(X, Y).shuffle(3, 5).batch(6, true),
                Dataset.fromArrays(X, Y).map(HIDE).shuffle(3, 5).batch(6, true), 3);
        assertSamePasses(Dataset.fromArrays(X, Y).shuffle(3).shuffle(4, 2).batch(7),
                Dataset.fromArrays(X, Y).map(HIDE).shuffle(3).shuffle(4, 2).batch(7), 2);
        List<Element> first = pass(Dataset.fromArrays(X, Y).shuffle(11).batch(23));
        assertNotEquals(X, first.get(0).x(), "the rows really are reordered");
    }

    @Test
    void vectorsAndRowsOfTwoDimensionsToo() {
        INDArray v = Nd4j.arange(10).castTo(DataType.LONG);
        INDArray m = Nd4j.rand(DataType.FLOAT, 10, 3);
        assertSamePasses(Dataset.fromArrays(v, m).shuffle(2).batch(3), Dataset.fromArrays(v, m).map(HIDE).shuffle(2).batch(3), 2);
        INDArray fortran = Nd4j.rand(DataType.FLOAT, 'f', 10, 3);
        assertSamePasses(Dataset.fromArrays(fortran, v).batch(4), Dataset.fromArrays(fortran, v).map(HIDE).batch(4), 1);
        INDArray view = Nd4j.rand(DataType.FLOAT, 3, 10).transpose();
        assertSamePasses(Dataset.fromArrays(view).shuffle(9).batch(4), Dataset.fromArrays(view).map(HIDE).shuffle(9).batch(4), 2);
        INDArray rowsOfABiggerArray = X.get(NDArrayIndex.interval(5, 15), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray partOfY = Y.get(NDArrayIndex.interval(5, 15));
        List<Element> rowByRow = pass(Dataset.fromArrays(rowsOfABiggerArray, partOfY));
        for (int r = 0; r < 10; r++) {
            assertEquals(X.slice(5 + r), rowByRow.get(r).x(), "row " + r + " of a view into a bigger array");
            assertEquals(Y.getInt(5 + r), rowByRow.get(r).y().getInt(0));
        }
        assertSamePasses(Dataset.fromArrays(rowsOfABiggerArray, partOfY).shuffle(1).batch(3),
                Dataset.fromArrays(rowsOfABiggerArray, partOfY).map(HIDE).shuffle(1).batch(3), 2);
        assertSamePasses(Dataset.fromArrays(rowsOfABiggerArray, partOfY).batch(4),
                Dataset.fromArrays(rowsOfABiggerArray, partOfY).map(HIDE).batch(4), 1);
    }

    @Test
    void aBatchDoesNotShareMemoryWithTheSourceArrays() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 6, 2);
        Element e = pass(Dataset.fromArrays(x).batch(3)).get(0);
        e.x().addi(1);
        assertEquals(0.0, x.sumNumber().doubleValue());
    }
}
