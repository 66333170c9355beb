package org.grad4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An input pipeline in the spirit of {@code tf.data}: a source of {@link Element}s and the steps that shape them
 * ({@code batch}, {@code shuffle}, {@code map}, {@code take}, {@code cache}, {@code repeat}, {@code prefetch}).
 * Every step returns a new Dataset; nothing is read until it is iterated.
 *
 * <pre>{@code
 * Dataset train = Dataset.fromArrays(x, y).shuffle(42).batch(32).prefetch(2);
 * model.fit(train, FitOptions.epochs(10).validationData(testDs));
 *
 * Dataset iris = Csv.read(Path.of("iris.csv")).label("species").oneHot().toDataset().cache().shuffle(1).batch(16);
 * ImageFolder flowers = ImageFolder.read(dir).imageSize(180, 180).shuffle(123).validationSplit(0.2);
 * Dataset flowersTrain = flowers.training().prefetch(2);   // decoded on a background thread
 * }</pre>
 *
 * <p>Each {@link #iterator()} is a new pass over the data (one epoch for {@code fit}); a shuffle draws a new
 * order for each pass, the same sequence of orders for the same seed. A pass that is left before its end must be
 * closed ({@link Cursor#close()}, or try-with-resources) so that a prefetching thread stops.
 *
 * <p>{@code fromArrays(x, y).batch(n)} and {@code fromArrays(x, y).shuffle(seed).batch(n)} gather each batch's
 * rows in one operation instead of slicing and stacking row by row; they yield the same elements as the
 * row-by-row path would.
 */
public abstract class Dataset implements Iterable<Element> {
    /** {@link #cardinality()} of a dataset that never ends ({@code repeat()} without a count). */
    public static final long INFINITE = -1;
    /** {@link #cardinality()} when the number of elements is not known before iterating ({@code map} keeps it, a filter would not). */
    public static final long UNKNOWN = -2;

    /** One pass over a dataset's elements. */
    public interface Cursor extends Iterator<Element>, AutoCloseable {
        /** Stops the pass early and frees what it holds (a prefetching thread, an open file); idempotent. */
        @Override
        void close();
    }

    /** A new pass over the elements, from the first. */
    @Override
    public abstract Cursor iterator();

    /** The number of elements in a pass, or {@link #INFINITE} or {@link #UNKNOWN}. */
    public long cardinality() {
        return UNKNOWN;
    }

    /** True when the elements are batches (a {@link #batch(int)} step has been applied). */
    public boolean isBatched() {
        return false;
    }

    /**
     * The features {@code x} of each element, one pass per {@code iterator()}; for statistics such as
     * {@code Normalization.adapt(Iterable<INDArray>)}. Iterate it to its end (a prefetching thread stops there).
     */
    public Iterable<INDArray> features() {
        if (cardinality() == INFINITE) {
            throw new IllegalStateException("Dataset.features: " + this + " is infinite (repeat() without a count); "
                    + "take(n) a finite part first");
        }
        return () -> {
            Cursor cursor = iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return cursor.hasNext();
                }

                @Override
                public INDArray next() {
                    return cursor.next().x();
                }
            };
        };
    }

    // ------------------------------------------------------------------------------------------ sources

    /** The rows of {@code x} as elements, without labels ({@code tf.data.Dataset.from_tensor_slices(x)}). */
    public static Dataset fromArrays(INDArray x) {
        return fromArrays(x, null, null);
    }

    /** The rows of {@code x} and {@code y} as elements; both must have the same number of rows. */
    public static Dataset fromArrays(INDArray x, INDArray y) {
        return fromArrays(x, y, null);
    }

    /**
     * The rows of {@code x}, {@code y} and {@code sampleWeight} ({@code [N]}) as elements; {@code y} and
     * {@code sampleWeight} may be null.
     */
    public static Dataset fromArrays(INDArray x, INDArray y, INDArray sampleWeight) {
        return new ArraySource(x, y, sampleWeight);
    }

    /**
     * The batches of a DL4J/ND4J iterator as elements ({@link #isBatched()} is true); the iterator is reset at the
     * start of every pass after the first. A per-sample labels mask ({@code [b]} or {@code [b, 1]}) becomes the
     * sample weights; a features mask that is not all ones is refused, since elements carry no masks.
     */
    public static Dataset fromIterator(DataSetIterator iterator) {
        return new IteratorSource(iterator);
    }

    // ------------------------------------------------------------------------------------------ steps

    /** Stacks consecutive elements into batches of {@code size}; the last batch may be smaller. */
    public Dataset batch(int size) {
        return batch(size, false);
    }

    /** Stacks consecutive elements into batches of {@code size}; {@code dropRemainder} drops a smaller last batch. */
    public Dataset batch(int size, boolean dropRemainder) {
        if (size < 1) {
            throw new IllegalArgumentException("Dataset.batch: the size must be at least 1, got " + size);
        }
        if (isBatched()) {
            throw new IllegalStateException("Dataset.batch: this dataset is already batched; unbatch it first or batch once");
        }
        return new BatchStep(this, size, dropRemainder);
    }

    /** Splits each batch back into its samples (the inverse of {@link #batch(int)}). */
    public Dataset unbatch() {
        return new UnbatchStep(this);
    }

    /**
     * Shuffles over the whole dataset (a buffer as large as the dataset: every order equally likely), a new
     * order on every pass; the same seed gives the same sequence of orders.
     */
    public Dataset shuffle(long seed) {
        if (cardinality() == INFINITE) {
            throw new IllegalStateException("Dataset.shuffle(" + seed + "): " + this + " is infinite and cannot be held "
                    + "whole; shuffle before repeat(), or give a buffer size: shuffle(seed, bufferSize)");
        }
        return new ShuffleStep(this, seed, ShuffleStep.WHOLE);
    }

    /**
     * Shuffles as {@code tf.data}'s {@code shuffle(bufferSize, seed)} does: the first {@code bufferSize} elements
     * fill a buffer, each output is a random element of the buffer, whose place the next input element takes.
     * A new order on every pass; the same seed gives the same sequence of orders.
     */
    public Dataset shuffle(long seed, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("Dataset.shuffle: the buffer size must be at least 1, got " + bufferSize);
        }
        return new ShuffleStep(this, seed, bufferSize);
    }

    /** Applies {@code function} to every element (to each batch after {@link #batch(int)}); keeps the cardinality. */
    public Dataset map(UnaryOperator<Element> function) {
        if (function == null) {
            throw new IllegalArgumentException("Dataset.map: the function must not be null");
        }
        return new MapStep(this, function);
    }

    /** Applies {@code function} to the features {@code x} of every element, leaving labels and weights. */
    public Dataset mapX(UnaryOperator<INDArray> function) {
        if (function == null) {
            throw new IllegalArgumentException("Dataset.mapX: the function must not be null");
        }
        return map(e -> e.withX(function.apply(e.x())));
    }

    /** The first {@code n} elements. */
    public Dataset take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("Dataset.take: n must be at least 0, got " + n);
        }
        return new TakeStep(this, n);
    }

    /**
     * Keeps the first complete pass in memory and replays it on later passes. A pass left before its end keeps
     * nothing; the next pass reads the source again. Put it before {@code shuffle} to reshuffle cached elements.
     */
    public Dataset cache() {
        if (cardinality() == INFINITE) {
            throw new IllegalStateException("Dataset.cache: " + this + " is infinite, a pass would never complete; "
                    + "cache() before repeat()");
        }
        return new CacheStep(this);
    }

    /** Repeats the passes without end ({@link #cardinality()} becomes {@link #INFINITE}). */
    public Dataset repeat() {
        return new RepeatStep(this, -1);
    }

    /** Repeats the passes {@code count} times (0 gives an empty dataset). */
    public Dataset repeat(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("Dataset.repeat: count must be at least 0, got " + count
                    + "; repeat() repeats without end");
        }
        return new RepeatStep(this, count);
    }

    /**
     * Prepares up to {@code n} elements ahead on a background (daemon) thread while the consumer works. An error
     * on that thread is rethrown by the consumer's next {@code hasNext()}/{@code next()}, with the original as
     * its cause; {@link Cursor#close()} stops the thread.
     */
    public Dataset prefetch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Dataset.prefetch: n must be at least 1, got " + n);
        }
        return new PrefetchStep(this, n);
    }

    // ------------------------------------------------------------------------------------------ gather fast path

    /**
     * The in-memory arrays whose rows this dataset's elements are, in the order {@link #nextRowOrder()} gives,
     * or null; lets {@code batch} gather a batch's rows in one operation.
     */
    ArraySource rowSource() {
        return null;
    }

    /** The row order of the next pass (null: the arrays' own order); called only when {@link #rowSource()} is not null. */
    int[] nextRowOrder() {
        throw new UnsupportedOperationException(this + " is not a row order of arrays");
    }

    /** A finished pass, for sources and steps with nothing to give. */
    static Cursor empty() {
        return new Cursor() {
            @Override
            public boolean hasNext() {
                return false;
            }

            @Override
            public Element next() {
                throw new NoSuchElementException();
            }

            @Override
            public void close() {
            }
        };
    }
}
