package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Variable;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A functional model in tf.keras 2.15's full-model HDF5 layout ({@code functional_tf215.h5}, written by
 * {@code src/test/keras-fixtures/make_functional_tf215_h5.py} with h5py; its reference outputs computed there with
 * numpy in float64): two inputs, a Dense shared by both, Add and Concatenate, Adam state after 7 steps.
 */
class KerasH5FunctionalTest {
    /** float32 forward pass against a float64 reference of |y| ~ 2: a few float32 ulps. */
    static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void aTfKeras215FunctionalH5LoadsWithItsSharedLayerAndMatchesNumpy() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("functional_tf215.reference.json");
        Model model = Model.load(KerasReferenceFilesTest.resource(dir, "functional_tf215.h5"));
        Functional f = assertInstanceOf(Functional.class, model);
        assertInstanceOf(InputLayer.class, f.getLayer("input_1"));
        assertInstanceOf(Add.class, f.getLayer("add"));
        assertInstanceOf(Concatenate.class, f.getLayer("concatenate"));
        Dense shared = assertInstanceOf(Dense.class, f.getLayer("dense"));
        assertEquals(2, shared.inboundNodes().size(), "dense is called on both inputs");

        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        INDArray x1 = KerasReferenceFilesTest.nested(inputs.get("input_1")).castTo(DataType.FLOAT);
        INDArray x2 = KerasReferenceFilesTest.nested(inputs.get("input_2")).castTo(DataType.FLOAT);
        INDArray expected = KerasReferenceFilesTest.nested(ref.get("expected_output"));
        INDArray actual = f.predictAll(List.of(x1, x2)).get(0).castTo(DataType.DOUBLE);
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Nd4j.math().abs(actual.sub(expected)).maxNumber().doubleValue();
        System.out.println("functional_tf215.h5: max |predict - numpy| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
        // swapping the inputs changes the answer: the two nodes of the shared Dense are wired as in the file
        INDArray swapped = f.predictAll(List.of(x2, x1)).get(0).castTo(DataType.DOUBLE);
        assertTrue(Nd4j.math().abs(swapped.sub(expected)).maxNumber().doubleValue() > 1e-2);

        // compiled from training_config, Adam's state restored from optimizer_weights in Keras' order
        assertTrue(model.isCompiled());
        Adam adam = assertInstanceOf(Adam.class, model.optimizer());
        assertEquals(0.01, adam.learningRate(), 1e-9);
        assertEquals(((Number) ref.get("iteration")).longValue(), adam.iterations());
        Map<String, Object> slots = (Map<String, Object>) ref.get("optimizer_slots");
        List<Variable> state = adam.variables();
        assertEquals(1 + slots.size(), state.size());
        int i = 1;
        for (Map.Entry<String, Object> e : slots.entrySet()) {
            String[] parts = e.getKey().split("/");   // Adam/m/dense/kernel:0
            Variable slot = state.get(i++);
            String kind = parts[1].equals("m") ? "momentum" : "velocity";
            String var = parts[2] + "/" + parts[3];
            assertTrue(slot.name().contains(kind) && slot.name().endsWith(var), slot.name() + " for " + e.getKey());
            assertArrayEquals(KerasReferenceFilesTest.nested(e.getValue()).castTo(DataType.FLOAT).data().asFloat(), slot.array().dup('c').data().asFloat(), e.getKey());
        }
        // and it trains on: one step moves the weights
        INDArray before = shared.weights().get(0).array().dup();
        f.fit(List.of(x1, x2), List.of(Nd4j.zeros(DataType.FLOAT, 5, 2)), FitOptions.epochs(1).batchSize(5).verbose(0));
        assertTrue(!before.equals(shared.weights().get(0).array()));
        assertEquals(8, adam.iterations());
    }

