package org.grad4j.models.saving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Variable;
import org.grad4j.layers.Layer;
import org.grad4j.models.Model;
import org.grad4j.models.ModelConfigs;
import org.grad4j.optimizers.Optimizer;

/**
 * Reads and writes {@code .g4j} model files and {@code .npz} weight files (the layout the README describes under save).
 * A {@code .g4j} file is a zip of
 * <ul>
 * <li>{@code metadata.json}: format version, grad4j version, date, the weights' names, shapes and types;
 * <li>{@code config.json}: the model's {@code {"class_name", "config"}} tree plus {@code build_config} and,
 *     when compiled, {@code compile_config};
 * <li>{@code weights.npz}: one {@code .npy} per variable in {@link Model#variables()} order, named like
 *     {@code dense_1/kernel:0}, readable with {@code numpy.load};
 * <li>{@code optimizer.npz}: the optimizer's {@link org.grad4j.optimizers.Optimizer#variables()} in order.
 * </ul>
 * Writes are atomic ({@link AtomicFile}); reading checks every entry and reports a damaged or foreign file
 * with an {@link IllegalArgumentException} naming the file and the problem. A file may be crafted, so reading
 * checks what it can before it reads: each entry's declared and inflated size ({@link BoundedEntries}), each
 * array's header against the model's variable ({@link SavedState}), and every array the load allocates against
 * the memory the process can give ({@link MemoryBudget}).
 */
final class G4jFormat {
    static final int FORMAT_VERSION = 1;
    static final String METADATA = "metadata.json";
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "weights.npz";
    static final String OPTIMIZER = "optimizer.npz";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Read once: every save (a checkpoint per epoch, say) writes it. */
    private static final String VERSION = grad4jVersion();

    private G4jFormat() {
    }

    // ---------------------------------------------------------------- save

