package org.grad4j.examples;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The adding problem of Hochreiter and Schmidhuber's LSTM paper (1997), a sequence task with a known answer: each
 * step carries a value drawn uniformly from [0, 1) and a marker, 1 at exactly two steps (one in each half of the
 * sequence) and 0 elsewhere; the target is the sum of the two marked values. A model must remember the first marked
 * value across the steps between the markers. The sum of two uniform values has mean 1 and variance 2/12, so always
 * answering 1.0 scores a mean squared error of 1/6: the baseline a model that learned nothing matches.
 */
final class AddingProblem {
    static final int FEATURES = 2;
    /** The best constant answer: the mean of the sum of two uniform [0, 1) values. */
    static final double BASELINE_ANSWER = 1.0;
    /** The baseline's expected mean squared error: the variance of that sum, 2 × 1/12. */
    static final double BASELINE_MSE = 1.0 / 6.0;

    private final INDArray inputs;    // [samples, length, 2]: value, marker
    private final INDArray targets;   // [samples, 1]
    private final int[][] marked;     // [samples][2]: the two marked steps

    private AddingProblem(INDArray inputs, INDArray targets, int[][] marked) {
        this.inputs = inputs;
        this.targets = targets;
        this.marked = marked;
    }

    /** {@code samples} sequences of {@code length} steps, the same for the same seed. */
    static AddingProblem generate(int samples, int length, long seed) {
        if (samples < 1 || length < 2) {
            throw new IllegalArgumentException("AddingProblem: need samples >= 1 and length >= 2 (one marker in each half), got samples "
                    + samples + ", length " + length);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples * length * FEATURES];
        float[] y = new float[samples];
        int[][] marked = new int[samples][];
        int half = length / 2;
        for (int n = 0; n < samples; n++) {
            for (int t = 0; t < length; t++) {
                x[(n * length + t) * FEATURES] = (float) random.nextDouble();
            }
            marked[n] = new int[] {random.nextInt(half), half + random.nextInt(length - half)};
            for (int t : marked[n]) {
                x[(n * length + t) * FEATURES + 1] = 1f;
                y[n] += x[(n * length + t) * FEATURES];
            }
        }
        return new AddingProblem(Nd4j.create(x, new long[] {samples, length, FEATURES}, 'c'),
                Nd4j.create(y, new long[] {samples, 1}, 'c'), marked);
    }

    /** {@code [samples, length, 2]}: the value, then the marker, at each step. */
    INDArray inputs() {
        return inputs;
    }

    /** {@code [samples, 1]}: the sum of the two marked values. */
    INDArray targets() {
        return targets;
    }

    /** The two marked steps of sample {@code n}, in order. */
    int[] marked(int n) {
        return marked[n].clone();
    }

    int samples() {
        return marked.length;
    }

    /** The mean squared error of answering {@code answer} to every sample: what a model must beat. */
    double constantMse(double answer) {
        double sum = 0;
        for (int n = 0; n < marked.length; n++) {
            double error = targets.getDouble(n, 0) - answer;
            sum += error * error;
        }
        return sum / marked.length;
    }
}
