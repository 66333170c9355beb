package org.grad4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cache}: the first pass that reaches its end is kept and replayed. A pass left early keeps nothing, so a
 * later pass never replays half the data. Replayed elements are the same arrays: do not modify them in place.
 */
final class CacheStep extends Step {
    private volatile List<Element> cached;

    CacheStep(Dataset source) {
        super(source);
    }

    /** True once a complete pass is held. */
    boolean isFilled() {
        return cached != null;
    }

    @Override
    public Cursor iterator() {
        List<Element> replay = cached;
        if (replay != null) {
            return new LookaheadCursor() {
                int i;

                @Override
                protected Element fetch() {
                    return i < replay.size() ? replay.get(i++) : null;
                }
            };
        }
        Cursor in = source.iterator();
        List<Element> filling = new ArrayList<>();
        return new LookaheadCursor() {
            boolean complete;

            @Override
            protected Element fetch() {
                if (in.hasNext()) {
                    Element e = in.next();
                    filling.add(e);
                    return e;
                }
                complete = true;
                return null;
            }

            @Override
            protected void release() {
                in.close();
                if (complete && cached == null) {
                    cached = List.copyOf(filling);
                }
            }
        };
    }

    @Override
    public long cardinality() {
        List<Element> replay = cached;
        return replay != null ? replay.size() : source.cardinality();
    }

    @Override
    public String toString() {
        return source + ".cache()";
    }
}