    static void save(Model model, Path path) {
        Objects.requireNonNull(path, "save: the path is null");
        String where = model.describe() + ".save(" + path + ")";
        // everything that can fail without touching the disk is done before the temporary file exists
        Map<String, Object> config = new LinkedHashMap<>(ModelConfigs.serialize(model));
        Map<String, Object> build = model.buildConfig();
        if (build != null) {
            config.put("build_config", build);
        }
        List<Npz.Entry> weights = entries(model.variables());
        List<Npz.Entry> optimizer = null;
        if (model.isCompiled()) {
            config.put("compile_config", model.compileConfig());
            optimizer = entries(model.optimizer().variables());
        }
        byte[] configJson = json(config, where, CONFIG);
        byte[] metadataJson = json(metadata(model, weights, optimizer), where, METADATA);
        List<Npz.Entry> optimizerState = optimizer;
        AtomicFile.write(path, where, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putEntry(zip, METADATA, metadataJson);
                putEntry(zip, CONFIG, configJson);
                // weights barely compress; the fastest level keeps checkpoints cheap and still shrinks zeroed slots
                zip.setLevel(Deflater.BEST_SPEED);
                zip.putNextEntry(new ZipEntry(WEIGHTS));
                Npz.write(weights, zip, where + ": " + WEIGHTS);
                zip.closeEntry();
                if (optimizerState != null) {
                    zip.putNextEntry(new ZipEntry(OPTIMIZER));
                    Npz.write(optimizerState, zip, where + ": " + OPTIMIZER);
                    zip.closeEntry();
                }
            }
        });
    }

    static void saveWeights(Model model, Path path) {
        Objects.requireNonNull(path, "saveWeights: the path is null");
        String where = model.describe() + ".saveWeights(" + path + ")";
        if (!model.isBuilt()) {
            throw new IllegalStateException(where + ": the model is not built, so it has no weights yet; call "
                    + "build(inputShape) or fit/predict it first");
        }
        List<Npz.Entry> weights = entries(model.variables());
        AtomicFile.write(path, where, out -> Npz.write(weights, out, where));
    }

    private static List<Npz.Entry> entries(List<Variable> variables) {
        List<Npz.Entry> out = new ArrayList<>();
        for (Variable v : variables) {
            out.add(new Npz.Entry(v.name(), v.array()));
        }
        return out;
    }

    private static Map<String, Object> metadata(Model model, List<Npz.Entry> weights, List<Npz.Entry> optimizer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format_version", FORMAT_VERSION);
        out.put("grad4j_version", VERSION);
        out.put("saved_at", Instant.now().toString());
        out.put("model", model.className());
        out.put("weights", describe(weights));
        if (optimizer != null) {
            out.put("optimizer_variables", describe(optimizer));
        }
        return out;
    }

    private static List<Map<String, Object>> describe(List<Npz.Entry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Npz.Entry e : entries) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", e.name());
            item.put("shape", e.array().shape());
            item.put("dtype", Npy.typeName(e.array().dataType()));
            out.add(item);
        }
        return out;
    }

    /** The project version, written into grad4j.properties by the build (resource filtering). */
    static String grad4jVersion() {
        try (InputStream in = G4jFormat.class.getResourceAsStream("grad4j.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // the version is informative only
        }
        return "unknown";
    }

    static byte[] json(Object value, String where, String entry) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": " + entry + " cannot be written as JSON (a config holds a value "
                    + "that is not a number, string, boolean, list or map?): " + e.getOriginalMessage(), e);
        }
    }

    static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    // ---------------------------------------------------------------- load

    static Model load(Path path, boolean compile) {
        Objects.requireNonNull(path, "Model.load: the path is null");
        String where = "Model.load(" + path + ")";
        // the budget sums every array the load allocates (weights, the copies read from the file, optimizer slots)
        try (ZipFile zip = open(path, "grad4j"); MemoryBudget budget = MemoryBudget.open(where)) {
            Map<String, Object> metadata = readJson(zip, METADATA);
            checkFormat(metadata);
            Map<String, Object> config = readJson(zip, CONFIG);
            Layer layer = ModelConfigs.deserialize(config);
            if (!(layer instanceof Model model)) {
                throw new IllegalArgumentException(CONFIG + " describes a " + layer.className() + " layer, not a model");
            }
            if (config.get("build_config") != null && !model.isBuilt()) {
                model.buildFromConfig(object(config.get("build_config"), "build_config"));
            }
            List<Variable> variables = model.variables();
            SavedState.assign(variables, readNpz(zip, WEIGHTS, variables, SavedState.weights(variables, WEIGHTS)));
            if (compile && config.get("compile_config") != null) {
                model.compileFromConfig(object(config.get("compile_config"), "compile_config"));
                restoreOptimizer(zip, model);
            }
            return model;
        } catch (IOException | RuntimeException e) {
            throw readFailure(where, e);
        }
    }

    /**
     * A failed load as its caller sees it, for every format: an I/O failure stays one, with {@code where} in front;
     * anything else is bad input, named with {@code where} and {@link #message}.
     */
    static RuntimeException readFailure(String where, Exception e) {
        if (e instanceof IOException io) {
            return new UncheckedIOException(where + ": cannot read the file: " + io, io);
        }
        if (e instanceof UncheckedIOException io) {
            return new UncheckedIOException(where + ": cannot read the file: " + io.getMessage(), io.getCause());
        }
        RuntimeException bad = (RuntimeException) e;   // the callers catch IOException or RuntimeException only
        return new IllegalArgumentException(where + ": " + message(bad), bad);
    }

    /**
     * Builds the optimizer's slots for the trainable variables, as Keras 3 does when it compiles a loaded model,
     * then fills them from the file; a file saved before the first step holds only the counter.
     */
    private static void restoreOptimizer(ZipFile zip, Model model) throws IOException {
        Optimizer optimizer = model.optimizer();
        int unbuilt = optimizer.variables().size();
        optimizer.build(model.trainableVariables());
        List<Variable> state = optimizer.variables();
        SavedState.assign(state, readNpz(zip, OPTIMIZER, state, SavedState.optimizer(optimizer, unbuilt, OPTIMIZER)));
    }

    static void loadWeights(Model model, Path path) {
        Objects.requireNonNull(path, "loadWeights: the path is null");
        String where = model.describe() + ".loadWeights(" + path + ")";
        if (!model.isBuilt()) {
            throw new IllegalStateException(where + ": the model is not built, so it has no weights to load into; call "
                    + "build(inputShape) first");
        }
        List<Variable> variables = model.variables();
        List<Npz.Entry> weights;
        try (ZipFile zip = open(path, "grad4j"); MemoryBudget budget = MemoryBudget.open(where)) {
            if (zip.getEntry(WEIGHTS) != null) {   // a .g4j model file: take its weights
                weights = readNpz(zip, WEIGHTS, variables, SavedState.weights(variables, WEIGHTS));
            } else {
                weights = readNpzFile(path, variables);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": cannot read the file: " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + message(e), e);
        }
        SavedState.assign(variables, weights);   // only now, when every array has been read and checked
    }

    /** An .npz file of its own: its size on disk is its real size, so that is checked first. */
    private static List<Npz.Entry> readNpzFile(Path path, List<Variable> variables) throws IOException {
        String name = path.getFileName().toString();
        long size = Files.size(path);
        long limit = Npz.sizeLimit(variables);
        if (size > limit) {
            throw new IllegalArgumentException(name + " is " + MemoryBudget.format(size) + ", more than the "
                    + MemoryBudget.format(limit) + " the model's " + variables.size() + " weights can take");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Npz.read(in, name, SavedState.weights(variables, name));
        }
    }

    /** Opens a zip; the central directory is read at once, so a truncated or foreign file fails here. */
    static ZipFile open(Path path, String kind) throws IOException {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file: " + path.toAbsolutePath());
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a directory, not a file");
        }
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException("not a " + kind + " file: it is not a zip archive, or it is truncated ("
                    + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a " + kind + " file: its zip table of entries is damaged (" + e.getMessage()
                    + ")", e);
        }
    }

    private static void checkFormat(Map<String, Object> metadata) {
        if (!(metadata.get("format_version") instanceof Integer version)) {
            throw new IllegalArgumentException(METADATA + " has no integer \"format_version\"");
        }
        if (version > FORMAT_VERSION) {
            throw new IllegalArgumentException("the file has format version " + version + ", written by grad4j "
                    + metadata.get("grad4j_version") + "; this grad4j (" + grad4jVersion() + ") reads versions up to "
                    + FORMAT_VERSION);
        }
    }

    private static Map<String, Object> readJson(ZipFile zip, String name) throws IOException {
        return readJson(zip, name, "grad4j");
    }

    static Map<String, Object> readJson(ZipFile zip, String name, String kind) throws IOException {
        byte[] bytes = BoundedEntries.read(zip, name, BoundedEntries.JSON_LIMIT, "a " + kind + " " + name, InputStream::readAllBytes);
        return parseJson(bytes, name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseJson(byte[] bytes, String name) {
        try {
            Object value = JSON.readValue(bytes, Object.class);
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException(name + " must hold a JSON object, got " + value);
            }
            return (Map<String, Object>) value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An .npz entry holding arrays for {@code variables}: no larger than they can take, each checked by {@code expected}. */
    private static List<Npz.Entry> readNpz(ZipFile zip, String name, List<Variable> variables, Npz.Expectation expected)
            throws IOException {
        return BoundedEntries.read(zip, name, Npz.sizeLimit(variables), "the model's " + variables.size() + " arrays",
                in -> Npz.read(in, name, expected));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    /** A cause's message, with its type when the type is the information (a NullPointerException from user code). */
    static String message(RuntimeException e) {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.toString();
    }
}
