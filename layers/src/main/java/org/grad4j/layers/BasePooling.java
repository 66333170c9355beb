package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Windows;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' BasePooling for channels_last inputs: the maximum or the mean of each window of {@code pool_size},
 * moved by {@code strides} (Keras' default: the pool size). Max pooling never picks a padded cell; average
 * pooling with 'same' padding divides by the real cells of each window.
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class BasePooling<T extends BasePooling<T>> extends Layer {
    private final int rank;
    private final boolean max;
    private final int[] poolSize;
    private int[] strides;
    private String padding = "valid";

    protected BasePooling(int rank, boolean max, int... poolSize) {
        this.rank = rank;
        this.max = max;
        try {
            this.poolSize = ConvArguments.tuple(className(), "pool_size", rank, poolSize);
        } catch (IllegalArgumentException e) {
            throw invalidArgument(e.getMessage());
        }
        this.strides = this.poolSize.clone();
        inputSpec(new InputSpec(rank + 2, rank + 2, Map.of(), ConvArguments.layout(rank)));
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Strides per spatial axis; one value repeats (default: the pool size). */
    public T strides(int... strides) {
        requireNotBuilt("strides");
        this.strides = ConvArguments.tuple(describe(), "strides", rank, strides);
        return self();
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public T padding(String padding) {
        requireNotBuilt("padding");
        this.padding = ConvArguments.padding(describe(), padding);
        return self();
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
    public void build(long... inputShape) {
        computeOutputShape(inputShape);   // a pool larger than the input fails here, leaving the layer unbuilt
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        computeOutputShape(inputs.shape());
        boolean same = padding.equals("same");
        return max ? ConvolutionOps.maxPool(inputs, poolSize, strides, same)
                : ConvolutionOps.avgPool(inputs, poolSize, strides, same);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        for (int i = 0; i < rank; i++) {
            long n = inputShape[1 + i];
            out[1 + i] = Windows.outputSize(n, poolSize[i], strides[i], 1, padding.equals("same"));
            if (n >= 0 && out[1 + i] <= 0) {
                throw new IllegalArgumentException(describe() + ": the pool " + ConvArguments.list(poolSize)
                        + " is larger than the input " + Shapes.format(inputShape) + " with 'valid' padding");
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("pool_size", ConvArguments.list(poolSize));
        config.put("padding", padding);
        config.put("strides", ConvArguments.list(strides));
        config.put("data_format", "channels_last");
        return config;
    }

    /** The pool size of a Keras config ({@code fallback} when absent, for the max poolings' default 2). */
    static int[] poolSize(String className, int rank, Map<String, Object> config, Integer fallback) {
        Object size = config.get("pool_size");
        if (size == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(className + ".fromConfig: the config has no \"pool_size\"");
            }
            return ConvArguments.tuple(className, "pool_size", rank, fallback);
        }
        return ConvArguments.fromConfig(className + ".fromConfig", "pool_size", rank, size);
    }

    static <L extends BasePooling<L>> L configure(L layer, Map<String, Object> config) {
        String owner = layer.className() + ".fromConfig";
        ConvArguments.requireChannelsLast(owner, config);
        if (config.get("strides") != null) {
            layer.strides(ConvArguments.fromConfig(owner, "strides", ((BasePooling<?>) layer).rank, config.get("strides")));
        }
        layer.padding(new ConfigReader(owner, config).string("padding", "valid"));
        return layer;
    }
}
