package org.grad4j.data;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The batches of a DL4J/ND4J {@link DataSetIterator} ({@code Dataset.fromIterator}). */
final class IteratorSource extends Dataset {
    private final DataSetIterator iterator;
    /** An iterator has one position: two passes at once would interleave its batches. */
    private final AtomicBoolean inPass = new AtomicBoolean();
    private boolean started;

    IteratorSource(DataSetIterator iterator) {
        if (iterator == null) {
            throw new IllegalArgumentException("Dataset.fromIterator: the iterator must not be null");
        }
        this.iterator = iterator;
    }

    @Override
    public boolean isBatched() {
        return true;
    }

    @Override
    public Cursor iterator() {
        if (!inPass.compareAndSet(false, true)) {
            throw new IllegalStateException("Dataset.fromIterator: a pass over " + this + " is still open; a "
                    + "DataSetIterator has one position, so close the previous pass (or cache() the dataset) first");
        }
        try {
            if (started) {
                if (!iterator.resetSupported()) {
                    throw new IllegalStateException("Dataset.fromIterator: " + this + " cannot be reset for a second "
                            + "pass (resetSupported() is false); cache() the dataset to replay its first pass");
                }
                iterator.reset();
            }
            started = true;
        } catch (RuntimeException e) {
            inPass.set(false);
            throw e;
        }
        return new LookaheadCursor() {
            long batch;

            @Override
            protected Element fetch() {
                if (!iterator.hasNext()) {
                    return null;
                }
                return element(iterator.next(), batch++);
            }

            @Override
            protected void release() {
                inPass.set(false);
            }
        };
    }

    private Element element(DataSet d, long batch) {
        INDArray features = d.getFeatures();
        INDArray fMask = d.getFeaturesMaskArray();
        if (fMask != null && fMask.minNumber().doubleValue() != 1.0) {
            throw new DatasetException("Dataset.fromIterator: batch " + batch + " of " + this + " has a features mask "
                    + Arrays.toString(fMask.shape()) + " that is not all ones; a Dataset element carries no masks "
                    + "(pad or trim the sequences to one length instead)");
        }
        INDArray weights = null;
        INDArray lMask = d.getLabelsMaskArray();
        if (lMask != null) {
            long b = features.size(0);
            boolean perSample = (lMask.rank() == 1 && lMask.size(0) == b)
                    || (lMask.rank() == 2 && lMask.size(0) == b && lMask.size(1) == 1);
            if (!perSample) {
                throw new DatasetException("Dataset.fromIterator: batch " + batch + " of " + this + " has a labels mask "
                        + Arrays.toString(lMask.shape()) + "; only a per-sample mask [" + b + "] or [" + b + ", 1] "
                        + "can become sample weights");
            }
            weights = lMask.reshape(b);
        }
        return new Element(features, d.getLabels(), weights);
    }

    @Override
    public String toString() {
        return "fromIterator(" + iterator.getClass().getSimpleName() + ")";
    }
}
