package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Nadam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nadam's extra Keras state in {@code .keras} files: Keras 3 (3.5's {@code Nadam.build}) tracks
 * {@code _u_product}, the running product of the momentum schedule, as an optimizer variable created before the
 * momentums and velocities, so {@code optimizer/vars} holds the iteration, the learning rate, u_product, then
 * each variable's momentum and velocity.
 */
class KerasNadamTest {
    @TempDir
    Path dir;

    private static final INDArray X;
    private static final INDArray Y;

    static {
        Seeds.set(5);
        X = Nd4j.rand(DataType.FLOAT, 32, 3).subi(0.5);
        Y = X.sum(true, 1).muli(2).addi(0.3);
    }

    private static Sequential trained(int epochs) {
        Seeds.set(17);
        Sequential model = new Sequential(new InputLayer(3), new Dense(4, "tanh"), new Dense(1));
        model.compile(new Nadam(0.01), "mse");
        model.fit(X, Y, FitOptions.epochs(epochs).batchSize(8).verbose(0).shuffle(false));
        return model;
    }

    /** Keras' schedule: u_t = beta1 (1 - 0.5 * 0.96^t), multiplied in once per step t = 1..n. */
    private static double uProduct(long steps) {
        double product = 1;
        for (long t = 1; t <= steps; t++) {
            product *= 0.9 * (1 - 0.5 * Math.pow(0.96, t));
        }
        return product;
    }

