package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A workload's training set, float32, made in-process from a fixed seed so that both sides see the same
 * numbers on every machine.
 *
 * @param x inputs {@code [samples, features]}
 * @param y targets {@code [samples, outputs]}
 */
record Data(INDArray x, INDArray y) {

    long samples() {
        return x.size(0);
    }

    /** W1: x ~ N(1, 0.1²), every target 10. */
    static Data seedRegression(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray x = Seeds.normal(random, new long[] {100, 1}, 1, 0.1);
        return new Data(x, Nd4j.valueArrayOf(new long[] {100, 1}, 10f, DataType.FLOAT));
    }

    /** W2: 50 samples of N(-1, 1) labelled 0, then 50 of N(3, 1) labelled 1. */
    static Data seedClassification(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[100];
        float[] y = new float[100];
        for (int i = 0; i < 100; i++) {
            boolean positive = i >= 50;
            x[i] = (float) ((positive ? 3 : -1) + Seeds.gaussian(random));
            y[i] = positive ? 1 : 0;
        }
        return new Data(Nd4j.create(x, new long[] {100, 1}, 'c'), Nd4j.create(y, new long[] {100, 1}, 'c'));
    }

    /** W3: x ~ U[-5, 5), y = 2x - 1 + N(0, 0.5²). */
    static Data noisyLine(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (-5 + 10 * random.nextDouble());
            y[i] = (float) (2 * x[i] - 1 + 0.5 * Seeds.gaussian(random));
        }
        return new Data(Nd4j.create(x, new long[] {samples, 1}, 'c'), Nd4j.create(y, new long[] {samples, 1}, 'c'));
    }

    /** W4/W5: inputs U[0, 1), labels one-hot over {@code classes} drawn uniformly. */
    static Data randomClassification(int samples, int features, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray x = Seeds.uniform(random, new long[] {samples, features}, 0, 1);
        float[] y = new float[samples * classes];
        for (int i = 0; i < samples; i++) {
            y[i * classes + random.nextInt(classes)] = 1;
        }
        return new Data(x, Nd4j.create(y, new long[] {samples, classes}, 'c'));
    }
}
