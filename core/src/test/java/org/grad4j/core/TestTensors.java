package org.grad4j.core;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/** Seeded test inputs shared by the op tests. */
final class TestTensors {
    private TestTensors() {
    }

    /** Float64 values uniform in [-1, 1), the same for the same seed on every machine. */
    static Tensor uniform(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[(int) Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return Tensor.of(v, DataType.DOUBLE, shape);
    }
}
