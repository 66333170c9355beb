package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Rescaling: {@code inputs * scale + offset}, in training and inference alike, for inputs of any
 * shape. {@code new Rescaling(1 / 255.0)} maps pixels in [0, 255] to [0, 1]; {@code new Rescaling(1 / 127.5, -1)}
 * to [-1, 1]. Integer inputs are cast to the layer's type first, as Keras does. No weights.
 */
public class Rescaling extends Layer {
    private final double scale;
    private final double offset;

    /** {@code inputs * scale}. */
    public Rescaling(double scale) {
        this(scale, 0.0);
    }

    /** {@code inputs * scale + offset}. */
    public Rescaling(double scale, double offset) {
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw invalidArgument("Rescaling: scale and offset must be finite numbers, got scale " + scale + ", offset "
                    + offset);
        }
        this.scale = scale;
        this.offset = offset;
    }

    public double scale() {
        return scale;
    }

    public double offset() {
        return offset;
    }

    @Override
    public Rescaling name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Rescaling dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        Tensor scaled = inputs.mul(scale);
        // adding 0 changes no value (Keras adds it anyway); skipping it saves a pass over the batch
        return offset == 0 ? scaled : scaled.add(offset);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("scale", scale);
        config.put("offset", offset);
        return config;
    }

    static Rescaling fromConfig(Map<String, Object> config) {
        String owner = "Rescaling.fromConfig";
        ConfigReader read = new ConfigReader(owner, config);
        for (String key : new String[] {"scale", "offset"}) {
            if (read.has(key) && !(read.raw(key) instanceof Number)) {
                throw new IllegalArgumentException(owner + ": \"" + key + "\" must be a number (per-channel arrays are "
                        + "not supported), got " + read.raw(key));
            }
        }
        return new Rescaling(read.number("scale"), read.number("offset", 0.0));
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
