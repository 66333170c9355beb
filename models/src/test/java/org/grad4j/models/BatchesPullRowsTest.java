package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Batches' row gather (bulk copies) against libnd4j's pullRows, for several types, a view and a large epoch. */
class BatchesPullRowsTest {
    @Test
    void bulkRowCopiesEqualLibnd4jsPullRows() {
        SplittableRandom random = new SplittableRandom(5);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT32}) {
            for (int rows : new int[] {1, 7, 3000, 44_000}) {   // 44,000 x 97 x 4 bytes passes the split over the cores
                INDArray big = Nd4j.rand(DataType.DOUBLE, rows + 3, 97).muli(1000).castTo(type);
                INDArray source = big.get(NDArrayIndex.interval(2, rows + 2), NDArrayIndex.all());   // a view, offset rows
                int[] order = Batches.permutation(rows, random);
                INDArray expected = Nd4j.pullRows(source.dup('c'), 1, order);
                INDArray actual = Nd4j.create(type, rows, 97);
                Batches.pullRows(source, actual, order, 0);
                assertEquals(expected, actual, type + " " + rows + " rows");
                if (rows > 2) {   // a batch from inside the order, as an epoch's second batch is pulled
                    INDArray part = Nd4j.create(type, rows - 2, 97);
                    Batches.pullRows(source, part, order, 1);
                    assertEquals(expected.get(NDArrayIndex.interval(1, rows - 1), NDArrayIndex.all()), part, type + " rows from 1");
                }
            }
        }
    }
}
