package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The generated clusters are what the multiclass app says they are. */
class GaussianClustersTest {

    /** The mean of one class's samples: its centre, up to sampling noise. */
    private static double[] classMean(GaussianClusters c, int cls) {
        double[] mean = new double[c.featureCount()];
        INDArray x = c.x();
        int count = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.label(i) == cls) {
                count++;
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += x.getDouble(i, j);
                }
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= count;
        }
        return mean;
    }

    @Test
    void balancedClassesAroundOrthogonalCentresAtTheRadius() {
        int perClass = 4000;
        double radius = 3.0;
        GaussianClusters c = GaussianClusters.generate(4, 9, perClass, radius, 5);
        assertEquals(4 * perClass, c.size());
        int[] counts = new int[4];
        for (int i = 0; i < c.size(); i++) {
            counts[c.label(i)]++;
        }
        assertArrayEquals(new int[] {perClass, perClass, perClass, perClass}, counts);

        double[][] means = new double[4][];
        for (int k = 0; k < 4; k++) {
            means[k] = classMean(c, k);
        }
        // a class mean of n unit-variance samples is off its centre by about 1/sqrt(n) per feature: 0.016 here
        double tolerance = 5 * Math.sqrt(9.0 / perClass);
        for (int k = 0; k < 4; k++) {
            assertEquals(radius, norm(means[k], new double[9]), tolerance, "class " + k + " centre's distance from 0");
            for (int l = k + 1; l < 4; l++) {
                assertEquals(radius * Math.sqrt(2), norm(means[k], means[l]), tolerance, "centres " + k + " and " + l);
            }
        }
    }

    @Test
    void oneHotMatchesTheLabelsAndTheSameSeedGivesTheSameData() {
        GaussianClusters c = GaussianClusters.generate(3, 9, 10, 3.0, 42);
        INDArray y = c.oneHot();
        assertArrayEquals(new long[] {30, 3}, y.shape());
        for (int i = 0; i < c.size(); i++) {
            assertEquals(1.0, y.getDouble(i, c.label(i)));
            assertEquals(1.0, y.getRow(i).sumNumber().doubleValue());
        }
        assertEquals(c.x(), GaussianClusters.generate(3, 9, 10, 3.0, 42).x());
        assertTrue(!c.x().equals(GaussianClusters.generate(3, 9, 10, 3.0, 43).x()));

        GaussianClusters tail = c.slice(24, 30);
        assertEquals(6, tail.size());
        assertEquals(c.label(24), tail.label(0));
        assertEquals(c.x().getRow(29), tail.x().getRow(5));
    }

    @Test
    void moreClassesThanOrthogonalDirectionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianClusters.generate(10, 9, 5, 3.0, 1));
        assertTrue(e.getMessage().contains("classes 10, features 9"), e.getMessage());
    }

    private static double norm(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(s);
    }
}
