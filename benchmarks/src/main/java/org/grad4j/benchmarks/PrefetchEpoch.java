package org.grad4j.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.grad4j.core.Seeds;
import org.grad4j.data.Dataset;
import org.grad4j.data.Datasets;
import org.grad4j.data.ImageFolder;
import org.grad4j.data.TrainTest;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Rescaling;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Does {@code prefetch} overlap loading with training? One epoch of the Keras tutorial model fed by an
 * {@link ImageFolder} pipeline that decodes PNG files, with and without {@code prefetch(2)}, rounds alternating
 * which goes first. Beside them the two parts alone: a pass that only decodes, and the same epoch trained from
 * the decoded batches held in memory. Without prefetch an epoch costs about their sum; with perfect overlap, about
 * the larger of the two. The images are Fashion-MNIST's first training images written as PNG files when a local
 * copy exists (see {@link FashionData}), else noise images of the same size.
 *
 * <p>{@code benchmarks/run prefetch [images] [rounds] [units]}; defaults 4,800 images (150 batches of 32), 5 rounds
 * and the tutorial's 128 hidden units (a wider layer makes the step as long as the decoding, where overlap shows most).
 */
public final class PrefetchEpoch {
    private static final int SIDE = 28;
    private static final int CLASSES = 10;
    private static final int BATCH = 32;

    private PrefetchEpoch() {
    }

    public static void main(String[] args) throws IOException {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 4_800;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int units = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        Path root = Files.createTempDirectory("grad4j-prefetch");
        try {
            String source = writeImages(root, images);
            System.out.printf(Locale.ROOT, "prefetch: %d PNG images of %dx%d (%s), batch %d, Flatten-Dense(%d, relu)-Dense(10), "
                    + "Adam, %d rounds%n", images, SIDE, SIDE, source, BATCH, units, rounds);
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            List<Double> decodeOnly = new ArrayList<>();
            List<Double> decodePrefetched = new ArrayList<>();
            List<Double> trainOnly = new ArrayList<>();
            Sequential model = model(units);
            epoch(model, pipeline(root));   // warm-up: JIT, native libraries, the model's build
            for (int round = 0; round < rounds; round++) {
                boolean prefetchFirst = round % 2 == 1;
                double a = epoch(model, prefetchFirst ? pipeline(root).prefetch(2) : pipeline(root));
                double b = epoch(model, prefetchFirst ? pipeline(root) : pipeline(root).prefetch(2));
                with.add(prefetchFirst ? a : b);
                without.add(prefetchFirst ? b : a);
                decodeOnly.add(decodePass(pipeline(root)));
                decodePrefetched.add(decodePass(pipeline(root).prefetch(2)));
                Dataset inMemory = pipeline(root).cache();
                decodePass(inMemory);   // fills the cache
                trainOnly.add(epoch(model, inMemory));
                System.out.printf(Locale.ROOT, "round %d: epoch without prefetch %.3f s, with prefetch(2) %.3f s; "
                        + "decode only %.3f s (through prefetch %.3f s), train only %.3f s%n", round, without.get(round),
                        with.get(round), decodeOnly.get(round), decodePrefetched.get(round), trainOnly.get(round));
            }
            double w = median(without);
            double p = median(with);
            double d = median(decodeOnly);
            double t = median(trainOnly);
            System.out.printf(Locale.ROOT, "prefetch medians: without %.3f s, with %.3f s (ratio %.2f); decode %.3f s + train "
                    + "%.3f s = %.3f s, the larger %.3f s%n", w, p, p / w, d, t, d + t, Math.max(d, t));
        } finally {
            delete(root);
        }
    }

    private static double median(List<Double> seconds) {
        return Stats.of(seconds.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }

    private static Dataset pipeline(Path root) {
        return ImageFolder.read(root).imageSize(SIDE, SIDE).grayscale().batchSize(BATCH).shuffle(7).training();
    }

    private static Sequential model(int units) {
        Seeds.set(42);
        Sequential model = new Sequential(new InputLayer(SIDE, SIDE, 1), new Rescaling(1.0 / 255), new Flatten(),
                new Dense(units, "relu"), new Dense(CLASSES));
        model.compile(new Adam(), new SparseCategoricalCrossentropy(true), "accuracy");
        return model;
    }

    private static double epoch(Sequential model, Dataset data) {
        long start = System.nanoTime();
        model.fit(data, FitOptions.epochs(1).verbose(0));
        return (System.nanoTime() - start) / 1e9;
    }

    private static double decodePass(Dataset data) {
        long start = System.nanoTime();
        try (Dataset.Cursor cursor = data.iterator()) {
            while (cursor.hasNext()) {
                cursor.next();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** One folder per class, as {@code image_dataset_from_directory} expects. */
    private static String writeImages(Path root, int count) throws IOException {
        Path local = FashionData.localCopy(FashionData.candidates());
        INDArray x = null;
        INDArray y = null;
        if (local != null) {
            TrainTest t = Datasets.fashionMnist(local);
            x = t.xTrain();
            y = t.yTrain();
            count = (int) Math.min(count, x.size(0));
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
            int label = y != null ? y.getInt(i) : i % CLASSES;
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    int v = x != null ? x.getInt(i, r, c) : random.nextInt(256);
                    image.getRaster().setSample(c, r, 0, v);
                }
            }
            Path file = root.resolve("class" + label).resolve(i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        return local != null ? "Fashion-MNIST from " + local : "noise; no local Fashion-MNIST";
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
