package org.grad4j.data;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finds, fetches and reads one dataset of the MNIST family. Where the files come from, in order:
 * <ol>
 *   <li>an explicit folder, when the caller gives one (then only there);</li>
 *   <li>{@code $GRAD4J_DATASETS/<name>/};</li>
 *   <li>{@code ~/.grad4j/datasets/<name>/};</li>
 *   <li>the folder a distribution package installs (Debian's {@code dataset-fashion-mnist}:
 *       {@code /usr/share/datasets/fashion-mnist});</li>
 *   <li>else a download into {@code $GRAD4J_DATASETS/<name>/}, or {@code ~/.grad4j/datasets/<name>/} when the
 *       variable is unset, checked against the published SHA-256 sums.</li>
 * </ol>
 * A folder counts when it holds all four files, each as {@code name.gz} or uncompressed without the
 * {@code .gz}. Everything the constructor takes is injectable so tests run against a local server.
 */
final class MnistLoader {

    private final MnistFamily family;
    private final String datasetsVariable;
    private final Path home;
    private final PrintStream progress;
    private final Duration stallTimeout;

    MnistLoader(MnistFamily family, String datasetsVariable, Path home, PrintStream progress) {
        this(family, datasetsVariable, home, progress, Duration.ofSeconds(60));
    }

    MnistLoader(MnistFamily family, String datasetsVariable, Path home, PrintStream progress, Duration stallTimeout) {
        this.family = family;
        this.datasetsVariable = datasetsVariable == null || datasetsVariable.isBlank() ? null : datasetsVariable;
        this.home = home;
        this.progress = progress;
        this.stallTimeout = stallTimeout;
    }

    /** The loader the public {@link Datasets} methods use: the real environment, home and terminal. */
    static MnistLoader system(MnistFamily family) {
        return new MnistLoader(family, System.getenv("GRAD4J_DATASETS"), Path.of(System.getProperty("user.home")),
                System.console() != null ? System.out : null);
    }

    Path cacheFolder() {
        Path root = datasetsVariable != null ? Path.of(datasetsVariable) : home.resolve(".grad4j").resolve("datasets");
        return root.resolve(family.name());
    }

    TrainTest load(Path explicitFolder) {
        if (explicitFolder != null) {
            Map<String, Path> found = find(explicitFolder);
            if (found == null) {
                throw new DatasetException(family.name() + ": " + explicitFolder + " does not hold the four files "
                        + fileNames() + " (each .gz or uncompressed); missing: " + missing(explicitFolder));
            }
            return read(found);
        }
        List<Path> candidates = new ArrayList<>();
        if (datasetsVariable != null) {
            candidates.add(Path.of(datasetsVariable).resolve(family.name()));
        }
        candidates.add(home.resolve(".grad4j").resolve("datasets").resolve(family.name()));
        if (family.systemFolder() != null) {
            candidates.add(family.systemFolder());
        }
        for (Path folder : candidates) {
            Map<String, Path> found = find(folder);
            if (found != null) {
                return read(found);
            }
        }
        Downloader downloader = new Downloader(family.baseUrl(), cacheFolder(), progress, stallTimeout);
        Map<String, Path> files = new LinkedHashMap<>();
        for (RemoteFile file : family.files()) {
            files.put(file.name(), downloader.fetch(file, manualHint()));
        }
        return read(files);
    }

    private String manualHint() {
        String hint = "To install " + family.name() + " by hand, copy " + fileNames() + " from " + family.baseUrl()
                + " into " + cacheFolder() + ", or pass their folder to Datasets." + methodName()
                + "(Path), or set GRAD4J_DATASETS to a folder holding " + family.name() + "/";
        if (family.systemFolder() != null) {
            hint += "; on Debian, apt-get install dataset-" + family.name() + " puts them in " + family.systemFolder();
        }
        return hint;
    }

    private String methodName() {
        return family.name().equals("fashion-mnist") ? "fashionMnist" : "mnist";
    }

    private List<String> fileNames() {
        return family.files().stream().map(RemoteFile::name).toList();
    }

    /** The four files in {@code folder}, by their .gz names, or null when any is missing. */
    private Map<String, Path> find(Path folder) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (RemoteFile file : family.files()) {
            Path gz = folder.resolve(file.name());
            Path plain = folder.resolve(file.name().replaceFirst("\\.gz$", ""));
            if (Files.isRegularFile(gz)) {
                found.put(file.name(), gz);
            } else if (Files.isRegularFile(plain)) {
                found.put(file.name(), plain);
            } else {
                return null;
            }
        }
        return found;
    }

    private List<String> missing(Path folder) {
        return family.files().stream().map(RemoteFile::name)
                .filter(n -> !Files.isRegularFile(folder.resolve(n))
                        && !Files.isRegularFile(folder.resolve(n.replaceFirst("\\.gz$", ""))))
                .toList();
    }

    private TrainTest read(Map<String, Path> files) {
        INDArray[] train = readPair(files.get(MnistFamily.TRAIN_IMAGES), files.get(MnistFamily.TRAIN_LABELS));
        INDArray[] test = readPair(files.get(MnistFamily.TEST_IMAGES), files.get(MnistFamily.TEST_LABELS));
        return new TrainTest(train[0], train[1], test[0], test[1]);
    }

    private INDArray[] readPair(Path imagesFile, Path labelsFile) {
        Idx.Contents labels = Idx.read(labelsFile);
        if (labels.shape().length != 1) {
            throw new DatasetException(family.name() + ": labels file " + labelsFile + " must have one dimension,"
                    + " its header says " + Arrays.toString(labels.shape()));
        }
        int classes = family.classNames().size();
        for (int i = 0; i < labels.values().length; i++) {
            if (labels.unsignedAt(i) >= classes) {
                throw new DatasetException(family.name() + ": labels file " + labelsFile + " holds class id "
                        + labels.unsignedAt(i) + " at index " + i + "; ids must be 0.." + (classes - 1));
            }
        }
        Idx.Contents images = Idx.read(imagesFile);
        if (images.shape().length != 3 || images.shape()[0] != labels.shape()[0]) {
            throw new DatasetException(family.name() + ": images file " + imagesFile + " has shape "
                    + Arrays.toString(images.shape()) + ", expected [" + labels.shape()[0]
                    + ", height, width] to match the " + labels.shape()[0] + " labels in " + labelsFile);
        }
        float[] ids = new float[labels.values().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = labels.unsignedAt(i);
        }
        return new INDArray[] {images.toFloatArray(), Nd4j.create(ids, new long[] {ids.length}, DataType.FLOAT)};
    }
}
