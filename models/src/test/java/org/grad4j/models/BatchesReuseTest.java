package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each shuffled epoch gathers from the original rows into the memory of the previous epoch's copy. */
class BatchesReuseTest {

    private static void assertEpochIsPermutation(List<Batch> batches, INDArray x, INDArray y, int[] order, int batchSize) {
        for (int i = 0; i < order.length; i++) {
            Batch b = batches.get(i / batchSize);
            int r = i % batchSize;
            assertEquals(x.getRow(order[i]), b.x().getRow(r), "x row " + i);
            assertEquals(y.getDouble(order[i], 0), b.y().getDouble(r, 0), "y row " + i);
        }
    }

    @Test
    void everyEpochIsThePermutationOfTheOriginalInTheSameMemory() {
        INDArray x = Nd4j.arange(0, 30).castTo(DataType.FLOAT).reshape('c', 10, 3);
        INDArray y = Nd4j.arange(0, 10).castTo(DataType.FLOAT).reshape('c', 10, 1);
        try (Batches data = new Batches(x, y, null)) {
            List<Batch> first = data.epoch(new SplittableRandom(1), 4);
            assertEpochIsPermutation(first, x, y, Batches.permutation(10, new SplittableRandom(1)), 4);
            long firstAddress = first.get(0).x().data().address();
            List<Batch> second = data.epoch(new SplittableRandom(2), 4);
            assertEpochIsPermutation(second, x, y, Batches.permutation(10, new SplittableRandom(2)), 4);
            assertEquals(firstAddress, second.get(0).x().data().address(), "the second epoch reuses the first's copy");
            assertEquals(3, second.size());
            assertEquals(2, second.get(2).x().size(0), "the last batch is partial");
        }
    }

    @Test
    void anUnshuffledEpochIsViewsOfTheOriginal() {
        INDArray x = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape('c', 6, 2);
        try (Batches data = new Batches(x, null, null)) {
            data.epoch(new SplittableRandom(3), 4);
            List<Batch> plain = data.epoch(null, 4);
            assertEquals(x.getRow(0), plain.get(0).x().getRow(0));
            assertSame(x.data().originalDataBuffer() == null ? x.data() : x.data().originalDataBuffer(),
                    plain.get(0).x().data().originalDataBuffer() == null ? plain.get(0).x().data() : plain.get(0).x().data().originalDataBuffer());
            assertTrue(plain.get(1).x().size(0) == 2);
        }
    }
}
