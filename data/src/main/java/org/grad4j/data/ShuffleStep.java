package org.grad4j.data;

import java.util.concurrent.atomic.AtomicLong;

/** {@code shuffle}: a new order on every pass, each pass's seed derived from the seed and the pass number. */
final class ShuffleStep extends Step {
    /** A buffer that holds the whole dataset: a uniformly random permutation. */
    static final int WHOLE = Integer.MAX_VALUE;

    private final long seed;
    private final int bufferSize;
    private final AtomicLong passes = new AtomicLong();

    ShuffleStep(Dataset source, long seed, int bufferSize) {
        super(source);
        this.seed = seed;
        this.bufferSize = bufferSize;
    }

    /** SplitMix64's finaliser over seed and pass: nearby seeds and passes give unrelated streams. */
    static long passSeed(long seed, long pass) {
        long z = seed + (pass + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Cursor iterator() {
        Cursor in = source.iterator();
        ShuffleBuffer<Element> buffer = new ShuffleBuffer<>(() -> in.hasNext() ? in.next() : null,
                passSeed(seed, passes.getAndIncrement()), bufferSize);
        return new LookaheadCursor() {
            @Override
            protected Element fetch() {
                return buffer.next();
            }

            @Override
            protected void release() {
                in.close();
            }
        };
    }

    @Override
    ArraySource rowSource() {
        return source.rowSource();
    }

    @Override
    int[] nextRowOrder() {
        ArraySource arrays = source.rowSource();
        int[] order = source.nextRowOrder();
        return ShuffleBuffer.permute(order, arrays.rows(), passSeed(seed, passes.getAndIncrement()), bufferSize);
    }

    @Override
    public String toString() {
        return source + ".shuffle(" + seed + (bufferSize == WHOLE ? "" : ", " + bufferSize) + ")";
    }
}
