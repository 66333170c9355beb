package org.grad4j.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.grad4j.data.DatasetException;
import org.grad4j.data.Datasets;
import org.grad4j.data.TrainTest;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the Fashion-MNIST apps share: their {@code --data} and {@code --limit} options, the checks on them, and the
 * data loaded and scaled from 0..255 to 0..1 as the Keras tutorials do.
 */
final class FashionMnistData {
    static final double PIXEL_SCALE = 255.0;

    static final Options.Spec DATA = new Options.Spec("data", "",
            "folder of the four IDX files (default: where Datasets.fashionMnist() looks)");
    static final Options.Spec LIMIT = new Options.Spec("limit", "0",
            "train on the first N training images only, for quick runs (0: all of them)");

    /** Training and test images scaled to 0..1 ({@code [N, 28, 28]}) and their class ids ({@code [N]}). */
    record Scaled(INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest) {
    }

    private FashionMnistData() {
    }

    /**
     * Loads the data that {@code --data} and {@code --limit} ask for and prints one line saying what was loaded.
     * A {@code --data} that is no folder is refused before anything is read; files missing or malformed there, or
     * a {@code --limit} above the number of training images, are usage errors too, raised before any training.
     */
    static Scaled load(String app, Options options, PrintStream out) {
        String value = options.string(DATA.name());
        int limit = options.integer(LIMIT.name(), 0);
        Path folder = folder(app, value);
        TrainTest data = read(app, folder, value);
        long available = data.xTrain().size(0);
        if (limit > available) {
            throw new Options.UsageException(app + ": --limit " + limit + " is more than the " + available
                    + " training images" + (folder == null ? "" : " in " + folder) + " (0 trains on all of them)");
        }
        INDArray xTrain = data.xTrain();
        INDArray yTrain = data.yTrain();
        String training = available + " training";
        if (limit > 0 && limit < available) {
            xTrain = first(xTrain, limit);
            yTrain = first(yTrain, limit);
            training = limit + " training (the first of " + available + ", --limit)";
        }
        INDArray xTest = data.xTest();
        out.printf(Locale.ROOT, "Fashion-MNIST%s: %s and %d test images of %dx%d, pixels scaled from 0..255 to 0..1%n",
                folder == null ? "" : " from " + folder, training, xTest.size(0), xTrain.size(1), xTrain.size(2));
        return new Scaled(xTrain.divi(PIXEL_SCALE), yTrain, xTest.divi(PIXEL_SCALE), data.yTest());
    }

    /** The first {@code n} samples, as an array of their own, so that scaling them in place leaves no view behind. */
    private static INDArray first(INDArray array, long n) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        index[0] = NDArrayIndex.interval(0, n);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return array.get(index).dup();
    }

    /** The folder of {@code --data}, or null for Datasets' own search; a value that is no folder is a usage error. */
    private static Path folder(String app, String value) {
        if (value.isEmpty()) {
            return null;
        }
        Path folder;
        try {
            folder = Path.of(value);
        } catch (InvalidPathException e) {
            throw new Options.UsageException(app + ": --data \"" + value + "\" is not a valid path (" + e.getReason() + ")");
        }
        if (!Files.isDirectory(folder)) {
            throw new Options.UsageException(app + ": --data \"" + value + "\" is not a folder ("
                    + (Files.exists(folder) ? "it is a file" : "it does not exist")
                    + "); give the folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (each .gz or uncompressed)");
        }
        return folder;
    }

    private static TrainTest read(String app, Path folder, String value) {
        if (folder == null) {
            return Datasets.fashionMnist();
        }
        try {
            return Datasets.fashionMnist(folder);
        } catch (DatasetException e) {
            // files missing or malformed in the folder the user named: their command line is what to fix
            throw new Options.UsageException(app + ": --data \"" + value + "\": " + e.getMessage());
        }
    }
}
