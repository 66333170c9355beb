package org.grad4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code unbatch}: each element split along its first axis into its samples. */
final class UnbatchStep extends Dataset {
    private final Dataset source;

    UnbatchStep(Dataset source) {
        this.source = source;
    }

    @Override
    public Cursor iterator() {
        Cursor in = source.iterator();
        return new LookaheadCursor() {
            Element batch;
            long row;

            @Override
            protected Element fetch() {
                while (batch == null || row >= batch.x().size(0)) {
                    if (!in.hasNext()) {
                        return null;
                    }
                    batch = in.next();
                    row = 0;
                    if (batch.x().rank() < 1) {
                        throw new DatasetException("Dataset.unbatch over " + source + ": an element's x is a scalar, "
                                + "there is no batch axis to split");
                    }
                }
                long r = row++;
                return new Element(row(batch.x(), r), row(batch.y(), r), row(batch.sampleWeight(), r));
            }

            @Override
            protected void release() {
                in.close();
            }
        };
    }

    private static INDArray row(INDArray a, long r) {
        if (a == null) {
            return null;
        }
        return ArraySource.row(a, r);
    }

    @Override
    public String toString() {
        return source + ".unbatch()";
    }
}
