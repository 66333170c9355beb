package org.grad4j.data;

import static org.grad4j.data.Passes.ids;
import static org.grad4j.data.Passes.pass;
import static org.grad4j.data.Passes.range;
import static org.grad4j.data.Passes.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetStepsTest {

    /** The same rows as {@link Passes#rows}, through a step the gather fast path does not see through. */
    private static Dataset general(int n) {
        return rows(n).map(e -> e);
    }

    @Test
    void wholeShuffleIsAPermutationNewEachPassAndTheSameSequenceForTheSameSeed() {
        Dataset a = general(50).shuffle(7);
        Dataset b = general(50).shuffle(7);
        List<List<Float>> epochsA = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Float> order = ids(a);
            assertEquals(new HashSet<>(range(50)), new HashSet<>(order), "a permutation");
            assertEquals(50, order.size());
            assertEquals(order, ids(b), "same seed, same epoch " + epoch);
            epochsA.add(order);
        }
        assertNotEquals(range(50), epochsA.get(0));
        assertNotEquals(epochsA.get(0), epochsA.get(1), "reshuffled on the next pass");
        assertNotEquals(epochsA.get(1), epochsA.get(2));
        assertNotEquals(epochsA.get(0), ids(general(50).shuffle(8)), "another seed, another order");
    }

    @Test
    void bufferedShuffleDrawsOnlyFromTheBuffer() {
        assertEquals(range(20), ids(general(20).shuffle(3, 1)), "a buffer of one keeps the order");
        for (int pass = 0; pass < 5; pass++) {
            Dataset d = general(40).shuffle(pass, 4);
            List<Float> order = ids(d);
            assertEquals(new HashSet<>(range(40)), new HashSet<>(order));
            for (int i = 0; i < order.size(); i++) {
                // the i-th output was chosen from a buffer holding at most the first i + 4 inputs
                assertTrue(order.get(i) < i + 4, "output " + i + " = " + order.get(i) + " in " + order);
            }
        }
        assertNotEquals(range(40), ids(general(40).shuffle(3, 4)));
    }

    @Test
    void shuffleUnderRepeatReshufflesEveryRepetition() {
        List<Float> two = ids(general(30).shuffle(5).repeat(2));
        assertEquals(60, two.size());
        List<Float> first = two.subList(0, 30);
        List<Float> second = two.subList(30, 60);
        assertEquals(new HashSet<>(range(30)), new HashSet<>(first));
        assertEquals(new HashSet<>(range(30)), new HashSet<>(second));
        assertNotEquals(first, second);
        Dataset s = general(30).shuffle(5);
        assertEquals(first, ids(s));
        assertEquals(second, ids(s));
    }

    @Test
    void mapAndMapX() {
        Dataset d = rows(4).mapX(x -> x.mul(2)).map(e -> new Element(e.x(), e.y().add(1), Nd4j.scalar(DataType.FLOAT, 0.5)));
        List<Element> es = pass(d);
        assertEquals(4, es.size());
        assertArrayEquals(new float[] {6, 60}, es.get(3).x().toFloatVector());
        assertEquals(1f, es.get(3).y().getFloat(0));
        assertEquals(0.5f, es.get(3).sampleWeight().getFloat(0));
        assertEquals(4, d.cardinality());
        assertEquals(2, d.batch(3).cardinality());
        String m = assertThrows(DatasetException.class, () -> pass(rows(3).map(e -> null))).getMessage();
        assertTrue(m.contains("map") && m.contains("returned null for element 0"), m);
    }

    @Test
    void takeRepeatAndTheirCardinalities() {
        assertEquals(List.of(0f, 1f, 2f), ids(rows(10).take(3)));
        assertEquals(3, rows(10).take(3).cardinality());
        assertEquals(10, rows(10).take(30).cardinality());
        assertEquals(List.of(), ids(rows(10).take(0)));
        assertEquals(List.of(0f, 1f, 2f, 0f, 1f, 2f), ids(rows(3).repeat(2)));
        assertEquals(6, rows(3).repeat(2).cardinality());
        assertEquals(0, rows(3).repeat(0).cardinality());
        assertEquals(List.of(), ids(rows(3).repeat(0)));
        assertEquals(Dataset.INFINITE, rows(3).repeat().cardinality());
        assertEquals(7, rows(3).repeat().take(7).cardinality());
        assertEquals(List.of(0f, 1f, 2f, 0f, 1f, 2f, 0f), ids(rows(3).repeat().take(7)));
        assertEquals(List.of(), ids(rows(0).repeat()), "an empty dataset repeated ends");
        assertEquals(Dataset.UNKNOWN, Dataset.fromIterator(new BatchList(List.of())).take(3).cardinality());
        assertEquals(Dataset.INFINITE, rows(3).repeat().batch(2).cardinality());
        assertEquals(3, rows(10).batch(4).cardinality());
        assertEquals(2, rows(10).batch(4, true).cardinality());
        assertEquals(10, rows(10).shuffle(1).cardinality());
        assertEquals(10, rows(10).cache().prefetch(2).cardinality());
        assertThrows(IllegalArgumentException.class, () -> rows(3).take(-1));
        assertThrows(IllegalArgumentException.class, () -> rows(3).repeat(-1));
        assertThrows(IllegalStateException.class, () -> rows(3).repeat().cache());
        assertThrows(IllegalStateException.class, () -> rows(3).repeat().features());
        assertThrows(IllegalStateException.class, () -> rows(3).repeat().shuffle(1));
        assertEquals(List.of(0f, 1f, 2f, 0f), ids(rows(3).repeat().shuffle(1, 1).take(4)), "a bounded buffer is fine");
    }

    @Test
    void takeClosesItsSourceAsSoonAsItHasEnough() {
        AtomicInteger read = new AtomicInteger();
        Dataset counted = rows(100).map(e -> {
            read.incrementAndGet();
            return e;
        });
        assertEquals(5, pass(counted.take(5)).size());
        assertEquals(5, read.get());
    }

    @Test
    void cacheReplaysTheFirstCompletePassAndKeepsNoPartialOne() {
        AtomicInteger read = new AtomicInteger();
        Dataset counted = rows(6).map(e -> {
            read.incrementAndGet();
            return e;
        });
        CacheStep cache = (CacheStep) counted.cache();
        try (Dataset.Cursor c = cache.iterator()) {
            c.next();
            c.next();
        }
        assertFalse(cache.isFilled(), "a pass left early keeps nothing");
        assertEquals(range(6), ids(cache));
        assertTrue(cache.isFilled());
        int afterFill = read.get();
        assertEquals(2 + 6, afterFill);
        assertEquals(range(6), ids(cache));
        assertEquals(range(6), ids(cache));
        assertEquals(afterFill, read.get(), "replayed without reading the source");

        Dataset shuffledCache = counted.cache().shuffle(4);
        List<Float> one = ids(shuffledCache);
        List<Float> two = ids(shuffledCache);
        assertEquals(new HashSet<>(one), new HashSet<>(two));
        assertNotEquals(one, two, "cache before shuffle: the cached elements are reshuffled");
    }

    @Test
    void batchThenUnbatchGivesTheSamplesBack() {
        Dataset d = general(7).batch(3).unbatch();
        assertFalse(d.isBatched());
        List<Element> es = pass(d);
        assertEquals(7, es.size());
        assertArrayEquals(new float[] {5, 50}, es.get(5).x().toFloatVector());
        assertArrayEquals(new long[] {}, es.get(5).y().shape());
        assertEquals(2f, es.get(5).y().getFloat(0));
        assertEquals(range(7), ids(d));
    }

    @Test
    void batchStacksAndRefusesABatchedDataset() {
        List<Element> es = pass(general(7).batch(3));
        assertEquals(3, es.size());
        assertArrayEquals(new long[] {3, 2}, es.get(0).x().shape());
        assertArrayEquals(new long[] {1, 2}, es.get(2).x().shape());
        assertArrayEquals(new long[] {3}, es.get(0).y().shape());
        assertEquals(2, pass(general(7).batch(3, true)).size());
        assertThrows(IllegalStateException.class, () -> rows(7).batch(3).batch(2));
        assertTrue(rows(7).batch(3).shuffle(1).prefetch(1).cache().take(2).isBatched());
    }

    @Test
    void featuresIteratesTheXOfEachElement() {
        List<INDArray> xs = new ArrayList<>();
        for (INDArray x : rows(5).batch(2).features()) {
            xs.add(x);
        }
        assertEquals(3, xs.size());
        assertArrayEquals(new float[] {0, 0, 1, 10}, xs.get(0).reshape(4).toFloatVector());
        assertArrayEquals(new long[] {1, 2}, xs.get(2).shape());
        Iterable<INDArray> again = rows(5).prefetch(2).features();
        int count = 0;
        for (INDArray x : again) {
            assertEquals(count++, x.getFloat(0));
        }
        assertEquals(5, count);
    }

    @Test
    void stepsRefuseBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> rows(3).batch(0));
        assertThrows(IllegalArgumentException.class, () -> rows(3).shuffle(1, 0));
        assertThrows(IllegalArgumentException.class, () -> rows(3).prefetch(0));
        assertThrows(IllegalArgumentException.class, () -> rows(3).map(null));
        String m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromArrays(Nd4j.zeros(4, 2), Nd4j.zeros(3))).getMessage();
        assertTrue(m.contains("as many rows as x (4)") && m.contains("[3]"), m);
    }

    @Test
    void aCursorPastItsEndSaysSo() {
        Dataset.Cursor c = rows(1).iterator();
        c.next();
        assertFalse(c.hasNext());
        assertThrows(java.util.NoSuchElementException.class, c::next);
        c.close();
        c.close();
    }
}
