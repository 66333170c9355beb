package org.grad4j.models;

import java.util.Iterator;

/**
 * Where one {@code fit}'s training batches come from, epoch by epoch: arrays cut into batches, an ND4J
 * iterator or a {@link org.grad4j.data.Dataset}. The one training loop in {@link Trainer} reads them all through
 * this, and closes the source however the loop ends (done, stopped early, or an exception), so that a pass
 * left open (a prefetching thread, an open file) is always released.
 */
interface BatchSource extends AutoCloseable {

    /** Steps per epoch when known before the epoch runs (Keras' {@code steps} param), else -1. */
    int steps();

    /** The batches of {@code epoch}; the loop may stop reading before their end. */
    Iterator<Batch> epoch(int epoch);

    /** Releases whatever an open pass holds; idempotent. */
    @Override
    void close();
}
