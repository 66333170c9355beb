package org.grad4j.models;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cuts arrays into batches along the first axis. An epoch with shuffling gathers the rows once in a
 * permuted order, so every batch is then a contiguous view, not a gather of its own. The gathered copies are
 * reused from one epoch to the next: a fresh copy of a 60,000 x 784 training set each epoch is 188 MB of new
 * memory whose pages the kernel must map in again (a third of a small step's time went there).
 */
final class Batches implements AutoCloseable {
    private final INDArray x;
    private final INDArray y;
    private final INDArray weights;
    /** The shuffled copies of x, y and the weights (2-D, row-major), or null: written over by the next epoch. */
    private final INDArray[] gathered = new INDArray[3];

    Batches(INDArray x, INDArray y, INDArray weights) {
        this.x = x;
        this.y = y;
        this.weights = weights;
    }

    /**
     * The batches of one epoch, in a random order when {@code random} is given, the last one partial. The previous
     * epoch's batches must no longer be in use: their memory holds this epoch's rows.
     */
    List<Batch> epoch(SplittableRandom random, int batchSize) {
        INDArray xs = x;
        INDArray ys = y;
        INDArray ws = weights;
        long n = x.size(0);
        if (random != null && n > 1) {
            int[] order = permutation((int) n, random);
            xs = shapedLike(gatherInto(0, x, order), x);
            ys = y == null ? null : shapedLike(gatherInto(1, y, order), y);
            ws = weights == null ? null : shapedLike(gatherInto(2, weights, order), weights);
        } else {
            close();
        }
        List<Batch> out = new ArrayList<>();
        for (long start = 0; start < n; start += batchSize) {
            long end = Math.min(n, start + batchSize);
            out.add(new Batch(rows(xs, start, end), ys == null ? null : rows(ys, start, end),
                    ws == null ? null : rows(ws, start, end)));
        }
        return out;
    }

    /** Rows {@code order} of {@code a} into the copy kept in slot {@code slot}, made on first use. */
    private INDArray gatherInto(int slot, INDArray a, int[] order) {
        INDArray kept = gathered[slot];
        if (kept == null) {
            kept = gather(a, order);
            gathered[slot] = kept;
            return kept;
        }
        long n = a.size(0);
        INDArray copy = a.rank() == 2 && a.ordering() == 'c' ? null : a.dup('c');
        INDArray flat = copy == null ? a : copy.reshape('c', n, n == 0 ? 0 : a.length() / n);
        pullRows(flat, kept, order);
        if (copy != null && copy.closeable()) {
            copy.close();
        }
        return kept;
    }

    /**
     * Frees the shuffled copies (their batches must no longer be in use). Native memory is otherwise released
     * only when the garbage collector finds the arrays, or never when JavaCPP's pointer GC is off.
     */
    @Override
    public void close() {
        for (int i = 0; i < gathered.length; i++) {
            if (gathered[i] != null && gathered[i].closeable()) {
                gathered[i].close();
            }
            gathered[i] = null;
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

    /** Rows {@code order} of {@code a}, as a new 2-D array {@code [n, everything else]}. */
    static INDArray gather(INDArray a, int[] order) {
        long n = a.size(0);
        INDArray copy = a.rank() == 2 && a.ordering() == 'c' ? null : a.dup('c');
        INDArray flat = copy == null ? a : copy.reshape('c', n, n == 0 ? 0 : a.length() / n);
        INDArray pulled = Nd4j.createUninitialized(flat.dataType(), order.length, flat.size(1));
        pullRows(flat, pulled, order);
        if (copy != null && copy.closeable()) {
            copy.close();
        }
        return pulled;
    }

    /**
     * Rows {@code order} of {@code flat [n, width]} into {@code into [order.length, width]}: one bulk copy a row,
     * split over the cores, when both are contiguous and row-major; else libnd4j's {@code pullRows}, which
     * copied the Keras tutorial's 60,000 x 784 epoch at about 0.3 GB/s, a third of the time of its steps.
     */
    static void pullRows(INDArray flat, INDArray into, int[] order) {
        ByteBuffer from = contiguousBytes(flat);
        ByteBuffer to = contiguousBytes(into);
        if (from == null || to == null || flat.dataType() != into.dataType() || order.length == 0) {
            Nd4j.pullRows(flat, into, 1, order);
            return;
        }
        int row = (int) (flat.size(1) * flat.dataType().width());
        int parts = (long) order.length * row < (1 << 20) ? 1 : Runtime.getRuntime().availableProcessors();
        IntStream.range(0, parts).parallel().forEach(part -> {
            int first = (int) ((long) order.length * part / parts);
            int last = (int) ((long) order.length * (part + 1) / parts);
            for (int i = first; i < last; i++) {
                to.put(i * row, from, order[i] * row, row);
            }
        });
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

    /** The gathered rows under their original shape (a view, so closing the gathered array frees both). */
    private static INDArray shapedLike(INDArray gathered, INDArray a) {
        return a.rank() == 2 ? gathered : gathered.reshape('c', a.shape());
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
