package org.grad4j.data;

import static org.grad4j.data.Passes.ids;
import static org.grad4j.data.Passes.range;
import static org.grad4j.data.Passes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PrefetchTest {

    private static Thread producer(Dataset.Cursor c) {
        return ((PrefetchStep.PrefetchCursor) c).thread();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void elementsArriveAllAndInOrderWhateverTheSpeeds() {
        assertEquals(range(200), ids(rows(200).prefetch(1)));
        assertEquals(range(200), ids(rows(200).shuffle(4).batch(7).unbatch().prefetch(3).map(e -> e)
                .prefetch(2).take(1000)).stream().sorted().toList());
        Dataset slowProducer = rows(20).map(e -> {
            sleep(2);
            return e;
        }).prefetch(4);
        assertEquals(range(20), ids(slowProducer));
        List<Float> slowConsumer = new java.util.ArrayList<>();
        try (Dataset.Cursor c = rows(20).prefetch(2).iterator()) {
            while (c.hasNext()) {
                sleep(2);
                slowConsumer.add(c.next().x().getFloat(0));
            }
        }
        assertEquals(range(20), slowConsumer);
        assertEquals(20, rows(20).prefetch(2).cardinality());
    }

    @Test
    void theProducerWorksAheadBoundedByN() throws InterruptedException {
        AtomicInteger produced = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        Dataset d = rows(50).map(e -> {
            produced.incrementAndGet();
            three.countDown();
            return e;
        }).prefetch(2);
        try (Dataset.Cursor c = d.iterator()) {
            assertTrue(three.await(10, TimeUnit.SECONDS), "prepared before the consumer asked");
            sleep(100);
            // two in the queue and one in hand, waiting for room
            assertEquals(3, produced.get());
            c.next();
            assertEquals(0f, c.next().x().getFloat(0) - 1f);
        }
    }

    @Test
    void noThreadOutlivesAPassThatEnds() throws InterruptedException {
        Dataset.Cursor c = rows(5).prefetch(2).iterator();
        Thread t = producer(c);
        int n = 0;
        while (c.hasNext()) {
            c.next();
            n++;
        }
        assertEquals(5, n);
        assertFalse(t.isAlive(), "ended with the pass");
        assertTrue(t.isDaemon());
        assertTrue(t.getName().startsWith("grad4j-prefetch-"), t.getName());
        c.close();
    }

    @Test
    void closeStopsTheThreadPromptlyEvenWhenItWaitsForRoom() {
        Dataset.Cursor c = rows(1000).prefetch(1).iterator();
        Thread t = producer(c);
        c.next();
        sleep(20);
        long start = System.nanoTime();
        c.close();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(t.isAlive(), "stopped by close()");
        assertTrue(ms < 2000, "close took " + ms + " ms");
        assertFalse(c.hasNext());
        c.close();

        // nested prefetches: closing the outer pass stops both threads
        Dataset.Cursor outer = rows(1000).prefetch(1).map(e -> e).prefetch(1).iterator();
        outer.next();
        sleep(20);
        Thread outerThread = producer(outer);
        outer.close();
        assertFalse(outerThread.isAlive());
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("grad4j-prefetch-") && th.isAlive()).count(),
                "no prefetch thread left anywhere");
    }

    @Test
    void aPassAbandonedWithoutCloseStillEndsItsThreadOnceCollected() throws InterruptedException {
        Thread t = abandonAfterOneElement(rows(1000).prefetch(1));
        for (int i = 0; i < 100 && t.isAlive(); i++) {
            System.gc();
            t.join(100);
        }
        assertFalse(t.isAlive(), "the cleaner of the unreachable cursor stopped the producer");
    }

    /** A for-each loop left by break: the cursor is never closed and, after this returns, unreachable. */
    private static Thread abandonAfterOneElement(Dataset d) {
        Dataset.Cursor c = d.iterator();
        c.next();
        sleep(20);
        Thread t = producer(c);
        assertTrue(t.isAlive(), "blocked on the full queue");
        return t;
    }

    @Test
    void anErrorOnTheProducerIsRethrownToTheConsumerWithItsCause() {
        IllegalStateException boom = new IllegalStateException("decoder exploded");
        Dataset d = rows(10).map(e -> {
            if (e.x().getFloat(0) == 4f) {
                throw boom;
            }
            return e;
        }).prefetch(3);
        Dataset.Cursor c = d.iterator();
        Thread t = producer(c);
        for (int i = 0; i < 4; i++) {
            assertEquals((float) i, c.next().x().getFloat(0), "elements before the failure all arrive");
        }
        DatasetException e = assertThrows(DatasetException.class, c::hasNext);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("prefetch") && e.getMessage().contains("decoder exploded")
                && e.getMessage().contains("fromArrays(x [10, 2], y [10]).map(...)"), e.getMessage());
        assertFalse(t.isAlive(), "ended with the failure");
        assertFalse(c.hasNext());
        c.close();

        Dataset.Cursor viaNext = d.iterator();
        for (int i = 0; i < 4; i++) {
            viaNext.next();
        }
        assertSame(boom, assertThrows(DatasetException.class, viaNext::next).getCause());
        viaNext.close();
    }
}