    @Test
    void theFileHoldsUProductAfterTheLearningRateAndTrainingContinuesExactly() throws IOException {
        Sequential model = trained(3);
        assertEquals(12, model.optimizer().iterations());
        Path file = dir.resolve("nadam.keras");
        model.save(file);

        byte[] h5 = G4jFormatCorruptTest.unzip(Files.readAllBytes(file)).get(KerasFormat.WEIGHTS);
        try (HdfFile hdf = HdfFile.fromBytes(h5)) {
            assertEquals(3 + 2 * 4, Hdf5Arrays.children(Hdf5Arrays.group(hdf, "optimizer/vars")).size());
            assertEquals(12L, ((Number) Hdf5Arrays.dataset(hdf, "optimizer/vars/0").getData()).longValue());
            assertEquals(0.01, ((Number) Hdf5Arrays.dataset(hdf, "optimizer/vars/1").getData()).doubleValue(), 1e-9);
            Dataset u = Hdf5Arrays.dataset(hdf, "optimizer/vars/2");
            assertTrue(u.isScalar(), "u_product is a scalar");
            double stored = ((Number) u.getData()).doubleValue();
            assertEquals(uProduct(12), stored, 1e-6 * uProduct(12), "u_product after 12 steps");
            // then the first kernel's momentum and velocity
            assertArrayEquals(new long[] {3, 4}, Hdf5Arrays.dataset(hdf, "optimizer/vars/3").getDimensionsAsLong());
            assertArrayEquals(new long[] {3, 4}, Hdf5Arrays.dataset(hdf, "optimizer/vars/4").getDimensionsAsLong());
        }

        Model loaded = Model.load(file);
        Nadam nadam = assertInstanceOf(Nadam.class, loaded.optimizer());
        assertEquals(12, nadam.iterations());
        List<Variable> a = model.optimizer().variables();
        List<Variable> b = nadam.variables();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertTrue(a.get(i).array().equals(b.get(i).array()), a.get(i).name() + " restored exactly");
        }
        INDArray xb = X.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray yb = Y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8), org.nd4j.linalg.indexing.NDArrayIndex.all());
        model.trainOnBatch(xb, yb);
        loaded.trainOnBatch(xb, yb);
        for (int i = 0; i < model.weights().size(); i++) {
            assertArrayEquals(model.weights().get(i).array().dup('c').data().asFloat(),
                    loaded.weights().get(i).array().dup('c').data().asFloat(), model.weights().get(i).name());
        }
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).array().equals(b.get(i).array()), a.get(i).name() + " after the next step");
        }
    }

    @Test
    void aFileSavedBeforeTheFirstStepStartsNadamFresh() throws IOException {
        Seeds.set(3);
        Sequential model = new Sequential(new InputLayer(3), new Dense(1));
        model.compile(new Nadam(0.01), "mse");
        Path file = dir.resolve("fresh.keras");
        model.save(file);
        Model loaded = Model.load(file);
        model.trainOnBatch(X, Y);
        loaded.trainOnBatch(X, Y);
        assertArrayEquals(model.weights().get(0).array().dup('c').data().asFloat(),
                loaded.weights().get(0).array().dup('c').data().asFloat());
    }

    @Test
    void aUProductThatDoesNotFitTheIterationCountIsRefused() {
        // the counter moved on by 40 steps, as when a file's arrays are not in the order they seem
        Sequential model = trained(1);
        model.optimizer().variables().get(0).array().putScalar(0, 44L);
        Path bad = dir.resolve("bad.keras");
        model.save(bad);
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(bad)).getMessage();
        for (String part : List.of("Nadam", "u_product = ", "after 44 iterations", "Model.load(path, false)")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
        assertTrue(!Model.load(bad, false).isCompiled());
    }

    /** A tf.keras-style .h5 of {@code model} whose optimizer_weights list {@code names} ({@code null}: tf 2.11+'s). */
    private Path h5(Sequential model, List<String> legacyNames) throws Exception {
        List<Map<String, Object>> layers = new java.util.ArrayList<>();
        for (org.grad4j.layers.Layer layer : model.layers()) {
            Map<String, Object> config = new java.util.LinkedHashMap<>(layer.config());
            if (layers.isEmpty()) {
                config.put("batch_input_shape", java.util.Arrays.asList(null, 3));
            }
            layers.add(Map.of("class_name", layer.className(), "config", config));
        }
        Map<String, Object> training = new java.util.LinkedHashMap<>(model.compileConfig());
        training.put("optimizer_config", training.remove("optimizer"));
        Path file = dir.resolve(legacyNames == null ? "nadam_tf215.h5" : "nadam_legacy.h5");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (io.jhdf.WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("model_config", json.writeValueAsString(Map.of("class_name", "Sequential", "config",
                    Map.of("name", "sequential", "layers", layers))));
            hdf.putAttribute("training_config", json.writeValueAsString(training));
            io.jhdf.api.WritableGroup weights = hdf.putGroup("model_weights");
            for (org.grad4j.layers.Layer layer : model.layers()) {
                io.jhdf.api.WritableGroup group = weights.putGroup(layer.name());
                io.jhdf.api.WritableGroup inner = group.putGroup(layer.name());
                List<String> names = new java.util.ArrayList<>();
                for (Variable v : layer.weights()) {
                    String role = v.name().substring(v.name().lastIndexOf('/') + 1);
                    names.add(layer.name() + "/" + role);
                    Hdf5Arrays.write(inner, role, v.array());
                }
                group.putAttribute("weight_names", names.toArray(String[]::new));
            }
            io.jhdf.api.WritableGroup optimizer = hdf.putGroup("optimizer_weights");
            if (legacyNames != null) {
                optimizer.putAttribute("weight_names", legacyNames.toArray(String[]::new));
                // jhdf 0.13 cannot end a file on an empty group: the counter, as the legacy layout holds it
                Hdf5Arrays.write(optimizer.putGroup("Nadam"), "iter:0", Nd4j.scalar(1L));
                return file;
            }
            // tf.keras 2.11+: iteration:0, then Nadam/m/<var> and Nadam/v/<var> for each variable; no u_product
            List<Variable> state = model.optimizer().variables();
            List<String> names = new java.util.ArrayList<>(List.of("iteration:0"));
            Hdf5Arrays.write(optimizer, "iteration:0", state.get(0).array());
            io.jhdf.api.WritableGroup nadam = optimizer.putGroup("Nadam");
            Map<String, io.jhdf.api.WritableGroup> made = new java.util.HashMap<>();
            for (Variable slot : state.subList(1, state.size())) {
                String[] parts = slot.name().split("/");   // nadam/momentum/dense/kernel:0
                if (parts[1].equals("u_product")) {
                    continue;
                }
                String kind = parts[1].equals("momentum") ? "m" : "v";
                io.jhdf.api.WritableGroup kindGroup = made.computeIfAbsent(kind, nadam::putGroup);
                io.jhdf.api.WritableGroup layerGroup = made.computeIfAbsent(kind + "/" + parts[2], k -> kindGroup.putGroup(parts[2]));
                Hdf5Arrays.write(layerGroup, parts[3], slot.array());
                names.add("Nadam/" + kind + "/" + parts[2] + "/" + parts[3]);
            }
            optimizer.putAttribute("weight_names", names.toArray(String[]::new));
        }
        return file;
    }

    @Test
    void aTfKeras2H5NadamGetsUProductFromTheIterationCount() throws Exception {
        Sequential model = trained(2);
        Path file = h5(model, null);
        Model loaded = Model.load(file);
        List<Variable> a = model.optimizer().variables();
        List<Variable> b = loaded.optimizer().variables();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertTrue(a.get(i).array().equals(b.get(i).array()), a.get(i).name() + " restored exactly");
        }
        assertEquals(uProduct(8), b.get(1).array().getDouble(0), 1e-6 * uProduct(8));
        model.trainOnBatch(X, Y);
        loaded.trainOnBatch(X, Y);
        for (int i = 0; i < model.weights().size(); i++) {
            assertArrayEquals(model.weights().get(i).array().dup('c').data().asFloat(),
                    loaded.weights().get(i).array().dup('c').data().asFloat(), model.weights().get(i).name());
        }
    }

    @Test
    void legacyTfKerasNadamStateIsRefusedByName() throws Exception {
        Path file = h5(trained(1), List.of("Nadam/iter:0", "Nadam/momentum_cache:0", "dense/kernel/m:0"));
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(file)).getMessage();
        for (String part : List.of("Nadam", "momentum_cache", "legacy", "Model.load(path, false)")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
        assertTrue(!Model.load(file, false).isCompiled());
    }

    @Test
    void keras3NadamStateWithUProductLastIsRefusedByName() throws Exception {
        Path file = dir.resolve("nadam.keras");
        trained(1).save(file);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>(G4jFormatCorruptTest.unzip(Files.readAllBytes(file)));
        // move u_product (vars/2) to the end, as Keras releases that build the slots first write it
        Path moved = dir.resolve("moved.h5");
        Path source = dir.resolve("source.h5");
        Files.write(source, entries.get(KerasFormat.WEIGHTS));
        try (HdfFile in = new HdfFile(source); io.jhdf.WritableHdfFile out = HdfFile.write(moved)) {
            copy(in, out, "");
        }
        entries.put(KerasFormat.WEIGHTS, Files.readAllBytes(moved));
        Path bad = dir.resolve("last.keras");
        Files.write(bad, G4jFormatCorruptTest.zip(entries));
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(bad)).getMessage();
        for (String part : List.of("Nadam", "u_product last", "optimizer/vars/10", "Keras 3.5's layout")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }

    /** Copies every dataset, rotating optimizer/vars/2.. so that vars/2 becomes the last. */
    private static void copy(io.jhdf.api.Group from, io.jhdf.api.WritableGroup to, String path) {
        for (Map.Entry<String, io.jhdf.api.Node> e : from.getChildren().entrySet()) {
            String here = path + "/" + e.getKey();
            if (e.getValue() instanceof io.jhdf.api.Group g) {
                copy(g, to.putGroup(e.getKey()), here);
            } else if (e.getValue() instanceof Dataset d) {
                String name = e.getKey();
                if (path.equals("/optimizer/vars")) {
                    int n = from.getChildren().size();
                    int i = Integer.parseInt(name);
                    name = String.valueOf(i < 2 ? i : i == 2 ? n - 1 : i - 1);
                }
                to.putDataset(name, d.getData());
            }
        }
    }
}
