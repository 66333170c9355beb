package org.grad4j.models;

import java.util.NoSuchElementException;
import org.grad4j.data.Dataset;
import org.grad4j.data.Element;

/**
 * A test-local Dataset over another that records its passes: how many were opened and closed, and how many
 * batches were read. It can hide the size ({@link Dataset#UNKNOWN}), repeat the inner dataset forever
 * ({@link Dataset#INFINITE}), or fail on a given read.
 */
final class RecordingDataset extends Dataset {
    private final Dataset inner;
    private final boolean infinite;
    private final boolean hideSize;
    private final long failAt;
    int opened;
    int closed;
    long read;

    private RecordingDataset(Dataset inner, boolean infinite, boolean hideSize, long failAt) {
        this.inner = inner;
        this.infinite = infinite;
        this.hideSize = hideSize;
        this.failAt = failAt;
    }

    /** The same batches, size known. */
    static RecordingDataset of(Dataset inner) {
        return new RecordingDataset(inner, false, false, -1);
    }

    /** The same batches, size {@link Dataset#UNKNOWN}, as after a filter. */
    static RecordingDataset unknownSize(Dataset inner) {
        return new RecordingDataset(inner, false, true, -1);
    }

    /** The inner batches again and again, never ending, as {@code repeat()}. */
    static RecordingDataset repeated(Dataset inner) {
        return new RecordingDataset(inner, true, false, -1);
    }

    /** The same batches, but reading the {@code index}-th (from 0, over all passes) throws. */
    static RecordingDataset failingAt(Dataset inner, long index) {
        return new RecordingDataset(inner, false, false, index);
    }

    @Override
    public boolean isBatched() {
        return inner.isBatched();
    }

    @Override
    public long cardinality() {
        return infinite ? INFINITE : hideSize ? UNKNOWN : inner.cardinality();
    }

    /** Whether every pass opened has been closed. */
    boolean allClosed() {
        return opened == closed;
    }

    @Override
    public Cursor iterator() {
        opened++;
        return new Cursor() {
            Cursor pass = inner.iterator();
            boolean done;

            @Override
            public boolean hasNext() {
                if (done) {
                    return false;
                }
                if (infinite && !pass.hasNext()) {
                    pass.close();
                    pass = inner.iterator();
                }
                return pass.hasNext();
            }

            @Override
            public Element next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (read == failAt) {
                    read++;
                    throw new IllegalStateException("RecordingDataset: read " + failAt + " fails, as asked");
                }
                read++;
                return pass.next();
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    closed++;
                    pass.close();
                }
            }
        };
    }
}