    /**
     * {@code nested_tf215.h5} ({@code make_nested_tf215_h5.py}): a nested Sequential called on two inputs, its calls
     * counted from node 1 as tf.keras counts a model's, its weights listed trainable-first and matched by name.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aNestedSequentialInATfKeras215H5MatchesNumpy() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("nested_tf215.reference.json");
        Functional model = assertInstanceOf(Functional.class,
                Model.load(KerasReferenceFilesTest.resource(dir, "nested_tf215.h5")));
        org.grad4j.models.Sequential inner = assertInstanceOf(org.grad4j.models.Sequential.class,
                model.getLayer("sequential"));
        Map<String, Object> weights = (Map<String, Object>) ref.get("weights");
        for (Variable v : inner.getLayer("batch_normalization").weights()) {
            assertArrayEquals(KerasReferenceFilesTest.nested(weights.get(v.name())).castTo(DataType.FLOAT).data().asFloat(), v.array().dup('c').data().asFloat(), v.name());
        }
        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        INDArray actual = model.predictAll(List.of(KerasReferenceFilesTest.nested(inputs.get("a")).castTo(DataType.FLOAT),
                KerasReferenceFilesTest.nested(inputs.get("b")).castTo(DataType.FLOAT))).get(0).castTo(DataType.DOUBLE);
        INDArray expected = KerasReferenceFilesTest.nested(ref.get("expected_output"));
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Nd4j.math().abs(actual.sub(expected)).maxNumber().doubleValue();
        System.out.println("nested_tf215.h5: max |predict - numpy| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchNormalizationAxisOtherThanTheLastIsRefusedOnceTheRankIsKnown() throws IOException {
        String json;
        try (HdfFile hdf = new HdfFile(KerasReferenceFilesTest.resource(dir, "nested_tf215.h5"))) {
            json = (String) hdf.getAttribute("model_config").getData();
        }
        Map<String, Object> config = new ObjectMapper().readValue(json.replace("\"axis\": [1]", "\"axis\": [0]"), Map.class);
        Model model = KerasConfigs.anyModel(config);
        String message = assertThrows(IllegalArgumentException.class, () -> BatchNormAxes.check(config, model))
                .getMessage();
        for (String part : List.of("\"batch_normalization\"", "axis = [0]", "rank 2", "supported: the last axis, -1 or 1")) {
            assertTrue(message.contains(part), part + " not in " + message);
        }
        // the file's own [1] is the last axis of its rank-2 input
        Map<String, Object> good = new ObjectMapper().readValue(json, Map.class);
        BatchNormAxes.check(good, KerasConfigs.anyModel(good));
        String two = assertThrows(IllegalArgumentException.class, () -> KerasConfigs.anyModel(new ObjectMapper()
                .readValue(json.replace("\"axis\": [1]", "\"axis\": [1, 2]"), Map.class))).getMessage();
        assertTrue(two.contains("axis = [1, 2]") && two.contains("BatchNormalization"), two);
    }

    @Test
    @SuppressWarnings("unchecked")
    void olderKeras2CallsTheFunctionalClassModel() throws IOException {
        Map<String, Object> config;
        try (HdfFile hdf = new HdfFile(KerasReferenceFilesTest.resource(dir, "functional_tf215.h5"))) {
            config = new ObjectMapper().readValue((String) hdf.getAttribute("model_config").getData(), Map.class);
        }
        config.put("class_name", "Model");
        Functional model = assertInstanceOf(Functional.class, KerasConfigs.anyModel(config));
        assertEquals(List.of("input_1", "input_2"), model.inputNames());
    }

    @Test
    @SuppressWarnings("unchecked")
    void keras2NodesBecomeKeras3Calls() {
        // a merge: one node reading two tensors becomes one list argument
        List<Object> merge = (List<Object>) Keras2Nodes.asKeras3(List.of(List.of(List.of("dense", 0, 0, Map.of()),
                List.of("dense", 1, 0, Map.of()))), "add", "Add");
        Map<String, Object> call = (Map<String, Object>) merge.get(0);
        List<Object> args = (List<Object>) call.get("args");
        assertEquals(1, args.size());
        assertEquals(List.of(List.of("dense", 0, 0), List.of("dense", 1, 0)), ((List<Object>) args.get(0)).stream()
                .map(t -> ((Map<String, Object>) ((Map<String, Object>) t).get("config")).get("keras_history")).toList());
        // a MultiHeadAttention's value and key kwargs become its second and third arguments
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("key", List.of("k", 0, 0));
        kwargs.put("value", List.of("v", 0, 0));
        kwargs.put("attention_mask", null);
        List<Object> mha = (List<Object>) Keras2Nodes.asKeras3(List.of(List.of(List.of("q", 0, 0, kwargs))), "mha",
                "MultiHeadAttention");
        List<Object> mhaArgs = (List<Object>) ((Map<String, Object>) mha.get(0)).get("args");
        assertEquals(List.of(List.of("q", 0, 0), List.of("v", 0, 0), List.of("k", 0, 0)), mhaArgs.stream()
                .map(t -> ((Map<String, Object>) ((Map<String, Object>) t).get("config")).get("keras_history")).toList());
        // arguments left at None change nothing, on a merge too
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("mask", null);
        List<Object> merged = (List<Object>) Keras2Nodes.asKeras3(List.of(List.of(List.of("a", 0, 0, none),
                List.of("b", 0, 0, none))), "add", "Add");
        assertEquals(1, ((List<Object>) ((Map<String, Object>) merged.get(0)).get("args")).size());
        // Keras 3's nodes pass through
        List<Object> keras3 = List.of(Map.of("args", List.of(), "kwargs", Map.of()));
        assertEquals(keras3, Keras2Nodes.asKeras3(keras3, "x", "Dense"));
    }

    @Test
    void aCallArgumentGrad4jCannotHonourIsNamed() {
        String message = assertThrows(IllegalArgumentException.class, () -> Keras2Nodes.asKeras3(
                List.of(List.of(List.of("input_1", 0, 0, Map.of("training", false)))), "bn", "BatchNormalization"))
                .getMessage();
        for (String part : List.of("\"bn\"", "BatchNormalization", "training = false", "supported",
                "MultiHeadAttention")) {
            assertTrue(message.contains(part), part + " not in " + message);
        }
        String constant = assertThrows(IllegalArgumentException.class, () -> Keras2Nodes.asKeras3(
                List.of(List.of(List.of("_CONSTANT_VALUE", -1, 0.5, Map.of()))), "add", "Add")).getMessage();
        assertTrue(constant.contains("constant call argument") && constant.contains("\"add\""), constant);
    }
}
