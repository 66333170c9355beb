package org.grad4j.models.saving;

import java.nio.file.Path;
import java.util.Objects;
import org.grad4j.models.Model;

/**
 * The one door between models and files: {@link Model#save}, {@link Model#load} and the weights-only pair call
 * here, and this class picks the format, so the model classes know none. Every format shares the size and shape
 * limits ({@link BoundedEntries}, {@link SavedState}, {@link org.grad4j.core.MemoryBudget}) and atomic writing
 * ({@link AtomicFile}).
 */
public final class ModelFormats {
    private ModelFormats() {
    }

    /** Writes {@code model} to {@code path} in grad4j's own {@code .g4j} format. */
    public static void save(Model model, Path path) {
        Objects.requireNonNull(path, "save: the path is null");
        G4jFormat.save(model, path);
    }

    /** Reads a model file; {@code compile} false skips the compile config and optimizer state. */
    public static Model load(Path path, boolean compile) {
        return G4jFormat.load(path, compile);
    }

    public static void saveWeights(Model model, Path path) {
        G4jFormat.saveWeights(model, path);
    }

    public static void loadWeights(Model model, Path path) {
        G4jFormat.loadWeights(model, path);
    }
}
