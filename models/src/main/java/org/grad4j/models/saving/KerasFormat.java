package org.grad4j.models.saving;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Variable;
import org.grad4j.layers.Layer;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3's {@code .keras} file: a zip of {@code config.json} (the model's {@code {"module", "class_name",
 * "config"}} tree with {@code build_config} and {@code compile_config}), {@code metadata.json} and
 * {@code model.weights.h5}, where layer {@code i} of {@code model.layers} keeps its variables at
 * {@code layers/<group>/vars/<j>} ({@code <group>} is the snake-cased class name with a per-class counter:
 * {@code dense}, {@code dense_1}, not the layer's name) and the optimizer at {@code optimizer/vars/<j>}
 * (the iteration counter, the learning rate when it is a constant, then each trainable variable's slots).
 * Sequential and Functional models are read and written; a Functional model's {@code model.layers} include its
 * InputLayers (empty groups), and a model used as a layer keeps its layers' groups beneath its own
 * ({@code layers/sequential/layers/dense/vars}), as Keras' {@code saving_lib} walks them. A layer made of Keras
 * sublayers keeps their variables beneath its group: a recurrent layer's cell, a MultiHeadAttention's four
 * EinsumDense projections ({@link MultiHeadAttentionGroups}).
 */
final class KerasFormat {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** The Keras release whose layout and config schema this writer follows (the shared reference files' 3.5.0). */
    static final String KERAS_VERSION = "3.5.0";

    private KerasFormat() {
    }

    // ---------------------------------------------------------------- load

    static Model load(Path path, boolean compile) {
        String where = "Model.load(" + path + ")";
        try (ZipFile zip = G4jFormat.open(path, "Keras"); MemoryBudget budget = MemoryBudget.open(where)) {
            for (String entry : List.of(CONFIG, WEIGHTS)) {
                if (zip.getEntry(entry) == null) {
                    throw new IllegalArgumentException("not a complete Keras file: it has no " + entry + " (entries: "
                            + String.join(", ", zip.stream().map(ZipEntry::getName).toList()) + ")");
                }
            }
            Map<String, Object> config = G4jFormat.readJson(zip, CONFIG, "Keras");
            Model model = KerasConfigs.anyModel(config);
            build(model, config.get("build_config"));
            BatchNormAxes.check(config, model);
            boolean compiling = compile && config.get("compile_config") != null;
            List<Variable> state = List.of();
            int unbuilt = 0;
            if (compiling) {
                model.compileFromConfig(KerasConfigs.compileConfig(G4jFormat.object(config.get("compile_config"),
                        "compile_config")));
                Optimizer optimizer = model.optimizer();
                unbuilt = optimizer.variables().size();
                optimizer.build(model.trainableVariables());
                state = KerasConfigs.kerasOrder(optimizer, optimizer.variables());
            }
            List<Variable> all = new ArrayList<>(model.variables());
            all.addAll(state);
            // the weights file can hold no more than the model's and optimizer's arrays (Keras 3 adds the learning rate)
            byte[] h5 = BoundedEntries.read(zip, WEIGHTS, Npz.sizeLimit(all) + Npz.ARRAY_OVERHEAD,
                    "the model's " + all.size() + " arrays", InputStream::readAllBytes);
            List<Npz.Entry> weights;
            List<Npz.Entry> slots = null;
            try (HdfFile hdf = openHdf(h5)) {
                weights = readLayers(hdf, model);
                if (compiling) {
                    Group vars = Hdf5Arrays.group(hdf, "optimizer/vars");
                    NadamState.checkKeras3Layout(model.optimizer(), vars, state.size());
                    slots = readOptimizer(vars, state, unbuilt, "optimizer/vars/");
                    NadamState.verify(model.optimizer(), state, slots, "optimizer/vars");
                }
            }
            // in the file's order, which for a model inside a model is not model.variables()' order
            List<Variable> targets = new ArrayList<>();
            KerasConfigs.modelGroups(model).forEach(g -> targets.addAll(g.weights()));
            SavedState.assign(targets, weights);
            if (slots != null) {
                SavedState.assign(state, slots);
            }
            return model;
        } catch (IOException | RuntimeException e) {
            throw G4jFormat.readFailure(where, e);
        }
    }

    private static HdfFile openHdf(byte[] bytes) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(WEIGHTS + " is not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    static void build(Model model, Object buildConfig) {
        if (model.isBuilt()) {
            return;
        }
        if (buildConfig == null) {
            throw new IllegalArgumentException("the model has no input shape (no InputLayer, batch_input_shape or "
                    + "build_config), so its weights cannot be created");
        }
        model.buildFromConfig(G4jFormat.object(buildConfig, "build_config"));
    }

    /** Each layer's arrays from {@code layers/<group>/vars}, all checked against the model before any is assigned. */
    private static List<Npz.Entry> readLayers(Group hdf, Model model) {
        List<Npz.Entry> out = new ArrayList<>();
        for (KerasConfigs.VarsGroup slice : KerasConfigs.modelGroups(model)) {
            Layer layer = slice.layer();
            List<Variable> weights = slice.weights();
            String path = slice.path();
            Group vars = Hdf5Arrays.group(hdf, path);
            for (String alias : slice.aliases()) {
                if (vars == null && Hdf5Arrays.group(hdf, alias) != null) {
                    path = alias;
                    vars = Hdf5Arrays.group(hdf, alias);
                }
            }
            List<String> names = vars == null ? List.of() : Hdf5Arrays.children(vars);
            if (names.size() != weights.size()) {
                Group all = Hdf5Arrays.group(hdf, "layers");
                throw new IllegalArgumentException(layer.describe() + ": " + WEIGHTS + " has " + names.size()
                        + " arrays at " + path + " but the layer has " + weights.size() + " weights there ("
                        + String.join(", ", weights.stream().map(Variable::name).toList()) + "); weight groups in "
                        + "the file: " + (all == null ? "none" : String.join(", ", Hdf5Arrays.children(all))));
            }
            for (int j = 0; j < weights.size(); j++) {
                Dataset d = Hdf5Arrays.dataset(vars, String.valueOf(j));
                if (d == null) {
                    throw new IllegalArgumentException(layer.describe() + ": " + path + "/" + j + " is missing (found: "
                            + String.join(", ", names) + ")");
                }
                Variable v = weights.get(j);
                out.add(new Npz.Entry(v.name(), Hdf5Arrays.read(d, v, path + "/" + j)));
            }
        }
        return out;
    }

    /**
     * The optimizer's arrays: the iteration counter first; Keras 3 then keeps a constant learning rate (a scalar
     * grad4j does not store as state, since the config holds it) before the slots, which follow in the same
     * order as grad4j's. A file saved before the first step holds only the first {@code unbuilt} arrays.
     */
    static List<Npz.Entry> readOptimizer(Group vars, List<Variable> state, int unbuilt, String prefix) {
        List<Dataset> datasets = new ArrayList<>();
        if (vars != null) {
            for (String name : Hdf5Arrays.children(vars)) {
                Node node = vars.getChild(name);
                if (node instanceof Dataset d) {
                    datasets.add(d);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Dataset d : datasets) {
            names.add(prefix + d.getName());
        }
        if (datasets.size() > 1 && datasets.size() != state.size() && datasets.get(1).isScalar()) {
            datasets.remove(1);
            names.remove(1);
        }
        int n = datasets.size();
        // all of the state, or what exists before the first step: the counter (and grad4j's optimizer-wide values)
        if (n != state.size() && n != Math.min(unbuilt, state.size()) && !(n == 1 && !state.isEmpty())) {
            throw new IllegalArgumentException("the file has " + n + " optimizer arrays but the compiled optimizer has "
                    + state.size() + " (" + String.join(", ", state.stream().map(Variable::name).toList()) + ")");
        }
        List<Npz.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Variable v = state.get(i);
            out.add(new Npz.Entry(v.name(), Hdf5Arrays.read(datasets.get(i), v, names.get(i))));
        }
        return out;
    }

    // ---------------------------------------------------------------- save

    static void save(Model model, Path path) {
        Objects.requireNonNull(path, "save: the path is null");
        String where = model.describe() + ".save(" + path + ")";
        boolean functional = model.getClass() == Functional.class;
        if (!(model.getClass() == Sequential.class || functional)) {
            throw new IllegalArgumentException(where + ": the .keras writer writes Sequential and Functional models; "
                    + model.getClass().getName() + " is a model class of its own (save it as .g4j)");
        }
        if (!model.isBuilt()) {
            throw new IllegalStateException(where + ": the model is not built, so it has no weights yet; call "
                    + "build(inputShape) or fit/predict it first");
        }
        Map<String, Object> config;
        try {
            config = functional ? KerasConfigs.write((Functional) model) : KerasConfigs.write((Sequential) model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        byte[] configJson = G4jFormat.json(config, where, CONFIG);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("keras_version", KERAS_VERSION);
        metadata.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        metadata.put("grad4j_version", G4jFormat.grad4jVersion());
        byte[] metadataJson = G4jFormat.json(metadata, where, METADATA);
        byte[] weights = weightsFile(model, where);
        AtomicFile.write(path, where, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                G4jFormat.putEntry(zip, METADATA, metadataJson);
                G4jFormat.putEntry(zip, CONFIG, configJson);
                G4jFormat.putEntry(zip, WEIGHTS, weights);
            }
        });
    }

    /**
     * The HDF5 weights file, written by jhdf to a temporary file and read back bit for bit. jhdf 0.13.0 writes its
     * own file-info block at the end of the last array it wrote, over an empty group placed after that array (the
     * model's own {@code vars}, a Dropout's {@code vars}); so the file is checked, and when it does not read back it
     * is written again without the model's empty {@code vars}, then without any empty group. Keras reads a missing
     * {@code vars} group as "no variables", as these are.
     */
    private static byte[] weightsFile(Model model, String where) {
        Path temp = null;
        try {
            temp = Files.createTempFile("grad4j-keras-", ".h5");
            for (EmptyGroups empty : EmptyGroups.values()) {
                writeHdf(temp, model, empty);
                if (readsBack(temp, model)) {
                    return Files.readAllBytes(temp);
                }
            }
            throw new IllegalStateException(where + ": the HDF5 writer produced a file that does not read back");
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": cannot write the weights: " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Which empty {@code vars} groups a weights file gets, most faithful to Keras first. */
    private enum EmptyGroups { ALL, LAYERS_ONLY, NONE }

    private static void writeHdf(Path file, Model model, EmptyGroups empty) throws IOException {
        Files.deleteIfExists(file);
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            Map<String, WritableGroup> made = new LinkedHashMap<>();
            for (KerasConfigs.VarsGroup slice : KerasConfigs.modelGroups(model)) {
                List<Variable> weights = slice.weights();
                if (weights.isEmpty() && empty == EmptyGroups.NONE) {
                    continue;
                }
                WritableGroup vars = group(hdf, slice.path(), made);
                for (int j = 0; j < weights.size(); j++) {
                    Hdf5Arrays.write(vars, String.valueOf(j), weights.get(j).array());
                }
            }
            if (model.isCompiled()) {
                WritableGroup vars = hdf.putGroup("optimizer").putGroup("vars");
                List<INDArray> state = optimizerState(model.optimizer());
                for (int j = 0; j < state.size(); j++) {
                    Hdf5Arrays.write(vars, String.valueOf(j), state.get(j));
                }
            }
            if (empty == EmptyGroups.ALL) {
                hdf.putGroup("vars");   // the model's own variables: none
            }
        }
    }

    /** The group at {@code path}, creating it and its parents once. */
    private static WritableGroup group(WritableGroup root, String path, Map<String, WritableGroup> made) {
        WritableGroup g = root;
        String sofar = "";
        for (String part : path.split("/")) {
            sofar = sofar + "/" + part;
            WritableGroup parent = g;
            g = made.computeIfAbsent(sofar, k -> parent.putGroup(part));
        }
        return g;
    }

    /** Keras 3's {@code optimizer.variables}: iteration, learning rate if constant, then the slots. */
    private static List<INDArray> optimizerState(Optimizer optimizer) {
        List<Variable> variables = KerasConfigs.kerasOrder(optimizer, optimizer.variables());
        List<INDArray> out = new ArrayList<>();
        out.add(variables.isEmpty() ? Nd4j.scalar(0L) : variables.get(0).array());
        if (!(optimizer.config().get("learning_rate") instanceof Map)) {
            out.add(Nd4j.scalar(DataType.FLOAT, optimizer.learningRate()));
        }
        for (int i = 1; i < variables.size(); i++) {
            out.add(variables.get(i).array());
        }
        return out;
    }

    /** Every array of the written file equals the model's, bit for bit. */
    private static boolean readsBack(Path file, Model model) {
        try (HdfFile hdf = new HdfFile(file)) {
            for (KerasConfigs.VarsGroup slice : KerasConfigs.modelGroups(model)) {
                List<Variable> weights = slice.weights();
                for (int j = 0; j < weights.size(); j++) {
                    Dataset d = Hdf5Arrays.dataset(hdf, slice.path() + "/" + j);
                    if (d == null || !sameBits(d, weights.get(j).array())) {
                        return false;
                    }
                }
            }
            hdf.getChildren().values().forEach(KerasFormat::touch);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void touch(Node node) {
        node.getAttributes();
        if (node instanceof Group g) {
            g.getChildren().values().forEach(KerasFormat::touch);
        }
    }

    private static boolean sameBits(Dataset d, INDArray expected) {
        Object flat = d.getDataFlat();
        if (flat instanceof float[] f && expected.dataType() == DataType.FLOAT) {
            return Arrays.equals(f, expected.dup('c').data().asFloat());
        }
        if (flat instanceof double[] x && expected.dataType() == DataType.DOUBLE) {
            return Arrays.equals(x, expected.dup('c').data().asDouble());
        }
        return !expected.dataType().isFPType();
    }
}
