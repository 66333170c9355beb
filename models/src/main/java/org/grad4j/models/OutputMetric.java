package org.grad4j.models;

import org.grad4j.core.Tensor;
import org.grad4j.metrics.Metric;

/**
 * One output's entry in the logs of a model with several outputs: a metric of that output's targets and
 * predictions ({@code <output>_<metric>}), or its loss before the loss weight, averaged over the samples weighted
 * by batch size ({@code <output>_loss}, Keras 3's per-output loss tracker).
 */
final class OutputMetric extends Metric {
    private final OutputLosses outputs;
    private final int index;
    private final boolean isLoss;
    /** Null until the first batch decides an "accuracy" that the loss did not. */
    private Metric inner;
    private double total;
    private double count;

    private OutputMetric(OutputLosses outputs, int index, Metric inner, boolean isLoss, String name) {
        super(name);
        this.outputs = outputs;
        this.index = index;
        this.inner = inner;
        this.isLoss = isLoss;
    }

    static OutputMetric of(OutputLosses outputs, int index, Metric inner, String name) {
        return new OutputMetric(outputs, index, inner, false, name);
    }

    static OutputMetric lossOf(OutputLosses outputs, int index, String name) {
        return new OutputMetric(outputs, index, null, true, name);
    }

    @Override
    public void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor y = outputs.target(yTrue, index);
        Tensor p = outputs.prediction(yPred, index);
        if (isLoss) {
            long batch = p.shape()[0];
            total += outputs.unweighted(index, y, p, sampleWeight).itemDouble() * batch;
            count += batch;
            return;
        }
        if (inner == null) {
            inner = Compiled.accuracyForShapes(y.shape(), p.shape());
        }
        inner.updateState(y, p, OutputMask.weigh(sampleWeight, org.grad4j.layers.Masks.of(p)));
    }

    @Override
    public double result() {
        if (isLoss) {
            return count == 0 ? 0 : total / count;
        }
        return inner == null ? 0 : inner.result();
    }

    @Override
    public void reset() {
        total = 0;
        count = 0;
        if (inner != null) {
            inner.reset();
        }
    }
}
