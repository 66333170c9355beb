package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' UpSampling2D with nearest-neighbour interpolation (its default): each row repeated {@code size[0]}
 * times and each column {@code size[1]} times, {@code [batch, h, w, c]} to {@code [batch, h*sh, w*sw, c]}.
 */
public class UpSampling2D extends Layer {
    private final int[] size;

    /** Keras' default size 2 x 2. */
    public UpSampling2D() {
        this(2);
    }

    /** One value repeats over both axes. */
    public UpSampling2D(int... size) {
        try {
            this.size = ConvArguments.tuple("UpSampling2D", "size", 2, size);
        } catch (IllegalArgumentException e) {
            throw invalidArgument(e.getMessage());
        }
        inputSpec(new InputSpec(4, 4, Map.of(), "(channels_last)"));
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        long[] s = inputs.shape();
        // a broadcast over two new axes repeats every cell; its gradient sums each block back
        return inputs.reshape(s[0], s[1], 1, s[2], 1, s[3]).broadcastTo(s[0], s[1], size[0], s[2], size[1], s[3])
                .reshape(s[0], s[1] * size[0], s[2] * size[1], s[3]);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return new long[] {inputShape[0], inputShape[1] < 0 ? -1 : inputShape[1] * size[0],
            inputShape[2] < 0 ? -1 : inputShape[2] * size[1], inputShape[3]};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("size", ConvArguments.list(size));
        config.put("data_format", "channels_last");
        config.put("interpolation", "nearest");
        return config;
    }

    static UpSampling2D fromConfig(Map<String, Object> config) {
        ConvArguments.requireChannelsLast("UpSampling2D.fromConfig", config);
        String interpolation = new ConfigReader("UpSampling2D.fromConfig", config).string("interpolation", "nearest");
        if (!interpolation.equals("nearest")) {
            throw new IllegalArgumentException("UpSampling2D.fromConfig: interpolation \"" + interpolation
                    + "\" is not supported (known: nearest)");
        }
        Object size = config.get("size");
        return size == null ? new UpSampling2D() : new UpSampling2D(ConvArguments.fromConfig("UpSampling2D.fromConfig", "size", 2, size));
    }
}
