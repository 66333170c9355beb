package org.grad4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.data.Datasets;
import org.grad4j.data.TrainTest;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * W6's training set: Fashion-MNIST's training images as the Keras tutorial feeds them (flattened to 784 values
 * scaled to [0, 1], labels as class ids {@code [N, 1]}), read from a local copy when there is one, else
 * synthetic data of the same shape; W7 takes them as images ({@link #images}). Never downloads: a benchmark must not depend on the network.
 */
final class FashionData {
    static final int FEATURES = 784;
    static final int CLASSES = 10;
    static final int SIDE = 28;

    private FashionData() {
    }

    /** The data and where it came from, for the output. */
    record Loaded(Data data, String source) {
    }

    /** The first {@code samples} training images (at most 60,000 when real). */
    static Loaded load(int samples, long seed) {
        Path folder = localCopy(candidates());
        if (folder != null) {
            TrainTest t = Datasets.fashionMnist(folder);
            long n = Math.min(samples, t.xTrain().size(0));
            INDArray x = t.xTrain().reshape('c', t.xTrain().size(0), FEATURES).get(NDArrayIndex.interval(0, n), NDArrayIndex.all())
                    .div(255).dup('c');
            INDArray y = t.yTrain().reshape('c', t.yTrain().size(0), 1).get(NDArrayIndex.interval(0, n), NDArrayIndex.all())
                    .dup('c');
            return new Loaded(new Data(x, y), "Fashion-MNIST from " + folder + ", " + n + " samples");
        }
        return new Loaded(synthetic(samples, seed), "synthetic Fashion-MNIST-shaped data (no local copy of Fashion-MNIST), "
                + samples + " samples");
    }

    /**
     * W7's view of the same images, as the Keras convnet example feeds them: {@code [N, 28, 28, 1]} (channels_last)
     * in [0, 1], labels one-hot {@code [N, 10]}. With one channel this is also the memory of NCHW {@code [N, 1, 28, 28]}.
     */
    static Loaded images(Loaded flat) {
        return new Loaded(asImages(flat.data()), flat.source());
    }

    static Data asImages(Data flat) {
        long n = flat.samples();
        INDArray x = flat.x().reshape('c', n, SIDE, SIDE, 1);
        float[] oneHot = new float[Math.toIntExact(n * CLASSES)];
        for (int i = 0; i < n; i++) {
            oneHot[i * CLASSES + flat.y().getInt(i, 0)] = 1f;
        }
        return new Data(x, Nd4j.create(oneHot, new long[] {n, CLASSES}, 'c'));
    }

    /** Inputs U[0, 1), class ids drawn uniformly. */
    static Data synthetic(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray x = Seeds.uniform(random, new long[] {samples, FEATURES}, 0, 1);
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        return new Data(x, Nd4j.create(y, new long[] {samples, 1}, 'c'));
    }

    /** Where grad4j's own loader looks, in its order, minus the download. */
    static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv("GRAD4J_DATASETS");
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env, "fashion-mnist"));
        }
        out.add(Path.of(System.getProperty("user.home"), ".grad4j", "datasets", "fashion-mnist"));
        out.add(Path.of("/usr/share/datasets/fashion-mnist"));
        return out;
    }

    /** The first folder holding the training images, compressed or not, or null. */
    static Path localCopy(List<Path> folders) {
        for (Path f : folders) {
            if (Files.isRegularFile(f.resolve("train-images-idx3-ubyte.gz")) || Files.isRegularFile(f.resolve("train-images-idx3-ubyte"))) {
                return f;
            }
        }
        return null;
    }
}
