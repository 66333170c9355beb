package org.grad4j.models;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.grad4j.data.Dataset;
import org.grad4j.data.Element;

/**
 * The batches of a {@link Dataset} for fit, evaluate and predict, with Keras 3's epoch semantics: without
 * {@code steps} each epoch is a new pass to the end; with {@code steps} (Keras' {@code steps_per_epoch}) each
 * epoch takes that many batches and the next epoch continues the same pass, and a pass that runs out ends its
 * epoch early (with a warning) and the next epoch starts a new one. At most one pass is open at a time, and
 * {@link #close()} closes it.
 */
final class DatasetBatches implements BatchSource {
    private static final System.Logger LOG = System.getLogger("org.grad4j.models");

    /** Turns the {@code index}-th element read (from 0, over all passes) into a batch, checking it. */
    interface Converter {
        Batch convert(Element element, long index);
    }

    private final String where;
    private final Dataset dataset;
    private final int steps;
    private final Converter converter;
    private Dataset.Cursor cursor;
    /** The first batch, read ahead by {@link #first()} to check shapes; the next epoch starts with it. */
    private Batch peeked;
    private long read;

    /**
     * @param where     for messages: {@code fit}, {@code fit: validationData}, {@code evaluate}, {@code predict}
     * @param steps     batches per epoch, or 0 for a full pass each epoch
     */
    DatasetBatches(String where, Dataset dataset, int steps, Converter converter) {
        this.where = where;
        this.dataset = dataset;
        this.steps = steps;
        this.converter = converter;
    }

    /**
     * Refuses, before anything is read, what cannot be iterated as Keras would: a null or unbatched dataset (Keras
     * takes batches from a dataset, never makes them) and an infinite one without a step count (its pass never ends).
     *
     * @param stepsHint how the caller bounds a pass, for the message
     */
    static void check(String where, Dataset dataset, int steps, String stepsHint) {
        if (dataset == null) {
            throw new IllegalArgumentException(where + ": the dataset is null");
        }
        if (!dataset.isBatched()) {
            throw new IllegalArgumentException(where + ": the dataset is not batched (each element is one sample); "
                    + "a Dataset must yield batches, as in Keras: call .batch(n) on it, e.g. dataset.batch(32)");
        }
        if (dataset.cardinality() == Dataset.INFINITE && steps <= 0) {
            throw new IllegalArgumentException(where + ": the dataset is infinite (repeat() without a count), so a pass "
                    + "never ends; " + stepsHint);
        }
    }

    /** The first batch, read once before training so that bad shapes fail before any state changes. */
    Batch first() {
        if (peeked == null) {
            reopen();
            if (!cursor.hasNext()) {
                close();
                throw new IllegalArgumentException(where + ": the dataset has no elements");
            }
            peeked = convert(cursor.next());
        }
        return peeked;
    }

    @Override
    public int steps() {
        if (steps > 0) {
            return steps;
        }
        long n = dataset.cardinality();
        return n >= 0 && n <= Integer.MAX_VALUE ? (int) n : -1;   // unknown: the progress bar shows no total
    }

    @Override
    public Iterator<Batch> epoch(int epoch) {
        if (peeked == null && !(steps > 0 && cursor != null && cursor.hasNext())) {
            reopen();
        }
        return new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                if (steps > 0 && taken >= steps) {
                    return false;
                }
                if (peeked != null) {
                    return true;
                }
                if (cursor != null && cursor.hasNext()) {
                    return true;
                }
                if (cursor != null && steps > 0) {
                    LOG.log(Level.WARNING, where + ": the dataset ran out of data after " + taken + " of " + steps
                            + " steps in epoch " + epoch + "; the next epoch starts a new pass. Make sure it can yield "
                            + "steps x epochs batches, e.g. with repeat()");
                }
                closeCursor();
                return false;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                if (peeked != null) {
                    Batch b = peeked;
                    peeked = null;
                    return b;
                }
                return convert(cursor.next());
            }
        };
    }

    private Batch convert(Element element) {
        return converter.convert(element, read++);
    }

    private void reopen() {
        closeCursor();
        cursor = dataset.iterator();
    }

    private void closeCursor() {
        if (cursor != null) {
            Dataset.Cursor c = cursor;
            cursor = null;
            c.close();
        }
    }

    @Override
    public void close() {
        peeked = null;
        closeCursor();
    }
}
