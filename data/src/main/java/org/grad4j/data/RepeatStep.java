package org.grad4j.data;

/** {@code repeat}: the source's passes one after another, {@code count} times or (count -1) without end. */
final class RepeatStep extends Step {
    private final int count;

    RepeatStep(Dataset source, int count) {
        super(source);
        this.count = count;
    }

    @Override
    public Cursor iterator() {
        return new LookaheadCursor() {
            Cursor in;
            int pass;
            boolean passGaveElements;

            @Override
            protected Element fetch() {
                while (true) {
                    if (in == null) {
                        if (count >= 0 && pass >= count) {
                            return null;
                        }
                        in = source.iterator();
                        pass++;
                        passGaveElements = false;
                    }
                    if (in.hasNext()) {
                        passGaveElements = true;
                        return in.next();
                    }
                    in.close();
                    in = null;
                    if (!passGaveElements) {
                        return null;   // an empty pass would make repeat() spin for ever, as tf.data also stops
                    }
                }
            }

            @Override
            protected void release() {
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    @Override
    public long cardinality() {
        long c = source.cardinality();
        if (count == 0 || c == 0) {
            return 0;
        }
        if (count < 0) {
            return INFINITE;
        }
        return c < 0 ? c : c * count;
    }

    @Override
    public String toString() {
        return source + ".repeat(" + (count < 0 ? "" : count) + ")";
    }
}
