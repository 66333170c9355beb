package org.grad4j.data;

import static org.grad4j.data.Passes.pass;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class IteratorSourceTest {

    private static DataSet batch(int rows, float first) {
        float[] values = new float[rows * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = first + i;
        }
        INDArray x = Nd4j.create(values, new long[] {rows, 3}, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        return new DataSet(x, Nd4j.ones(rows, 2));
    }

    @Test
    void elementsAreTheBatchesAndEveryPassResetsTheIterator() {
        DataSet a = batch(4, 0);
        DataSet b = batch(2, 100);
        BatchList it = new BatchList(List.of(a, b));
        Dataset d = Dataset.fromIterator(it);
        assertTrue(d.isBatched());
        assertEquals(Dataset.UNKNOWN, d.cardinality());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Element> es = pass(d);
            assertEquals(2, es.size());
            assertSame(a.getFeatures(), es.get(0).x());
            assertSame(b.getLabels(), es.get(1).y());
            assertNull(es.get(0).sampleWeight());
        }
        assertEquals(2, it.resets, "reset before every pass but the first");
        assertEquals(Dataset.UNKNOWN, d.unbatch().batch(3).cardinality());
        assertEquals(2, pass(d.unbatch().batch(3)).size());
    }

    @Test
    void aPerSampleLabelsMaskBecomesSampleWeights() {
        DataSet column = batch(3, 0);
        column.setLabelsMaskArray(Nd4j.createFromArray(new float[][] {{1}, {0}, {1}}));
        DataSet vector = batch(3, 0);
        vector.setLabelsMaskArray(Nd4j.createFromArray(1f, 1f, 0f));
        DataSet ones = batch(3, 0);
        ones.setFeaturesMaskArray(Nd4j.ones(3, 3));
        List<Element> es = pass(Dataset.fromIterator(new BatchList(List.of(column, vector, ones))));
        assertArrayEquals(new float[] {1, 0, 1}, es.get(0).sampleWeight().toFloatVector());
        assertArrayEquals(new long[] {3}, es.get(0).sampleWeight().shape());
        assertArrayEquals(new float[] {1, 1, 0}, es.get(1).sampleWeight().toFloatVector());
        assertNull(es.get(2).sampleWeight(), "an all-ones features mask is accepted and dropped");
    }

    @Test
    void aRealFeaturesMaskOrAPerStepLabelsMaskIsRefused() {
        DataSet masked = batch(2, 0);
        masked.setFeaturesMaskArray(Nd4j.createFromArray(new float[][] {{1, 1, 0}, {1, 1, 1}}));
        String m = assertThrows(DatasetException.class,
                () -> pass(Dataset.fromIterator(new BatchList(List.of(batch(2, 0), masked))))).getMessage();
        assertTrue(m.contains("batch 1") && m.contains("features mask [2, 3] that is not all ones"), m);

        DataSet perStep = batch(2, 0);
        perStep.setLabelsMaskArray(Nd4j.ones(2, 5));
        String l = assertThrows(DatasetException.class,
                () -> pass(Dataset.fromIterator(new BatchList(List.of(perStep))))).getMessage();
        assertTrue(l.contains("labels mask [2, 5]") && l.contains("[2] or [2, 1]"), l);
    }

    @Test
    void onePassAtATimeAndNoSecondPassWithoutReset() {
        Dataset d = Dataset.fromIterator(new BatchList(List.of(batch(2, 0), batch(2, 9))));
        try (Dataset.Cursor open = d.iterator()) {
            open.next();
            String m = assertThrows(IllegalStateException.class, d::iterator).getMessage();
            assertTrue(m.contains("still open"), m);
        }
        assertEquals(2, pass(d).size(), "closing the pass frees the iterator");

        Dataset once = Dataset.fromIterator(new BatchList(List.of(batch(2, 0)), false));
        assertEquals(1, pass(once).size());
        String m = assertThrows(IllegalStateException.class, once::iterator).getMessage();
        assertTrue(m.contains("cannot be reset") && m.contains("cache()"), m);
        Dataset cached = Dataset.fromIterator(new BatchList(List.of(batch(2, 0)), false)).cache();
        assertEquals(1, pass(cached).size());
        assertEquals(1, pass(cached).size(), "cache() replays an iterator that cannot be reset");
    }
}
