package org.grad4j.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An input pipeline in the spirit of {@code tf.data}: a source of {@link Element}s and the steps that shape them
 * ({@code batch}, {@code shuffle}, {@code map}, {@code take}, {@code cache}, {@code repeat}, {@code prefetch}).
 * Every step returns a new Dataset; nothing is read until it is iterated.
 *
 * <pre>{@code
 * Dataset train = Dataset.fromArrays(x, y).shuffle(42).batch(32).prefetch(2);
 * model.fit(train, FitOptions.epochs(10).validationData(testDs));
 * }</pre>
 *
 * <p>Each {@link #iterator()} is a new pass over the data (one epoch for {@code fit}). A pass that is left before
 * its end must be closed ({@link Cursor#close()}, or try-with-resources) so that a prefetching thread stops.
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
        return new Batched(this, size, dropRemainder);
    }

    // ------------------------------------------------------------------------------------------ implementations

    /** The rows of in-memory arrays. */
    static final class ArraySource extends Dataset {
        final INDArray x;
        final INDArray y;
        final INDArray w;

        ArraySource(INDArray x, INDArray y, INDArray w) {
            if (x == null || x.rank() < 1) {
                throw new IllegalArgumentException("Dataset.fromArrays: x must be an array with a first (sample) axis, got "
                        + (x == null ? "null" : "a scalar"));
            }
            check("y", y, x);
            check("sampleWeight", w, x);
            if (w != null && w.rank() != 1) {
                throw new IllegalArgumentException("Dataset.fromArrays: sampleWeight must be [N] = [" + x.size(0) + "], got "
                        + java.util.Arrays.toString(w.shape()));
            }
            this.x = x;
            this.y = y;
            this.w = w;
        }

        private static void check(String name, INDArray a, INDArray x) {
            if (a != null && (a.rank() < 1 || a.size(0) != x.size(0))) {
                throw new IllegalArgumentException("Dataset.fromArrays: " + name + " must have as many rows as x ("
                        + x.size(0) + "), got shape " + java.util.Arrays.toString(a.shape()) + " for x "
                        + java.util.Arrays.toString(x.shape()));
            }
        }

        @Override
        public long cardinality() {
            return x.size(0);
        }

        @Override
        public Cursor iterator() {
            return new Cursor() {
                long i;

                @Override
                public boolean hasNext() {
                    return i < x.size(0);
                }

                @Override
                public Element next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    long r = i++;
                    return new Element(row(x, r), y == null ? null : row(y, r), w == null ? null : row(w, r));
                }

                @Override
                public void close() {
                    i = x.size(0);
                }
            };
        }

        private static INDArray row(INDArray a, long r) {
            return a.rank() == 1 ? a.getScalar(r) : a.slice(r);
        }
    }

    /** Consecutive elements stacked along a new first axis. */
    static final class Batched extends Dataset {
        private final Dataset source;
        private final int size;
        private final boolean dropRemainder;

        Batched(Dataset source, int size, boolean dropRemainder) {
            this.source = source;
            this.size = size;
            this.dropRemainder = dropRemainder;
        }

        @Override
        public boolean isBatched() {
            return true;
        }

        @Override
        public long cardinality() {
            long n = source.cardinality();
            if (n < 0) {
                return n;
            }
            return dropRemainder ? n / size : (n + size - 1) / size;
        }

        @Override
        public Cursor iterator() {
            Cursor in = source.iterator();
            return new Cursor() {
                Element next = advance();

                private Element advance() {
                    List<Element> group = new ArrayList<>(size);
                    while (group.size() < size && in.hasNext()) {
                        group.add(in.next());
                    }
                    if (group.isEmpty() || (dropRemainder && group.size() < size)) {
                        return null;
                    }
                    return stack(group);
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Element next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    Element e = next;
                    next = advance();
                    return e;
                }

                @Override
                public void close() {
                    next = null;
                    in.close();
                }
            };
        }

        static Element stack(List<Element> group) {
            INDArray[] xs = new INDArray[group.size()];
            INDArray[] ys = group.get(0).y() == null ? null : new INDArray[group.size()];
            INDArray[] ws = group.get(0).sampleWeight() == null ? null : new INDArray[group.size()];
            for (int i = 0; i < xs.length; i++) {
                Element e = group.get(i);
                xs[i] = e.x();
                if (ys != null) {
                    ys[i] = e.y();
                }
                if (ws != null) {
                    ws[i] = e.sampleWeight();
                }
            }
            return new Element(Nd4j.stack(0, xs), ys == null ? null : Nd4j.stack(0, ys), ws == null ? null : Nd4j.stack(0, ws));
        }
    }
}
