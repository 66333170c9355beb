package org.grad4j.models;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.models.callbacks.Callback;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded data sets for the model tests, generated in double with a {@link SplittableRandom} of their
 * own (so they do not depend on, or disturb, ND4J's generator), and small helpers the tests share.
 */
final class TestData {
    private TestData() {
    }

    /** A data set: inputs, targets, and the class index of each sample where there are classes. */
    record Set(INDArray x, INDArray y, int[] labels) {
    }

    /** {@code rows x cols} values, row-major, as a FLOAT array. */
    static INDArray floats(double[] values, long rows, long cols) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(rows, cols);
    }

    /**
     * Binary classification: half the samples from N(-1, 1) in every coordinate (label 0), half from
     * N(3, 1) (label 1), interleaved. Labels as {@code [n, 1]} floats.
     */
    static Set twoGaussians(int n, int dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n * dims];
        double[] y = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            y[i] = labels[i];
            double mean = labels[i] == 0 ? -1 : 3;
            for (int d = 0; d < dims; d++) {
                x[i * dims + d] = mean + Seeds.gaussian(random);
            }
        }
        return new Set(floats(x, n, dims), floats(y, n, 1), labels);
    }

    /** Three 2-D clusters (unit variance around (0, 4), (-4, -2), (4, -2)); y one-hot {@code [n, 3]}. */
    static Set threeClusters(int n, long seed) {
        double[][] centres = {{0, 4}, {-4, -2}, {4, -2}};
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n * 2];
        double[] y = new double[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(3);
            labels[i] = c;
            y[i * 3 + c] = 1;
            x[i * 2] = centres[c][0] + Seeds.gaussian(random);
            x[i * 2 + 1] = centres[c][1] + Seeds.gaussian(random);
        }
        return new Set(floats(x, n, 2), floats(y, n, 3), labels);
    }

    /** The class indices as a FLOAT vector {@code [n]} (sparse labels). */
    static INDArray sparse(int[] labels) {
        double[] v = new double[labels.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = labels[i];
        }
        return Nd4j.createFromArray(v).castTo(DataType.FLOAT);
    }

    /** Linear regression data {@code y = x · w + b + noise} with x uniform in [-1, 1]. */
    static Set linear(int n, double[] w, double b, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int dims = w.length;
        double[] x = new double[n * dims];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = b;
            for (int d = 0; d < dims; d++) {
                x[i * dims + d] = random.nextDouble(-1, 1);
                t += w[d] * x[i * dims + d];
            }
            y[i] = t + noise * Seeds.gaussian(random);
        }
        return new Set(floats(x, n, dims), floats(y, n, 1), null);
    }

    /** The float bits of every weight, in order: equal lists mean bit-identical weights. */
    static List<Integer> bits(List<INDArray> weights) {
        List<Integer> out = new ArrayList<>();
        for (INDArray w : weights) {
            for (float f : w.dup().castTo(DataType.FLOAT).data().asFloat()) {
                out.add(Float.floatToRawIntBits(f));
            }
        }
        return out;
    }

    /** Runs {@code body} with System.out captured; returns what it printed (UTF-8). */
    static String captureOut(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code body} and returns the records logged meanwhile to {@code logger} (java.util.logging, System.Logger's default). */
    static List<java.util.logging.LogRecord> captureLog(String logger, Runnable body) {
        List<java.util.logging.LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Logger target = java.util.logging.Logger.getLogger(logger);
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        target.addHandler(handler);
        try {
            body.run();
        } finally {
            target.removeHandler(handler);
        }
        return records;
    }

    /** An ND4J iterator serving {@code batches} as they are (masks included), resettable. */
    static org.nd4j.linalg.dataset.api.iterator.DataSetIterator iterator(List<org.nd4j.linalg.dataset.DataSet> batches) {
        return new org.nd4j.linalg.dataset.api.iterator.DataSetIterator() {
            private int next;

            @Override
            public org.nd4j.linalg.dataset.DataSet next(int num) {
                return next();
            }

            @Override
            public int inputColumns() {
                return (int) batches.get(0).getFeatures().size(1);
            }

            @Override
            public int totalOutcomes() {
                return (int) batches.get(0).getLabels().size(1);
            }

            @Override
            public boolean resetSupported() {
                return true;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                next = 0;
            }

            @Override
            public int batch() {
                return batches.get(0).numExamples();
            }

            @Override
            public void setPreProcessor(org.nd4j.linalg.dataset.api.DataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public org.nd4j.linalg.dataset.api.DataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public List<String> getLabels() {
                return null;
            }

            @Override
            public boolean hasNext() {
                return next < batches.size();
            }

            @Override
            public org.nd4j.linalg.dataset.DataSet next() {
                return batches.get(next++);
            }
        };
    }

    /** Counts the batches of each epoch (from {@code onTrainBatchEnd}). */
    static final class BatchCounter extends Callback {
        final List<Integer> perEpoch = new ArrayList<>();
        int total;

        @Override
        public void onEpochBegin(int epoch, java.util.Map<String, Double> logs) {
            perEpoch.add(0);
        }

        @Override
        public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
            perEpoch.set(perEpoch.size() - 1, perEpoch.get(perEpoch.size() - 1) + 1);
            total++;
        }
    }
}
