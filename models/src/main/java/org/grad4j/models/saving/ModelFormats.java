package org.grad4j.models.saving;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipFile;
import org.grad4j.models.Model;

/**
 * The one door between models and files: {@link Model#save}, {@link Model#load} and the weights-only pair call
 * here, and this class picks the format, so the model classes know none. Saving goes by the file name
 * ({@code .keras}: Keras 3; anything else: grad4j's {@code .g4j}); loading goes by the file's first bytes first:
 * an HDF5 file is a Keras 2 / tf.keras full model, a zip holding {@code model.weights.h5} a Keras 3 file, another
 * zip a {@code .g4j} (or, named {@code .keras} and without {@code weights.npz}, a Keras file missing its weights). Every format shares the size and shape limits ({@link BoundedEntries},
 * {@link SavedState}, {@link org.grad4j.core.MemoryBudget}) and atomic writing ({@link AtomicFile}).
 */
public final class ModelFormats {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFormats() {
    }

    /** Writes {@code model} to {@code path}: a Keras 3 file for a {@code .keras} name, else a {@code .g4j} file. */
    public static void save(Model model, Path path) {
        Objects.requireNonNull(path, "save: the path is null");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras")) {
            KerasFormat.save(model, path);
        } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            throw new IllegalArgumentException(model.describe() + ".save(" + path + "): grad4j does not write Keras 2 "
                    + ".h5 model files; save as .keras (Keras 3, which Keras 2.13+ also reads) or .g4j");
        } else {
            G4jFormat.save(model, path);
        }
    }

    /** Reads a model file of any kind {@link ModelFormats} knows; {@code compile} false skips the compile state. */
    public static Model load(Path path, boolean compile) {
        Objects.requireNonNull(path, "Model.load: the path is null");
        byte[] head = head(path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (startsWith(head, HDF5)) {
            return KerasH5Format.load(path, compile);
        }
        if (startsWith(head, ZIP) ? isKeras(path, name) : name.endsWith(".keras")) {
            return KerasFormat.load(path, compile);
        }
        if (!startsWith(head, ZIP) && (name.endsWith(".h5") || name.endsWith(".hdf5")) && head.length > 0) {
            return KerasH5Format.load(path, compile);   // says it is not HDF5
        }
        return G4jFormat.load(path, compile);   // also reports a missing, empty, truncated or foreign file
    }

    /** Writes {@code model} as an ONNX file for inference ({@link OnnxFormat}). */
    public static void exportOnnx(Model model, Path path) {
        OnnxFormat.export(model, path);
    }

    public static void saveWeights(Model model, Path path) {
        G4jFormat.saveWeights(model, path);
    }

    public static void loadWeights(Model model, Path path) {
        G4jFormat.loadWeights(model, path);
    }

    private static byte[] head(Path path) {
        if (!Files.isRegularFile(path)) {
            return new byte[0];   // G4jFormat names the problem
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(HDF5.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Model.load(" + path + "): cannot read the file: " + e, e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * A zip is a Keras file when it holds {@code model.weights.h5}, or is named {@code .keras} and does not hold
     * grad4j's {@code weights.npz}; a zip that cannot be opened goes by its name, and its reader says why.
     */
    private static boolean isKeras(Path path, String name) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            return zip.getEntry(KerasFormat.WEIGHTS) != null
                    || name.endsWith(".keras") && zip.getEntry(G4jFormat.WEIGHTS) == null;
        } catch (IOException | RuntimeException e) {
            return name.endsWith(".keras");
        }
    }
}
