package org.grad4j.data;

import java.util.function.UnaryOperator;

/** {@code map}: a function applied to every element as it passes. */
final class MapStep extends Step {
    private final UnaryOperator<Element> function;

    MapStep(Dataset source, UnaryOperator<Element> function) {
        super(source);
        this.function = function;
    }

    @Override
    public Cursor iterator() {
        Cursor in = source.iterator();
        return new LookaheadCursor() {
            long index;

            @Override
            protected Element fetch() {
                if (!in.hasNext()) {
                    return null;
                }
                Element out = function.apply(in.next());
                if (out == null) {
                    throw new DatasetException("Dataset.map over " + source + ": the function returned null for element "
                            + index + " (counted from 0)");
                }
                index++;
                return out;
            }

            @Override
            protected void release() {
                in.close();
            }
        };
    }

    @Override
    public String toString() {
        return source + ".map(...)";
    }
}
