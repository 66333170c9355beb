package org.grad4j.layers;

import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' Dropout (inverted dropout): in training, each value is zeroed with probability {@code rate} and
 * the kept ones are scaled by {@code 1 / (1 - rate)}, so the expected value is unchanged; in inference
 * it is the identity. Masks come from the layer's own generator: two layers with the same seed draw
 * the same sequence of masks.
 */
public class Dropout extends Layer {
    private final double rate;
    private final Long seed;
    private final SplittableRandom random;

    /** An unseeded layer draws its generator's seed from {@link Seeds#nextSeed()} (see {@link Seeds#set}). */
    public Dropout(double rate) {
        this(rate, null);
    }

    public Dropout(double rate, long seed) {
        this(rate, Long.valueOf(seed));
    }

    private Dropout(double rate, Long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw invalidArgument("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.seed = seed;
        this.random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
    }

    public double rate() {
        return rate;
    }

    @Override
    public Dropout name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Dropout dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        if (!training || rate == 0) {
            return inputs;
        }
        return inputs.mul(Tensor.of(mask(inputs.shape(), inputs.dataType())));
    }

    /** 0 where dropped, {@code 1 / (1 - rate)} where kept; Keras keeps a value when {@code u >= rate}. */
    private INDArray mask(long[] shape, DataType type) {
        int n = Math.toIntExact(Shapes.size(shape));
        double scale = 1.0 / (1.0 - rate);
        // the kept/dropped choice as an integer select on the scale's bits: as a branch on random draws it is
        // mispredicted half the time at rate 0.5
        if (type == DataType.DOUBLE) {
            long bits = Double.doubleToRawLongBits(scale);
            double[] m = new double[n];
            for (int i = 0; i < n; i++) {
                long keep = random.nextDouble() >= rate ? -1L : 0L;
                m[i] = Double.longBitsToDouble(bits & keep);
            }
            return Nd4j.create(m, shape, 'c');
        }
        int bits = Float.floatToRawIntBits((float) scale);
        // written block by block into the new array's memory: a whole Java copy first was a batch-sized array of
        // garbage a step (0.8 MB in the Keras convnet)
        INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, shape);
        java.nio.FloatBuffer into = mask.data().asNioFloat();
        float[] block = new float[(int) Math.min(n, 4096)];
        for (int first = 0; first < n; first += block.length) {
            int count = (int) Math.min(block.length, n - first);
            for (int i = 0; i < count; i++) {
                int keep = random.nextDouble() >= rate ? -1 : 0;
                block[i] = Float.intBitsToFloat(bits & keep);
            }
            into.put(first, block, 0, count);
        }
        return type == DataType.FLOAT ? mask : mask.castTo(type);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("rate", rate);
        config.put("seed", seed);
        return config;
    }

    static Dropout fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("Dropout.fromConfig", config);
        double rate = read.number("rate", Double.NaN);
        Long seed = read.optionalWhole("seed");
        return seed == null ? new Dropout(rate) : new Dropout(rate, seed.longValue());
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
