package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A shuffled epoch gathers each batch, in the epoch's order, into memory the next batch (and epoch) reuses. */
class BatchesReuseTest {

    /** Reads every batch as it comes (a batch is valid until the next is taken) and checks it against the order. */
    private static long[] assertEpochIsPermutation(Iterator<Batch> batches, INDArray x, INDArray y, int[] order, int batchSize) {
        long[] addresses = new long[(order.length + batchSize - 1) / batchSize];
        for (int b = 0; b < addresses.length; b++) {
            assertTrue(batches.hasNext(), "batch " + b);
            Batch batch = batches.next();
            addresses[b] = batch.x().data().address() + batch.x().offset() * batch.x().dataType().width();
            long rows = Math.min(batchSize, order.length - (long) b * batchSize);
            assertEquals(rows, batch.x().size(0), "batch " + b + " rows");
            for (int r = 0; r < rows; r++) {
                int i = b * batchSize + r;
                assertEquals(x.getRow(order[i]), batch.x().getRow(r), "x row " + i);
                assertEquals(y.getDouble(order[i], 0), batch.y().getDouble(r, 0), "y row " + i);
            }
        }
        assertFalse(batches.hasNext());
        assertThrows(NoSuchElementException.class, batches::next);
        return addresses;
    }

    @Test
    void everyBatchIsItsPartOfThePermutationInTheSameMemory() {
        INDArray x = Nd4j.arange(0, 30).castTo(DataType.FLOAT).reshape('c', 10, 3);
        INDArray y = Nd4j.arange(0, 10).castTo(DataType.FLOAT).reshape('c', 10, 1);
        try (Batches data = new Batches(x, y, null)) {
            long[] first = assertEpochIsPermutation(data.epoch(new SplittableRandom(1), 4), x, y,
                    Batches.permutation(10, new SplittableRandom(1)), 4);
            long[] second = assertEpochIsPermutation(data.epoch(new SplittableRandom(2), 4), x, y,
                    Batches.permutation(10, new SplittableRandom(2)), 4);
            for (int b = 0; b < 3; b++) {
                assertEquals(first[0], first[b], "batch " + b + " of the first epoch reuses the first batch's memory");
                assertEquals(first[0], second[b], "batch " + b + " of the second epoch too");
            }
        }
        assertEquals(Nd4j.arange(0, 30).castTo(DataType.FLOAT).reshape('c', 10, 3), x, "the source is untouched");
    }

    @Test
    void imagesKeepTheirShapeAndAColumnMajorSourceIsRead() {
        INDArray images = Nd4j.arange(0, 5 * 2 * 3).castTo(DataType.FLOAT).reshape('c', 5, 2, 3);
        INDArray labels = Nd4j.arange(0, 10).castTo(DataType.DOUBLE).reshape('c', 5, 2).dup('f');
        int[] order = Batches.permutation(5, new SplittableRandom(7));
        try (Batches data = new Batches(images, labels, null)) {
            Iterator<Batch> epoch = data.epoch(new SplittableRandom(7), 2);
            for (int b = 0; b < 3; b++) {
                Batch batch = epoch.next();
                assertEquals(b < 2 ? 2 : 1, batch.x().size(0));
                assertEquals(3, batch.x().rank(), "images keep their rank");
                for (int r = 0; r < batch.x().size(0); r++) {
                    int i = order[b * 2 + r];
                    assertEquals(images.slice(i), batch.x().slice(r), "image " + (b * 2 + r));
                    assertEquals(labels.getRow(i), batch.y().getRow(r), "labels " + (b * 2 + r));
                }
            }
        }
        assertEquals(5.0, labels.getDouble(2, 1), "closing frees the row-major copy, not the caller's array");
    }

    @Test
    void anUnshuffledEpochIsViewsOfTheOriginal() {
        INDArray x = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape('c', 6, 2);
        try (Batches data = new Batches(x, null, null)) {
            data.epoch(new SplittableRandom(3), 4).next();
            Iterator<Batch> plain = data.epoch(null, 4);
            Batch first = plain.next();
            assertEquals(x.getRow(0), first.x().getRow(0));
            assertSame(x.data().originalDataBuffer() == null ? x.data() : x.data().originalDataBuffer(),
                    first.x().data().originalDataBuffer() == null ? first.x().data() : first.x().data().originalDataBuffer());
            assertEquals(2, plain.next().x().size(0));
        }
    }
}
