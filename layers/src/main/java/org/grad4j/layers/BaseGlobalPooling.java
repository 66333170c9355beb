package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' BaseGlobalPooling for channels_last inputs: the mean or the maximum over every spatial axis,
 * {@code [batch, spatial..., channels]} to {@code [batch, channels]} (or {@code [batch, 1.., channels]} with
 * {@code keepdims}). The maximum's gradient goes to the largest cell (shared equally between exact ties).
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class BaseGlobalPooling<T extends BaseGlobalPooling<T>> extends Layer {
    private final int rank;
    private final boolean max;
    private boolean keepdims;

    protected BaseGlobalPooling(int rank, boolean max) {
        this.rank = rank;
        this.max = max;
        inputSpec(new InputSpec(rank + 2, rank + 2, Map.of(), ConvArguments.layout(rank)));
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Keep the spatial axes as size 1 (default false). */
    public T keepdims(boolean keepdims) {
        requireNotBuilt("keepdims");
        this.keepdims = keepdims;
        return self();
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    public T name(String name) {
        super.name(name);
        return self();
    }

    @Override
    public T dtype(DataType dtype) {
        super.dtype(dtype);
        return self();
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = 1 + i;
        }
        return max ? inputs.max(keepdims, axes) : inputs.mean(keepdims, axes);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        if (!keepdims) {
            return new long[] {inputShape[0], inputShape[rank + 1]};
        }
        long[] out = inputShape.clone();
        for (int i = 0; i < rank; i++) {
            out[1 + i] = 1;
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("data_format", "channels_last");
        config.put("keepdims", keepdims);
        return config;
    }

    static <L extends BaseGlobalPooling<L>> L configure(L layer, Map<String, Object> config) {
        String owner = layer.className() + ".fromConfig";
        ConvArguments.requireChannelsLast(owner, config);
        return layer.keepdims(new ConfigReader(owner, config).bool("keepdims", false));
    }
}
