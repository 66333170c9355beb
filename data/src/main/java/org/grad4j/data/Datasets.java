package org.grad4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.grad4j.core.internal.NativeDefaults;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ready-made datasets, as {@code keras.datasets} and {@code sklearn.datasets} give them.
 *
 * <p>The MNIST family ({@link #fashionMnist()}, {@link #mnist()}) is read from the standard IDX files. Where
 * they come from, in order: the folder passed as argument; {@code $GRAD4J_DATASETS/<name>/};
 * {@code ~/.grad4j/datasets/<name>/}; Debian's {@code /usr/share/datasets/fashion-mnist} (package
 * {@code dataset-fashion-mnist}); else they are downloaded into {@code $GRAD4J_DATASETS/<name>/} (or
 * {@code ~/.grad4j/datasets/<name>/}), checked against their published SHA-256 sums and renamed into place only
 * when they match. {@code <name>} is {@code fashion-mnist} or {@code mnist}.
 *
 * <p>The small classic tables ({@link #iris()}, {@link #breastCancer()}, {@link #digits()}) are bundled in the
 * jar: scikit-learn's copies of the UCI data, unchanged.
 */
public final class Datasets {
    static {
        NativeDefaults.apply();   // loading data is often a program's first use of ND4J
    }


    /** Fashion-MNIST's class names, by class id. */
    public static final List<String> FASHION_MNIST_CLASSES = MnistFamily.FASHION_MNIST.classNames();

    private Datasets() {
    }

    /**
     * Zalando's Fashion-MNIST: 60,000 training and 10,000 test images of clothing, 10 classes
     * ({@link #FASHION_MNIST_CLASSES}). Images float32 {@code [N, 28, 28]} with values 0..255, labels float32
     * {@code [N]} holding class ids, as {@code keras.datasets.fashion_mnist.load_data()} gives them.
     *
     * @throws DatasetException when the files are found nowhere and cannot be downloaded (the message names the
     *                          URL, the folder and how to install them by hand), or when a file is malformed
     */
    public static TrainTest fashionMnist() {
        return MnistLoader.system(MnistFamily.FASHION_MNIST).load(null);
    }

    /** Fashion-MNIST from the four IDX files in {@code folder} (each {@code .gz} or uncompressed), nowhere else. */
    public static TrainTest fashionMnist(Path folder) {
        return MnistLoader.system(MnistFamily.FASHION_MNIST).load(folder);
    }

    /** MNIST's handwritten digits: like {@link #fashionMnist()}, with the classes 0..9. */
    public static TrainTest mnist() {
        return MnistLoader.system(MnistFamily.MNIST).load(null);
    }

    /** MNIST from the four IDX files in {@code folder}, nowhere else. */
    public static TrainTest mnist(Path folder) {
        return MnistLoader.system(MnistFamily.MNIST).load(folder);
    }

    /** Fisher's Iris: 150 × 4 features (cm), 3 classes of 50: setosa, versicolor, virginica. */
    public static Table iris() {
        return sklearnTable("iris.csv", List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                "petal width (cm)"));
    }

    /**
     * Breast Cancer Wisconsin (Diagnostic): 569 × 30 features of cell nuclei, 2 classes: malignant (id 0, 212
     * samples) and benign (id 1, 357).
     */
    public static Table breastCancer() {
        List<String> measures = List.of("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                "concavity", "concave points", "symmetry", "fractal dimension");
        List<String> names = new ArrayList<>();
        measures.forEach(m -> names.add("mean " + m));
        measures.forEach(m -> names.add(m + " error"));
        measures.forEach(m -> names.add("worst " + m));
        return sklearnTable("breast_cancer.csv", names);
    }

    /**
     * Optical recognition of handwritten digits: 1797 images of 8 × 8 pixels (values 0..16) as 64 features
     * {@code pixel_<row>_<column>}, 10 classes 0..9.
     */
    public static Table digits() {
        List<String> names = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                names.add("pixel_" + r + "_" + c);
            }
        }
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        List<String> lines = resourceLines("digits.csv.gz");
        return parseRows("digits.csv.gz", lines, 0, lines.size(), names, classes);
    }

    /** scikit-learn's layout: a first line "N,d,class names...", then N lines of d numbers and a class id. */
    private static Table sklearnTable(String resource, List<String> featureNames) {
        List<String> lines = resourceLines(resource);
        String[] head = lines.get(0).split(",");
        int rows = Integer.parseInt(head[0].trim());
        int columns = Integer.parseInt(head[1].trim());
        if (columns != featureNames.size() || lines.size() - 1 != rows) {
            throw new DatasetException(resource + ": header says " + rows + " rows of " + columns
                    + " features, found " + (lines.size() - 1) + " rows; expected " + featureNames.size() + " features");
        }
        List<String> classes = Arrays.stream(head, 2, head.length).map(String::trim).toList();
        return parseRows(resource, lines, 1, rows, featureNames, classes);
    }

    private static Table parseRows(String resource, List<String> lines, int first, int rows, List<String> featureNames,
                                   List<String> classes) {
        int d = featureNames.size();
        float[] features = new float[rows * d];
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(first + r).split(",");
            if (cells.length != d + 1) {
                throw new DatasetException(resource + " line " + (first + r + 1) + ": " + cells.length
                        + " fields, expected " + (d + 1));
            }
            for (int c = 0; c < d; c++) {
                features[r * d + c] = Float.parseFloat(cells[c].trim());
            }
            int label = (int) Double.parseDouble(cells[d].trim());
            if (label < 0 || label >= classes.size()) {
                throw new DatasetException(resource + " line " + (first + r + 1) + ": class id " + label
                        + " outside 0.." + (classes.size() - 1));
            }
            labels[r] = label;
        }
        return new Table(Nd4j.create(features, new long[] {rows, d}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {rows}, DataType.FLOAT), featureNames, classes);
    }

    private static List<String> resourceLines(String resource) {
        try (InputStream raw = Datasets.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("grad4j-data: bundled resource org/grad4j/data/" + resource
                        + " is missing from the jar");
            }
            InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().filter(l -> !l.isBlank()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("grad4j-data: reading bundled " + resource + ": " + e.getMessage(), e);
        }
    }
}
