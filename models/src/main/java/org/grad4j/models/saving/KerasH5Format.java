package org.grad4j.models.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Variable;
import org.grad4j.layers.Layer;
import org.grad4j.models.Model;
import org.grad4j.optimizers.Optimizer;

/**
 * Keras 2 / tf.keras full-model HDF5 files ({@code model.save("m.h5")}): the architecture as JSON in the root
 * attribute {@code model_config}, the compile state in {@code training_config}, each layer's weights under
 * {@code model_weights/<layer name>/} as listed by that group's {@code weight_names} attribute, and the
 * optimizer's under {@code optimizer_weights/} as listed by its {@code weight_names}. Sequential models and
 * functional ones ({@code "Functional"}, or {@code "Model"} before tf.keras 2.4), whose layers list their inbound
 * nodes in Keras 2's form (see {@link Keras2Nodes}); a functional model's InputLayers have weight groups too, with
 * no weights. Layers are matched to their groups by name. Read only.
 */
final class KerasH5Format {
    private KerasH5Format() {
    }

    static Model load(Path path, boolean compile) {
        String where = "Model.load(" + path + ")";
        try (HdfFile hdf = open(path); MemoryBudget budget = MemoryBudget.open(where)) {
            Map<String, Object> config = json(hdf, "model_config");
            if (config == null) {
                throw new IllegalArgumentException("the HDF5 file has no model_config attribute, so it is not a Keras full "
                        + "model file (a weights-only .h5 needs the model built first)");
            }
            Model model = KerasConfigs.anyModel(config);
            KerasFormat.build(model, null);
            BatchNormAxes.check(config, model);
            Map<String, Object> training = compile ? json(hdf, "training_config") : null;
            List<Variable> state = List.of();
            int unbuilt = 0;
            if (training != null) {
                model.compileFromConfig(KerasConfigs.compileConfig(training));
                Optimizer optimizer = model.optimizer();
                unbuilt = optimizer.variables().size();
                optimizer.build(model.trainableVariables());
                state = KerasConfigs.kerasOrder(optimizer, optimizer.variables());
            }
            List<Variable> all = new ArrayList<>(model.variables());
            all.addAll(state);
            long size = Files.size(path);
            long limit = Npz.sizeLimit(all) + BoundedEntries.JSON_LIMIT;
            if (size > limit) {
                throw new IllegalArgumentException(path.getFileName() + " is " + MemoryBudget.format(size) + ", more than "
                        + "the " + MemoryBudget.format(limit) + " a model of " + all.size() + " arrays and its configs can take");
            }
            Group weightsRoot = Hdf5Arrays.group(hdf, "model_weights");
            if (weightsRoot == null) {
                throw new IllegalArgumentException("the HDF5 file has no model_weights group");
            }
            List<Variable> targets = new ArrayList<>();
            List<Npz.Entry> weights = readLayers(weightsRoot, model, targets);
            List<Npz.Entry> slots = null;
            if (training != null) {
                Group optimizerWeights = Hdf5Arrays.group(hdf, "optimizer_weights");
                List<String> names = optimizerWeights == null ? List.of()
                        : weightNames(optimizerWeights, "optimizer_weights");
                if (isLegacyOptimizer(names)) {
                    if (NadamState.is(model.optimizer())) {
                        throw new IllegalArgumentException("optimizer Nadam: the file holds tf.keras' legacy Nadam "
                                + "state (" + names.get(0) + ", momentum_cache), whose schedule (0.96^(0.004 t)) is not "
                                + "Keras 3's (0.96^t), which grad4j's Nadam follows; the Keras importer reads the state of "
                                + "tf.keras 2.11+ optimizers. Load with Model.load(path, false) to skip it");
                    }
                    state = KerasConfigs.groupedByKind(model.optimizer().variables());
                }
                // tf.keras 2.11+ does not save Nadam's u_product: it follows from the iteration count
                boolean uProductComputed = NadamState.is(model.optimizer()) && NadamState.index(state) > 0
                        && names.size() == state.size() - 1 && names.stream().noneMatch(n -> n.contains("u_product"));
                List<Variable> inFile = uProductComputed ? NadamState.withoutUProduct(state) : state;
                slots = readOptimizer(optimizerWeights, inFile, unbuilt);
                if (uProductComputed) {
                    slots = new ArrayList<>(slots);
                    slots.add(NadamState.index(state), NadamState.computed(model.optimizer(), state, slots));
                }
                NadamState.verify(model.optimizer(), state, slots, "optimizer_weights");
            }
            SavedState.assign(targets, weights);
            if (slots != null) {
                SavedState.assign(state, slots);
            }
            return model;
        } catch (IOException | RuntimeException e) {
            throw G4jFormat.readFailure(where, e);
        }
    }

