package org.grad4j.data;

/** {@code take(n)}: the first n elements; the source's pass is closed as soon as n are given. */
final class TakeStep extends Step {
    private final long n;

    TakeStep(Dataset source, long n) {
        super(source);
        this.n = n;
    }

    @Override
    public Cursor iterator() {
        if (n == 0) {
            return empty();
        }
        Cursor in = source.iterator();
        return new LookaheadCursor() {
            long taken;

            @Override
            protected Element fetch() {
                if (taken >= n || !in.hasNext()) {
                    return null;
                }
                taken++;
                return in.next();
            }

            @Override
            protected void release() {
                in.close();
            }
        };
    }

    @Override
    public long cardinality() {
        long c = source.cardinality();
        if (c == INFINITE) {
            return n;
        }
        return c == UNKNOWN ? UNKNOWN : Math.min(c, n);
    }

    @Override
    public String toString() {
        return source + ".take(" + n + ")";
    }
}
