package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.MultiHeadAttention;
import org.grad4j.models.Functional;
import org.grad4j.models.Input;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention in Keras 3's {@code .keras} layout: its four EinsumDense sublayers' groups
 * ({@code layers/multi_head_attention/query_dense/vars/0} kernel, {@code /1} bias...). The fixtures
 * {@code mha_keras3*.keras} are written by {@code src/test/keras-fixtures/make_mha_keras.py} with h5py, their
 * expected outputs computed there with numpy from Keras' einsum equations.
 */
class KerasMultiHeadAttentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** float32 attention (two projections, a softmax, two more) against a float64 reference of |y| ~ 2. */
    static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void keras3FilesLoadTheSublayersWeightsAndMatchNumpy() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("mha_keras3.reference.json");
        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        INDArray query = KerasReferenceFilesTest.nested(inputs.get("query")).castTo(DataType.FLOAT);
        INDArray value = KerasReferenceFilesTest.nested(inputs.get("value")).castTo(DataType.FLOAT);
        INDArray expected = KerasReferenceFilesTest.nested(ref.get("expected_output"));
        Map<String, Object> weights = (Map<String, Object>) ref.get("weights");
        for (String file : List.of("mha_keras3.keras", "mha_keras3_private_names.keras")) {
            Functional model = assertInstanceOf(Functional.class, Model.load(KerasReferenceFilesTest.resource(dir, file)));
            MultiHeadAttention mha = assertInstanceOf(MultiHeadAttention.class, model.getLayer("multi_head_attention"));
            assertEquals(List.of(2, 3, 2), List.of(mha.numHeads(), mha.keyDim(), mha.valueDim()));
            for (Variable v : mha.weights()) {
                // query/kernel:0 -> query_kernel
                String key = v.name().substring(v.name().indexOf('/') + 1).replace(":0", "").replace("attention_output",
                        "output").replace('/', '_');
                assertArrayEquals(KerasReferenceFilesTest.nested(weights.get(key)).castTo(DataType.FLOAT).dup('c').data().asFloat(),
                        v.array().dup('c').data().asFloat(), file + " " + v.name());
            }
            INDArray actual = model.predictAll(List.of(query, value)).get(0).castTo(DataType.DOUBLE);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Nd4j.math().abs(actual.sub(expected)).maxNumber().doubleValue();
            System.out.println(file + ": max |predict - numpy| = " + diff);
            assertTrue(diff <= TOLERANCE, file + ": max abs diff " + diff);
        }
    }

    /**
     * The same model in tf.keras 2.15's {@code .h5} layout ({@code mha_tf215.h5}, {@code make_mha_tf215_h5.py}): the
     * value passed in the node's kwargs, the build shapes in the config, the weights listed by weight_names.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aTfKeras215H5CrossAttentionModelMatchesNumpy() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("mha_tf215.reference.json");
        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        Functional model = assertInstanceOf(Functional.class,
                Model.load(KerasReferenceFilesTest.resource(dir, "mha_tf215.h5")));
        assertEquals(List.of("query", "value"), model.inputNames());
        INDArray actual = model.predictAll(List.of(KerasReferenceFilesTest.nested(inputs.get("query")).castTo(DataType.FLOAT),
                KerasReferenceFilesTest.nested(inputs.get("value")).castTo(DataType.FLOAT))).get(0).castTo(DataType.DOUBLE);
        INDArray expected = KerasReferenceFilesTest.nested(ref.get("expected_output"));
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Nd4j.math().abs(actual.sub(expected)).maxNumber().doubleValue();
        System.out.println("mha_tf215.h5: max |predict - numpy| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }

    /** Cross-attention, then self-attention without biases and with its own output size. */
    private static Functional model() {
        Seeds.set(21);
        Tensor q = Input.of(new long[] {4, 6}, "q");
        Tensor v = Input.of(new long[] {5, 3}, "v");
        Tensor cross = new MultiHeadAttention(2, 3).valueDim(2).call(q, v);
        Tensor self = new MultiHeadAttention(1, 2).useBias(false).outputShape(5).apply(cross);
        return new Functional(List.of(q, v), List.of(self));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRoundTripWritesKerasSublayerGroupsAndReadsThemBack() throws IOException {
        Functional model = model();
        INDArray q = Nd4j.rand(DataType.FLOAT, 3, 4, 6).subi(0.5);
        INDArray v = Nd4j.rand(DataType.FLOAT, 3, 5, 3).subi(0.5);
        INDArray before = model.predictAll(List.of(q, v)).get(0);
        Path file = dir.resolve("mha.keras");
        model.save(file);

        Map<String, byte[]> entries = G4jFormatCorruptTest.unzip(Files.readAllBytes(file));
        try (HdfFile hdf = HdfFile.fromBytes(entries.get(KerasFormat.WEIGHTS))) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            shapes.put("layers/multi_head_attention/query_dense/vars/0", new long[] {6, 2, 3});
            shapes.put("layers/multi_head_attention/query_dense/vars/1", new long[] {2, 3});
            shapes.put("layers/multi_head_attention/key_dense/vars/0", new long[] {3, 2, 3});
            shapes.put("layers/multi_head_attention/value_dense/vars/0", new long[] {3, 2, 2});
            shapes.put("layers/multi_head_attention/value_dense/vars/1", new long[] {2, 2});
            shapes.put("layers/multi_head_attention/output_dense/vars/0", new long[] {2, 2, 6});
            shapes.put("layers/multi_head_attention/output_dense/vars/1", new long[] {6});
            shapes.put("layers/multi_head_attention_1/query_dense/vars/0", new long[] {6, 1, 2});
            shapes.put("layers/multi_head_attention_1/output_dense/vars/0", new long[] {1, 2, 5});
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                Dataset d = Hdf5Arrays.dataset(hdf, e.getKey());
                assertNotNull(d, e.getKey());
                assertArrayEquals(e.getValue(), d.getDimensionsAsLong(), e.getKey());
            }
            // no biases: one array per sublayer
            assertEquals(List.of("0"), Hdf5Arrays.children(Hdf5Arrays.group(hdf,
                    "layers/multi_head_attention_1/key_dense/vars")));
        }
        Map<String, Object> top = JSON.readValue(entries.get(KerasFormat.CONFIG), Map.class);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) top.get("config")).get("layers");
        Map<String, Object> cross = layers.get(2);
        Map<String, Object> self = layers.get(3);
        assertEquals(Map.of("shapes_dict", Map.of("query_shape", java.util.Arrays.asList(null, 4, 6),
                "value_shape", java.util.Arrays.asList(null, 5, 3))), cross.get("build_config"));
        // Keras' MultiHeadAttention needs a value: a self-attention call is written with the query as the value
        List<Object> args = (List<Object>) ((List<Map<String, Object>>) self.get("inbound_nodes")).get(0).get("args");
        assertEquals(2, args.size());
        assertEquals(args.get(0), args.get(1));

        Functional back = assertInstanceOf(Functional.class, Model.load(file));
        assertArrayEquals(before.dup('c').data().asFloat(), back.predictAll(List.of(q, v)).get(0).dup('c').data().asFloat());
        List<Variable> a = model.weights();
        List<Variable> b = back.weights();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertArrayEquals(a.get(i).array().dup('c').data().asFloat(), b.get(i).array().dup('c').data().asFloat());
        }
    }

    @Test
    void aSequentialModelWithMultiHeadAttentionIsNotWrittenAsKeras() {
        Sequential model = new Sequential(new org.grad4j.layers.InputLayer(4, 6), new MultiHeadAttention(2, 3));
        String message = assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("s.keras")))
                .getMessage();
        for (String part : List.of("MultiHeadAttention", "Sequential", "value tensor", "functional model", ".g4j")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void attentionAxesOtherThanTheSequenceAxisAreRefusedByName() throws IOException {
        Path file = KerasReferenceFilesTest.resource(dir, "mha_keras3.keras");
        Map<String, byte[]> entries = new LinkedHashMap<>(G4jFormatCorruptTest.unzip(Files.readAllBytes(file)));
        Map<String, Object> top = JSON.readValue(entries.get(KerasFormat.CONFIG), Map.class);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) top.get("config")).get("layers");
        ((Map<String, Object>) layers.get(2).get("config")).put("attention_axes", List.of(2));
        entries.put(KerasFormat.CONFIG, JSON.writeValueAsBytes(top));
        Path bad = dir.resolve("axes.keras");
        Files.write(bad, G4jFormatCorruptTest.zip(entries));
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(bad)).getMessage();
        for (String part : List.of("multi_head_attention", "MultiHeadAttention", "attention_axes = [2]", "supported")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aConfigThatDoesNotFitTheSublayerGroupsIsNamed() throws IOException {
        Path file = KerasReferenceFilesTest.resource(dir, "mha_keras3.keras");
        Map<String, byte[]> entries = new LinkedHashMap<>(G4jFormatCorruptTest.unzip(Files.readAllBytes(file)));
        Map<String, Object> top = JSON.readValue(entries.get(KerasFormat.CONFIG), Map.class);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) top.get("config")).get("layers");
        ((Map<String, Object>) layers.get(2).get("config")).put("use_bias", false);   // the file has biases
        entries.put(KerasFormat.CONFIG, JSON.writeValueAsBytes(top));
        Path bad = dir.resolve("nobias.keras");
        Files.write(bad, G4jFormatCorruptTest.zip(entries));
        String message = assertThrows(IllegalArgumentException.class, () -> Model.load(bad)).getMessage();
        for (String part : List.of("multi_head_attention", "2 arrays at layers/multi_head_attention/query_dense/vars",
                "has 1 weights", "query/kernel")) {
            assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
        }
    }
}
