package org.grad4j.data;

import java.util.List;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A DataSetIterator over fixed batches, counting its resets. */
final class BatchList implements DataSetIterator {
    private final List<DataSet> batches;
    private final boolean resettable;
    private int position;
    int resets;

    BatchList(List<DataSet> batches) {
        this(batches, true);
    }

    BatchList(List<DataSet> batches, boolean resettable) {
        this.batches = batches;
        this.resettable = resettable;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int inputColumns() {
        return 0;
    }

    @Override
    public int totalOutcomes() {
        return 0;
    }

    @Override
    public boolean resetSupported() {
        return resettable;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        resets++;
        position = 0;
    }

    @Override
    public int batch() {
        return 0;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public boolean hasNext() {
        return position < batches.size();
    }

    @Override
    public DataSet next() {
        return batches.get(position++);
    }
}