    private static HdfFile open(Path path) {
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a readable HDF5 file, or it is truncated (" + e.getMessage() + ")", e);
        }
    }

    /** A JSON attribute of the root (Keras 2 writes them as strings), or null when absent. */
    private static Map<String, Object> json(HdfFile hdf, String name) {
        Attribute attribute = hdf.getAttribute(name);
        if (attribute == null) {
            return null;
        }
        if (attribute.getSize() > 1) {
            throw new IllegalArgumentException("attribute " + name + " must be one JSON string, it has " + attribute.getSize()
                    + " values");
        }
        String text = text(attribute.getData(), name);
        if (text.length() > BoundedEntries.JSON_LIMIT) {
            throw new IllegalArgumentException("attribute " + name + " is " + MemoryBudget.format(text.length())
                    + ", more than the " + MemoryBudget.format(BoundedEntries.JSON_LIMIT) + " a Keras config can take");
        }
        return G4jFormat.parseJson(text.getBytes(StandardCharsets.UTF_8), name);
    }

    private static String text(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof String[] a && a.length == 1) {
            return a[0];
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException(what + " must be a string, got " + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /**
     * The {@code weight_names} list of a group. Keras 2 splits a list longer than an HDF5 object header holds
     * (64 kB) into {@code weight_names0}, {@code weight_names1}, ...
     */
    private static List<String> weightNames(Node group, String where) {
        Attribute attribute = group.getAttribute("weight_names");
        if (attribute == null) {
            List<String> out = new ArrayList<>();
            for (int chunk = 0; group.getAttribute("weight_names" + chunk) != null; chunk++) {
                out.addAll(names(group.getAttribute("weight_names" + chunk), where));
            }
            if (out.isEmpty() && group.getAttribute("weight_names0") == null) {
                throw new IllegalArgumentException(where + " has no weight_names attribute");
            }
            return out;
        }
        return names(attribute, where);
    }

    private static List<String> names(Attribute attribute, String where) {
        Object data = attribute.getData();
        if (data == null || attribute.isEmpty()) {
            return List.of();
        }
        if (data instanceof String[] names) {
            return Arrays.asList(names);
        }
        if (data instanceof String one) {
            return List.of(one);
        }
        throw new IllegalArgumentException(where + ": weight_names must be strings, got " + data.getClass().getSimpleName());
    }

    /** Each layer's arrays, all checked before any is assigned; {@code targets} receives the variable of each. */
    private static List<Npz.Entry> readLayers(Group root, Model model, List<Variable> targets) {
        List<Npz.Entry> out = new ArrayList<>();
        for (Layer layer : model.layers()) {
            List<Variable> weights = layer.weights();
            Group group = Hdf5Arrays.group(root, layer.name());
            String where = "model_weights/" + layer.name();
            if (group == null) {
                if (weights.isEmpty()) {
                    continue;
                }
                throw new IllegalArgumentException(layer.describe() + ": the file has no " + where + " group (layers in the "
                        + "file: " + String.join(", ", Hdf5Arrays.children(root)) + ")");
            }
            List<String> names = weightNames(group, where);
            if (names.size() != weights.size()) {
                throw new IllegalArgumentException(layer.describe() + ": " + where + " lists " + names.size() + " weights "
                        + names + " but the layer has " + weights.size() + " ("
                        + String.join(", ", weights.stream().map(Variable::name).toList()) + ")");
            }
            List<Variable> order = layer instanceof Model ? byName(layer, weights, names, where) : weights;
            for (int j = 0; j < names.size(); j++) {
                out.add(entry(group, names.get(j), order.get(j), where));
                targets.add(order.get(j));
            }
        }
        return out;
    }

    /**
     * A model used as a layer lists its weights as Keras 2's {@code model.weights} orders them, all trainable ones
     * before the non-trainable ones ({@code dense/kernel:0} ... then {@code batch_normalization/moving_mean:0}),
     * not layer by layer as grad4j does; the names, its layers' {@code <layer>/<weight>:0}, say which is which.
     */
    private static List<Variable> byName(Layer layer, List<Variable> weights, List<String> names, String where) {
        List<Variable> out = new ArrayList<>();
        List<Variable> left = new ArrayList<>(weights);
        for (String name : names) {
            Variable match = null;
            for (Variable v : left) {
                if (name.equals(v.name()) || name.endsWith("/" + v.name())) {
                    match = v;
                    break;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException(layer.describe() + ": " + where + " lists " + name + ", which is none "
                        + "of the model's weights (" + String.join(", ", left.stream().map(Variable::name).toList()) + ")");
            }
            left.remove(match);
            out.add(match);
        }
        return out;
    }

    /** tf.keras before 2.11 named the counter {@code Adam/iter:0} and listed the slots kind by kind. */
    private static boolean isLegacyOptimizer(List<String> names) {
        return !names.isEmpty() && names.get(0).endsWith("/iter:0");
    }

    private static List<Npz.Entry> readOptimizer(Group group, List<Variable> state, int unbuilt) {
        if (group == null) {
            return List.of();   // saved without optimizer state: the optimizer starts fresh, as in Keras
        }
        List<String> names = weightNames(group, "optimizer_weights");
        int n = names.size();
        if (n != state.size() && n != Math.min(unbuilt, state.size()) && !(n == 1 && !state.isEmpty())) {
            throw new IllegalArgumentException("optimizer_weights lists " + n + " arrays but the compiled optimizer has "
                    + state.size() + " (" + String.join(", ", state.stream().map(Variable::name).toList()) + ")");
        }
        List<Npz.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(entry(group, names.get(i), state.get(i), "optimizer_weights"));
        }
        return out;
    }

    private static Npz.Entry entry(Group group, String name, Variable v, String where) {
        Dataset d = Hdf5Arrays.dataset(group, name);
        if (d == null) {
            throw new IllegalArgumentException(where + "/" + name + " is listed in weight_names but missing");
        }
        return new Npz.Entry(v.name(), Hdf5Arrays.read(d, v, where + "/" + name));
    }
}
