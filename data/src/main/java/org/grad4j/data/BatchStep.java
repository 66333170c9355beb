package org.grad4j.data;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Consecutive elements stacked along a new first axis. Over arrays (possibly shuffled) each batch's rows are
 * gathered in one operation: slicing and stacking row by row costs an ND4J call per row.
 */
final class BatchStep extends Dataset {
    private final Dataset source;
    private final int size;
    private final boolean dropRemainder;

    BatchStep(Dataset source, int size, boolean dropRemainder) {
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
        ArraySource arrays = source.rowSource();
        return arrays != null ? new GatherCursor(arrays, source.nextRowOrder()) : new StackCursor(source.iterator());
    }

    /** Batches gathered from the arrays' rows in a pass order. */
    final class GatherCursor extends LookaheadCursor {
        private final ArraySource arrays;
        private final int[] order;
        private int from;

        GatherCursor(ArraySource arrays, int[] order) {
            this.arrays = arrays;
            this.order = order;
        }

        @Override
        protected Element fetch() {
            int n = arrays.rows();
            int to = (int) Math.min((long) from + size, n);
            if (from >= n || (dropRemainder && to - from < size)) {
                return null;
            }
            Element e = arrays.gather(order, from, to);
            from = to;
            return e;
        }
    }

    /** Batches stacked from the source's elements. */
    private final class StackCursor extends LookaheadCursor {
        private final Cursor in;

        StackCursor(Cursor in) {
            this.in = in;
        }

        @Override
        protected Element fetch() {
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
        protected void release() {
            in.close();
        }
    }

    private Element stack(List<Element> group) {
        INDArray[] xs = new INDArray[group.size()];
        INDArray[] ys = group.get(0).y() == null ? null : new INDArray[group.size()];
        INDArray[] ws = group.get(0).sampleWeight() == null ? null : new INDArray[group.size()];
        for (int i = 0; i < xs.length; i++) {
            Element e = group.get(i);
            xs[i] = e.x();
            if (ys != null) {
                ys[i] = required(e.y(), "y");
            }
            if (ws != null) {
                ws[i] = required(e.sampleWeight(), "sampleWeight");
            }
        }
        try {
            return new Element(Nd4j.stack(0, xs), ys == null ? null : Nd4j.stack(0, ys), ws == null ? null : Nd4j.stack(0, ws));
        } catch (RuntimeException e) {
            throw new DatasetException("Dataset.batch(" + size + ") over " + source + ": the elements of a batch must "
                    + "have the same shapes: " + e.getMessage(), e);
        }
    }

    private INDArray required(INDArray a, String name) {
        if (a == null) {
            throw new DatasetException("Dataset.batch(" + size + ") over " + source + ": the first element of a batch has "
                    + name + ", a later one has none");
        }
        return a;
    }

    @Override
    public String toString() {
        return source + ".batch(" + size + (dropRemainder ? ", dropRemainder" : "") + ")";
    }
}
