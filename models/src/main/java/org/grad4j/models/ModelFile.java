package org.grad4j.models;

import java.nio.file.Path;

/** Reads and writes {@code .g4j} model files and {@code .npz} weight files (see DESIGN.md, "Files users see"). */
final class ModelFile {
    private ModelFile() {
    }

    static void save(Model model, Path path) {
        throw new UnsupportedOperationException("save: not written yet");
    }

    static Model load(Path path) {
        throw new UnsupportedOperationException("load: not written yet");
    }

    static void saveWeights(Model model, Path path) {
        throw new UnsupportedOperationException("saveWeights: not written yet");
    }

    static void loadWeights(Model model, Path path) {
        throw new UnsupportedOperationException("loadWeights: not written yet");
    }
}
