package org.grad4j.data;

import java.util.NoSuchElementException;

/**
 * A cursor that reads one element ahead on demand: subclasses say how to fetch the next element and what to
 * free; the end of the data and {@link #close()} both free it exactly once.
 */
abstract class LookaheadCursor implements Dataset.Cursor {
    private Element next;
    private boolean done;

    /** The next element, or null at the end of the pass. */
    protected abstract Element fetch();

    /** Frees what the pass holds (upstream cursors, threads); called once, at the end or on close. */
    protected void release() {
    }

    @Override
    public final boolean hasNext() {
        if (next == null && !done) {
            next = fetch();
            if (next == null) {
                finish();
            }
        }
        return next != null;
    }

    @Override
    public final Element next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Element e = next;
        next = null;
        return e;
    }

    @Override
    public final void close() {
        next = null;
        finish();
    }

    private void finish() {
        if (!done) {
            done = true;
            release();
        }
    }
}
