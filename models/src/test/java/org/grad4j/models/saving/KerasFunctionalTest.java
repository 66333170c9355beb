package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Functional;
import org.grad4j.models.Input;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Functional models in Keras 3's {@code .keras} layout: config schema, weight paths, round trip, bad graphs. */
class KerasFunctionalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Two inputs, two outputs, a Dense shared by both inputs and a skip connection from input a. */
    static Functional twoInTwoOut() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor b = Input.of(new long[] {4}, "b");
        Dense shared = new Dense(8, "relu");
        Tensor merged = new Add().apply(List.of(shared.apply(a), shared.apply(b)));
        Tensor skip = new Concatenate().apply(List.of(merged, a));
        Tensor reg = new Dense(1).name("out_reg").apply(skip);
        Tensor cls = new Dense(3).name("out_cls").apply(merged);
        return new Functional(List.of(a, b), List.of(reg, cls));
    }

    private static INDArray values(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    private record Data(Map<String, INDArray> x, Map<String, INDArray> y) {
    }

    private static Data data() {
        INDArray xa = values(64, 4);
        INDArray xb = values(64, 4);
        INDArray yReg = xa.sum(true, 1).subi(xb.sum(true, 1));
        INDArray yCls = Nd4j.argMax(xa.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)), 1).castTo(DataType.FLOAT);
        return new Data(Map.of("a", xa, "b", xb), Map.of("out_reg", yReg, "out_cls", yCls));
    }

    private static Functional trained(Data data) {
        Seeds.set(11);
        Functional model = twoInTwoOut();
        model.compile(new Adam(0.01), Map.of("out_reg", "mse", "out_cls", new SparseCategoricalCrossentropy(true)),
                Map.of("out_reg", 1.0, "out_cls", 0.5), Map.of("out_reg", List.of("mae"), "out_cls", List.of("accuracy")));
        model.fit(data.x(), data.y(), FitOptions.epochs(3).batchSize(16).verbose(0));
        return model;
    }

    @Test
    void aTrainedTwoInTwoOutModelRoundTripsBitIdentically() {
        Data data = data();
        Functional model = trained(data);
        Path file = dir.resolve("two.keras");
        model.save(file);
        Model loaded = Model.load(file);

        assertTrue(loaded instanceof Functional, loaded.getClass().getName());
        Functional back = (Functional) loaded;
        assertEquals(model.inputNames(), back.inputNames());
        assertEquals(model.outputNames(), back.outputNames());
        KerasWriteTest.assertBitsEqual(model.variables(), back.variables());
        KerasWriteTest.assertBitsEqual(model.optimizer().variables(), back.optimizer().variables());
        assertEquals(model.optimizer().iterations(), back.optimizer().iterations());
        List<INDArray> before = model.predictAll(data.x());
        List<INDArray> after = back.predictAll(data.x());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(before.get(i).data().asFloat(), after.get(i).data().asFloat(), "output " + i);
        }
        assertEquals(model.evaluate(data.x(), data.y()), back.evaluate(data.x(), data.y()));
        // the optimizer state came back too: one more step moves both models the same way
        FitOptions more = FitOptions.epochs(1).batchSize(64).shuffle(false).verbose(0);
        model.fit(data.x(), data.y(), more);
        back.fit(data.x(), data.y(), more);
        KerasWriteTest.assertBitsEqual(model.variables(), back.variables());
    }

    @Test
    void anUncompiledLoadHasTheWeightsButNoOptimizer() {
        Data data = data();
        Functional model = trained(data);
        Path file = dir.resolve("plain.keras");
        model.save(file);
        Model loaded = Model.load(file, false);
        assertTrue(!loaded.isCompiled());
        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
    }

    /**
     * Keras' saving_lib walks a Functional model's {@code layers} (InputLayers included) and names each weight
     * group by snake-cased class name and a per-class counter, never by the layer's name: the shared Dense is
     * {@code dense}, out_reg {@code dense_1}, out_cls {@code dense_2}.
     */
    @Test
    void weightsLiveAtKerasPathsNamedByClassCounter() throws IOException {
        Functional model = trained(data());
        Path file = dir.resolve("paths.keras");
        model.save(file);
        byte[] h5 = G4jFormatCorruptTest.unzip(Files.readAllBytes(file)).get(KerasFormat.WEIGHTS);
        try (HdfFile hdf = HdfFile.fromBytes(h5)) {
            assertShape(hdf, "layers/dense/vars/0", 4, 8);
            assertShape(hdf, "layers/dense/vars/1", 8);
            assertShape(hdf, "layers/dense_1/vars/0", 12, 1);
            assertShape(hdf, "layers/dense_2/vars/0", 8, 3);
            assertShape(hdf, "layers/dense_2/vars/1", 3);
            assertNotNull(Hdf5Arrays.dataset(hdf, "optimizer/vars/0"));
            assertEquals(List.of("add", "concatenate", "dense", "dense_1", "dense_2", "input_layer", "input_layer_1"),
                    Hdf5Arrays.children(Hdf5Arrays.group(hdf, "layers")).stream().sorted().toList());
        }
    }

    private static void assertShape(HdfFile hdf, String path, int... shape) {
        Dataset d = Hdf5Arrays.dataset(hdf, path);
        assertNotNull(d, path);
        assertArrayEquals(shape, d.getDimensions(), path);
    }

    /** The keys Keras 3's Functional.get_config and serialize_keras_object write (keras/src/models/functional.py). */
    @Test
    @SuppressWarnings("unchecked")
    void configJsonFollowsKerasFunctionalSchema() throws IOException {
        Functional model = trained(data());
        Path file = dir.resolve("schema.keras");
        model.save(file);
        Map<String, Object> top = JSON.readValue(G4jFormatCorruptTest.unzip(Files.readAllBytes(file))
                .get(KerasFormat.CONFIG), Map.class);
        assertEquals(List.of("module", "class_name", "config", "registered_name", "build_config", "compile_config"),
                List.copyOf(top.keySet()));
        assertEquals("keras.src.models.functional", top.get("module"));
        assertEquals("Functional", top.get("class_name"));
        assertEquals("Functional", top.get("registered_name"));
        Map<String, Object> config = (Map<String, Object>) top.get("config");
        assertEquals(List.of("name", "trainable", "layers", "input_layers", "output_layers"), List.copyOf(config.keySet()));
        assertEquals(List.of(List.of("a", 0, 0), List.of("b", 0, 0)), config.get("input_layers"));
        assertEquals(List.of(List.of("out_reg", 0, 0), List.of("out_cls", 0, 0)), config.get("output_layers"));

        List<Map<String, Object>> layers = (List<Map<String, Object>>) config.get("layers");
        // the layers by name, in model.layers order (names carry a process-wide counter: dense_16, add_5)
        assertEquals(model.layers().stream().map(l -> l.name()).toList(), layers.stream().map(l -> l.get("name")).toList());
        assertEquals(List.of("InputLayer", "InputLayer", "Dense", "Add", "Concatenate", "Dense", "Dense"),
                layers.stream().map(l -> l.get("class_name")).toList());
        Map<String, Object> input = layers.get(0);
        assertEquals(List.of("module", "class_name", "config", "registered_name", "name", "inbound_nodes"),
                List.copyOf(input.keySet()));
        assertEquals("keras.layers", input.get("module"));
        assertEquals(Set.of("batch_shape", "dtype", "sparse", "name"), ((Map<String, Object>) input.get("config")).keySet());
        assertEquals(List.of(), input.get("inbound_nodes"));

        Map<String, Object> shared = layers.get(2);
        assertEquals(List.of("module", "class_name", "config", "registered_name", "build_config", "name", "inbound_nodes"),
                List.copyOf(shared.keySet()));
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 4)), shared.get("build_config"));
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) shared.get("inbound_nodes");
        assertEquals(2, nodes.size());   // called on a and on b
        assertEquals(List.of("args", "kwargs"), List.copyOf(nodes.get(1).keySet()));
        Map<String, Object> tensor = (Map<String, Object>) ((List<Object>) nodes.get(1).get("args")).get(0);
        assertEquals("__keras_tensor__", tensor.get("class_name"));
        Map<String, Object> tensorConfig = (Map<String, Object>) tensor.get("config");
        assertEquals(List.of("shape", "dtype", "keras_history"), List.copyOf(tensorConfig.keySet()));
        assertEquals(List.of("b", 0, 0), tensorConfig.get("keras_history"));

        // a merge layer takes its inputs as one list argument, built for a list of shapes
        Map<String, Object> add = layers.get(3);
        List<Object> addArgs = (List<Object>) ((List<Map<String, Object>>) add.get("inbound_nodes")).get(0).get("args");
        assertEquals(1, addArgs.size());
        assertEquals(2, ((List<Object>) addArgs.get(0)).size());
        assertEquals(2, ((List<Object>) ((Map<String, Object>) add.get("build_config")).get("input_shape")).size());

        Map<String, Object> compile = (Map<String, Object>) top.get("compile_config");
        assertEquals(Set.of("out_reg", "out_cls"), ((Map<String, Object>) compile.get("loss")).keySet());
        assertEquals(Map.of("out_reg", 1.0, "out_cls", 0.5), compile.get("loss_weights"));
        assertEquals("keras.optimizers", ((Map<String, Object>) compile.get("optimizer")).get("module"));
    }

    @Test
    void aSequentialInsideAFunctionalRoundTrips() throws IOException {
        Seeds.set(5);
        Tensor x = Input.of(new long[] {6}, "x");
        Sequential body = new Sequential(new Dense(5, "tanh"), new Dense(3));
        Tensor h = body.apply(x);
        Tensor out = new Dense(2).apply(new Concatenate().apply(List.of(h, x)));
        Functional model = new Functional(List.of(x), List.of(out));
        Path file = dir.resolve("nested.keras");
        model.save(file);
        Model loaded = Model.load(file);

        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
        INDArray in = values(7, 6);
        assertArrayEquals(model.predict(in).data().asFloat(), loaded.predict(in).data().asFloat());
        byte[] h5 = G4jFormatCorruptTest.unzip(Files.readAllBytes(file)).get(KerasFormat.WEIGHTS);
        try (HdfFile hdf = HdfFile.fromBytes(h5)) {
            assertShape(hdf, "layers/sequential/layers/dense/vars/0", 6, 5);
            assertShape(hdf, "layers/sequential/layers/dense_1/vars/0", 5, 3);
            assertShape(hdf, "layers/dense/vars/0", 9, 2);
        }
    }

    /** Keras numbers a nested functional model's nodes from 1 in its parent's config, and so does the file. */
    @Test
    @SuppressWarnings("unchecked")
    void aFunctionalInsideAFunctionalRoundTripsWithKerasNodeIndices() throws IOException {
        Seeds.set(6);
        Tensor innerIn = Input.of(new long[] {6}, "inner_in");
        Functional inner = new Functional(List.of(innerIn), List.of(new Dense(4, "relu").apply(innerIn)), "inner");
        Tensor x = Input.of(new long[] {6}, "x");
        Tensor h = inner.apply(x);
        Tensor out = new Dense(2).apply(h);
        Functional model = new Functional(List.of(x), List.of(out, h));
        Path file = dir.resolve("inner.keras");
        model.save(file);

        Map<String, Object> top = JSON.readValue(G4jFormatCorruptTest.unzip(Files.readAllBytes(file))
                .get(KerasFormat.CONFIG), Map.class);
        Map<String, Object> config = (Map<String, Object>) top.get("config");
        assertEquals(List.of("inner", 1, 0), ((List<Object>) config.get("output_layers")).get(1));
        Map<String, Object> dense = ((List<Map<String, Object>>) config.get("layers")).get(2);
        Map<String, Object> arg = (Map<String, Object>) ((List<Object>) ((List<Map<String, Object>>)
                dense.get("inbound_nodes")).get(0).get("args")).get(0);
        assertEquals(List.of("inner", 1, 0), ((Map<String, Object>) arg.get("config")).get("keras_history"));
        assertEquals("Functional", ((List<Map<String, Object>>) config.get("layers")).get(1).get("class_name"));

        Model loaded = Model.load(file);
        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
        INDArray in = values(5, 6);
        List<INDArray> before = ((Functional) model).predictAll(List.of(in));
        List<INDArray> after = ((Functional) loaded).predictAll(List.of(in));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(before.get(i).data().asFloat(), after.get(i).data().asFloat(), "output " + i);
        }
        byte[] h5 = G4jFormatCorruptTest.unzip(Files.readAllBytes(file)).get(KerasFormat.WEIGHTS);
        try (HdfFile hdf = HdfFile.fromBytes(h5)) {
            assertShape(hdf, "layers/functional/layers/dense/vars/0", 6, 4);
            assertShape(hdf, "layers/dense/vars/0", 4, 2);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInboundNodeNamingAnUnknownLayerIsNamed() throws IOException {
        Path file = dir.resolve("good.keras");
        trained(data()).save(file);
        Map<String, byte[]> entries = new LinkedHashMap<>(G4jFormatCorruptTest.unzip(Files.readAllBytes(file)));
        Map<String, Object> top = JSON.readValue(entries.get(KerasFormat.CONFIG), Map.class);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) top.get("config")).get("layers");
        Map<String, Object> node = ((List<Map<String, Object>>) layers.get(5).get("inbound_nodes")).get(0);
        Map<String, Object> tensor = (Map<String, Object>) ((List<Object>) node.get("args")).get(0);
        ((List<Object>) ((Map<String, Object>) tensor.get("config")).get("keras_history")).set(0, "ghost");
        entries.put(KerasFormat.CONFIG, JSON.writeValueAsBytes(top));
        Path bad = dir.resolve("ghost.keras");
        Files.write(bad, G4jFormatCorruptTest.zip(entries));
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(bad)).getMessage();
        String reader = String.valueOf(layers.get(5).get("name"));
        assertEquals("out_reg", reader);
        for (String part : List.of("ghost.keras", "inbound node of layer \"out_reg\"", "unknown layer \"ghost\"",
                "concatenate")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }
}
