package org.grad4j.data;

/**
 * A pipeline step over one source: unless it says otherwise, a step keeps its source's element count and
 * batching, as {@code map}, {@code shuffle} and {@code prefetch} do.
 */
abstract class Step extends Dataset {
    final Dataset source;

    Step(Dataset source) {
        this.source = source;
    }

    @Override
    public long cardinality() {
        return source.cardinality();
    }

    @Override
    public boolean isBatched() {
        return source.isBatched();
    }
}
