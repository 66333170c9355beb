package org.grad4j.examples;

import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled samples from {@code classes} round Gaussian clusters (standard deviation 1 in every feature) whose
 * centres lie at distance {@code radius} from the origin along random orthogonal directions: a multi-class data set
 * that needs no download. Orthogonal centres are all {@code radius·√2} apart, so every seed gives clusters equally
 * hard to tell apart. Because the clusters share one round covariance and are equally likely, assigning each sample
 * to the nearest true centre is the best any classifier can do: {@link #nearestCentreAccuracy()} is the ceiling a
 * trained model is measured against.
 */
public final class GaussianClusters {
    private final double[][] centres;    // [classes][features]
    private final double[][] features;   // [samples][features]
    private final int[] labels;          // the class of each sample, 0 .. classes-1

    private GaussianClusters(double[][] centres, double[][] features, int[] labels) {
        this.centres = centres;
        this.features = features;
        this.labels = labels;
    }

    /**
     * Draws the centres, then {@code perClass} samples of every class, in a seeded random order.
     *
     * @param radius distance of each centre from the origin, in units of the clusters' standard deviation
     */
    public static GaussianClusters generate(int classes, int featureCount, int perClass, double radius, long seed) {
        if (classes < 2 || classes > featureCount || perClass < 1 || !(radius > 0)) {
            throw new IllegalArgumentException("GaussianClusters: need 2 <= classes <= features (orthogonal centres), "
                    + "perClass >= 1 and radius > 0, got classes " + classes + ", features " + featureCount
                    + ", perClass " + perClass + ", radius " + radius);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = orthonormalDirections(random, classes, featureCount);
        for (double[] centre : centres) {
            for (int j = 0; j < featureCount; j++) {
                centre[j] *= radius;
            }
        }
        int n = classes * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        shuffle(labels, random);
        double[][] features = new double[n][featureCount];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < featureCount; j++) {
                features[i][j] = centres[labels[i]][j] + Seeds.gaussian(random);
            }
        }
        return new GaussianClusters(centres, features, labels);
    }

    /**
     * {@code count} random orthonormal vectors: standard normal samples made orthogonal to the ones before
     * (Gram-Schmidt) and normalized. Normal samples in general position never leave a zero remainder.
     */
    private static double[][] orthonormalDirections(SplittableRandom random, int count, int dims) {
        double[][] basis = new double[count][dims];
        for (int k = 0; k < count; k++) {
            double[] v = basis[k];
            for (int j = 0; j < dims; j++) {
                v[j] = Seeds.gaussian(random);
            }
            for (int previous = 0; previous < k; previous++) {
                double dot = 0;
                for (int j = 0; j < dims; j++) {
                    dot += v[j] * basis[previous][j];
                }
                for (int j = 0; j < dims; j++) {
                    v[j] -= dot * basis[previous][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < dims; j++) {
                norm += v[j] * v[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < dims; j++) {
                v[j] /= norm;
            }
        }
        return basis;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** The class of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return centres.length;
    }

    public int featureCount() {
        return centres[0].length;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), with the same centres: one side of a split. */
    public GaussianClusters slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("GaussianClusters.slice: need 0 <= from < to <= " + size() + ", got from "
                    + from + ", to " + to);
        }
        double[][] f = new double[to - from][];
        int[] l = new int[to - from];
        for (int i = from; i < to; i++) {
            f[i - from] = features[i];
            l[i - from] = labels[i];
        }
        return new GaussianClusters(centres, f, l);
    }

    /** The inputs as a float32 {@code [samples, features]} array. */
    public INDArray x() {
        float[] flat = new float[size() * featureCount()];
        for (int i = 0; i < size(); i++) {
            for (int j = 0; j < featureCount(); j++) {
                flat[i * featureCount() + j] = (float) features[i][j];
            }
        }
        return Nd4j.create(flat, new long[] {size(), featureCount()}, 'c');
    }

    /** The labels one-hot, float32 {@code [samples, classes]}, as categorical cross-entropy takes them. */
    public INDArray oneHot() {
        INDArray y = Nd4j.zeros(DataType.FLOAT, size(), classes());
        for (int i = 0; i < size(); i++) {
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }

    /** The class whose true centre is nearest to sample {@code i}. */
    public int nearestCentre(int i) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int k = 0; k < classes(); k++) {
            double d = 0;
            for (int j = 0; j < featureCount(); j++) {
                double diff = features[i][j] - centres[k][j];
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** The accuracy of the nearest-true-centre rule, the best possible for these clusters (up to sampling). */
    public double nearestCentreAccuracy() {
        int correct = 0;
        for (int i = 0; i < size(); i++) {
            if (nearestCentre(i) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / size();
    }
}
