package org.grad4j.optimizers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' {@code PiecewiseConstantDecay}: {@code values[0]} up to and including step
 * {@code boundaries[0]}, {@code values[i]} for {@code boundaries[i-1] < step <= boundaries[i]}, and the
 * last value after the last boundary.
 *
 * @param boundaries strictly increasing steps, n of them
 * @param values     the n + 1 learning rates, each positive
 */
public record PiecewiseConstant(long[] boundaries, double[] values) implements LearningRateSchedule {

    public PiecewiseConstant {
        if (boundaries == null || values == null) {
            throw new IllegalArgumentException("PiecewiseConstant: boundaries and values are required");
        }
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstant: " + boundaries.length + " boundaries need "
                    + (boundaries.length + 1) + " values, got " + values.length + " " + Arrays.toString(values));
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstant: boundaries must increase strictly, got "
                        + Arrays.toString(boundaries));
            }
        }
        for (double v : values) {
            Check.positive("PiecewiseConstant", "every value", v);
        }
        boundaries = boundaries.clone();
        values = values.clone();
    }

    @Override
    public long[] boundaries() {
        return boundaries.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double at(long step) {
        int i = 0;
        while (i < boundaries.length && step > boundaries[i]) {
            i++;
        }
        return values[i];
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", Arrays.stream(boundaries).boxed().toList());
        c.put("values", Arrays.stream(values).boxed().toList());
        return c;
    }

    static PiecewiseConstant fromConfig(ConfigReader c) {
        c.allowOnly(Set.of("boundaries", "values", "name"));
        return new PiecewiseConstant(c.wholes("boundaries"), c.numbers("values"));
    }

    // a record compares arrays by identity; compare contents instead
    @Override
    public boolean equals(Object o) {
        return o instanceof PiecewiseConstant p && Arrays.equals(boundaries, p.boundaries)
                && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(boundaries) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "PiecewiseConstant[boundaries=" + Arrays.toString(boundaries) + ", values=" + Arrays.toString(values) + "]";
    }
}
