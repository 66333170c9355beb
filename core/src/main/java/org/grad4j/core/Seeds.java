package org.grad4j.core;

import java.util.SplittableRandom;
import org.grad4j.core.internal.NativeDefaults;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeding. {@link #set} seeds both ND4J's generator and grad4j's own stream, which draws initial
 * weights, shuffles and dropout masks in plain Java, so the same seed gives the same numbers on every
 * machine and ND4J build.
 */
public final class Seeds {
    static {
        NativeDefaults.apply();   // data made here can be the first ND4J array of a program
    }

    private static SplittableRandom stream = new SplittableRandom();

    private Seeds() {
    }

    /** Seeds ND4J and grad4j's global stream. */
    public static synchronized void set(long seed) {
        stream = new SplittableRandom(seed);
        Nd4j.getRandom().setSeed(seed);
    }

    /** grad4j's global stream. */
    public static synchronized SplittableRandom stream() {
        return stream;
    }

    /** A fresh seed drawn from the global stream, for components that need their own generator. */
    public static synchronized long nextSeed() {
        return stream.nextLong();
    }

    /** A float32 array of N(mean, stddev²) samples. */
    public static INDArray normal(SplittableRandom random, long[] shape, double mean, double stddev) {
        float[] v = new float[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + stddev * gaussian(random));
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** A float32 array of U[min, max) samples. */
    public static INDArray uniform(SplittableRandom random, long[] shape, double min, double max) {
        float[] v = new float[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (min + (max - min) * random.nextDouble());
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** A standard normal sample (Marsaglia's polar method). */
    public static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
