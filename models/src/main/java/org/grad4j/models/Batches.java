package org.grad4j.models;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cuts arrays into batches along the first axis. A shuffled epoch gathers each batch's rows, in the epoch's
 * permuted order, when the batch is taken, into memory kept for the whole {@code fit}: the next batch is gathered
 * into the same memory. Gathering the whole epoch at once needed a copy of the training set, and fresh memory is
 * dear: on the machine of the benchmarks, first touching a 60,000 x 784 epoch's 188 MB took 0.6-0.8 s, a third of
 * the Keras tutorial's epoch again whenever {@code fit} was called anew.
 */
final class Batches implements AutoCloseable {
    private final INDArray[] sources;
    /** Each source as one contiguous row-major matrix {@code [n, width]}: a view of it, or a copy made once. */
    private final INDArray[] flat = new INDArray[3];
    /** The memory the batches are gathered into, {@code [batchSize, width]} each, made on first use. */
    private final INDArray[] kept = new INDArray[3];
    /** Whether {@link #flat} holds a copy of its source (to be freed on close) rather than a view of the caller's array. */
    private final boolean[] copied = new boolean[3];

    Batches(INDArray x, INDArray y, INDArray weights) {
        this.sources = new INDArray[] {x, y, weights};
    }

    /**
     * The batches of one epoch, in a random order when {@code random} is given, the last one partial. A shuffled
     * epoch's batch is valid until the next batch is taken: its rows are gathered into memory the next one reuses
     * (as the step's own arrays live in memory the next step reuses). Unshuffled batches are views of the arrays.
     */
    Iterator<Batch> epoch(SplittableRandom random, int batchSize) {
        long n = sources[0].size(0);
        int[] order = random != null && n > 1 ? permutation((int) n, random) : null;
        return new Iterator<>() {
            private long start;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (start >= n) {
                    throw new NoSuchElementException("the epoch has " + n + " samples");
                }
                long end = Math.min(n, start + batchSize);
                INDArray[] parts = new INDArray[3];
                for (int slot = 0; slot < 3; slot++) {
                    INDArray a = sources[slot];
                    parts[slot] = a == null ? null : order == null ? rows(a, start, end) : gathered(slot, order, (int) start, (int) end, batchSize);
                }
                start = end;
                return new Batch(parts[0], parts[1], parts[2]);
            }
        };
    }

    /** Rows {@code order[from, to)} of source {@code slot}, gathered into its kept memory, under the source's shape. */
    private INDArray gathered(int slot, int[] order, int from, int to, int batchSize) {
        INDArray a = sources[slot];
        if (flat[slot] == null) {
            long n = a.size(0);
            copied[slot] = a.ordering() != 'c' || (a.length() > 1 && a.elementWiseStride() != 1);
            INDArray rowMajor = copied[slot] ? a.dup('c') : a;
            flat[slot] = rowMajor.reshape('c', n, n == 0 ? 0 : a.length() / n);
            kept[slot] = Nd4j.createUninitialized(a.dataType(), Math.min(batchSize, n), flat[slot].size(1));
        }
        INDArray into = to - from == kept[slot].size(0) ? kept[slot] : rows(kept[slot], 0, to - from);
        pullRows(flat[slot], into, order, from);
        if (a.rank() == 2) {
            return into;
        }
        long[] shape = a.shape().clone();
        shape[0] = to - from;
        return into.reshape('c', shape);
    }

    /**
     * Frees the gathered memory and any row-major copy of a source (their batches must no longer be in use).
     * Native memory is otherwise released only when the garbage collector finds the arrays, or never when
     * JavaCPP's pointer GC is off.
     */
    @Override
    public void close() {
        for (int i = 0; i < 3; i++) {
            if (kept[i] != null && kept[i].closeable()) {
                kept[i].close();
            }
            if (flat[i] != null && copied[i] && flat[i].closeable()) {
                flat[i].close();
            }
            kept[i] = null;
            flat[i] = null;
            copied[i] = false;
        }
    }

    /** Fisher-Yates with the given generator: the same seed gives the same order. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Rows {@code order[first, first + into.size(0))} of {@code flat [n, width]} into {@code into}: one bulk copy a row,
     * split over the cores, when both are contiguous and row-major; else libnd4j's {@code pullRows}, which
     * copied the Keras tutorial's 60,000 x 784 epoch at about 0.3 GB/s, a third of the time of its steps.
     */
    static void pullRows(INDArray flat, INDArray into, int[] order, int first) {
        int count = (int) into.size(0);
        ByteBuffer from = contiguousBytes(flat);
        ByteBuffer to = contiguousBytes(into);
        if (from == null || to == null || flat.dataType() != into.dataType() || count == 0) {
            int[] some = first == 0 && count == order.length ? order : Arrays.copyOfRange(order, first, first + count);
            Nd4j.pullRows(flat, into, 1, some);
            return;
        }
        int row = (int) (flat.size(1) * flat.dataType().width());
        IntConsumer copy = part -> {
            int parts = part < 0 ? 1 : Runtime.getRuntime().availableProcessors();
            int p = Math.max(part, 0);
            int last = (int) ((long) count * (p + 1) / parts);
            for (int i = (int) ((long) count * p / parts); i < last; i++) {
                to.put(i * row, from, order[first + i] * row, row);
            }
        };
        // a fork-join round trip costs more than the copies of a batch of up to several MB: on this project's
        // 2-core machine, rows gathered from a shuffled 2,048-row array, medians of 400: 256 x 1,024 floats (1 MB)
        // 112 us on one thread against 266 split over the common pool, 1,024 x 2,048 (8 MB) 639 against 727
        if ((long) count * row < (16 << 20)) {
            copy.accept(-1);
        } else {
            IntStream.range(0, Runtime.getRuntime().availableProcessors()).parallel().forEach(copy);
        }
    }

    /** The array's bytes from its first element, or null unless it is one row-major block under 2 GB. */
    private static ByteBuffer contiguousBytes(INDArray a) {
        long width = a.dataType().width();
        if (a.ordering() != 'c' || (a.length() > 1 && a.elementWiseStride() != 1)
                || (a.offset() + a.length()) * width > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer all = a.data().asNio();
        long start = a.offset() * width;
        long length = a.length() * width;
        if (all == null || start + length > all.capacity()) {
            return null;
        }
        return all.slice((int) start, (int) length);
    }

    /** Rows {@code [from, to)} of {@code a}: a view. */
    static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index);
    }

    /** x and y present, with at least one sample each and the same number of samples. */
    static void checkPair(String where, String xName, INDArray x, String yName, INDArray y) {
        if (x == null || y == null) {
            throw new IllegalArgumentException(where + ": " + (x == null ? xName : yName) + " is null");
        }
        if (x.rank() == 0 || y.rank() == 0) {
            throw new IllegalArgumentException(where + ": " + xName + " and " + yName + " need a sample axis first, got "
                    + Shapes.format(x.shape()) + " and " + Shapes.format(y.shape()));
        }
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException(where + ": " + xName + " has " + x.size(0) + " samples but " + yName + " has "
                    + y.size(0) + " (shapes " + Shapes.format(x.shape()) + " and " + Shapes.format(y.shape()) + ")");
        }
        if (x.size(0) == 0) {
            throw new IllegalArgumentException(where + ": " + xName + " has no samples");
        }
    }

    static void checkBatchSize(String where, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException(where + ": batchSize must be > 0, got " + batchSize);
        }
    }
}
