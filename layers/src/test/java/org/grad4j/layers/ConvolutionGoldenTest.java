package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The golden layer cases ({@code /golden/layers.json}, PyTorch float64 in Keras' layouts) of the convolution,
 * pooling, shape, merge, normalization and embedding layers: each layer is made by {@link Layers#fromConfig} from
 * the case's Keras constructor arguments, given the case's weights, run in float32, and its output and the
 * gradients of {@code L = sum(output * upstream)} for every float input and weight compared with the case's
 * tolerance.
 */
class ConvolutionGoldenTest {
    /** The layers of this family; the recurrent and attention cases are tested with those layers. */
    static final Set<String> LAYERS = Set.of("Conv1D", "Conv2D", "MaxPooling1D", "MaxPooling2D",
            "AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
            "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Embedding", "LayerNormalization", "Reshape", "Concatenate", "Add");

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Golden.load("layers").get("cases")) {
            if (LAYERS.contains(c.get("layer").asText())) {
                tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyCaseOfTheseLayersRuns() {
        long ours = 0;
        for (JsonNode c : Golden.load("layers").get("cases")) {
            ours += LAYERS.contains(c.get("layer").asText()) ? 1 : 0;
        }
        // 20 of the 30 public cases: 3 Conv2D, 2 Conv1D, 3 max and 3 average poolings, 3 global poolings,
        // Embedding, 2 LayerNormalization, Reshape, Concatenate, Add
        assertEquals(20, ours);
    }

    @SuppressWarnings("unchecked")
    private static void run(JsonNode c) {
        String id = c.get("id").asText();
        Map<String, Object> args = new ObjectMapper().convertValue(c.get("constructor_args"), Map.class);
        Layer layer = Layers.fromConfig(c.get("layer").asText(), args);
        List<Tensor> inputs = new ArrayList<>();
        List<String> floatNames = new ArrayList<>();
        List<Tensor> floatInputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            String dtype = in.get("dtype").asText();
            if (dtype.equals("int32")) {
                inputs.add(Tensor.of(Nd4j.create(Golden.data(in), Golden.shape(in), 'c').castTo(DataType.INT32)));
            } else {
                Tensor t = Golden.tensor(in);
                inputs.add(t);
                floatNames.add(in.get("name").asText());
                floatInputs.add(t);
            }
        }
        try (NoGrad scope = NoGrad.enter()) {
            forward(layer, inputs);   // builds the layer
        }
        List<Variable> weights = layer.weights();
        JsonNode expectedWeights = c.get("weights");
        assertEquals(expectedWeights.size(), weights.size(), id + ": weight count");
        for (int i = 0; i < weights.size(); i++) {
            JsonNode w = expectedWeights.get(i);
            assertEquals(layer.name() + "/" + w.get("name").asText() + ":0", weights.get(i).name(), id + ": weight order");
            weights.get(i).assign(Golden.array(w));
        }
        double rtol = Golden.rtol(c);
        double atol = Golden.atol(c);
        List<Tensor> sources = new ArrayList<>(floatInputs);
        sources.addAll(weights);
        List<Tensor> grads;
        Tensor out;
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(floatInputs);
            out = forward(layer, inputs);
            Tensor objective = out.mul(Golden.tensor(c.get("upstream_gradient"))).sum();
            grads = tape.gradient(objective, sources);
        }
        Golden.assertClose(id + " output", c.get("output"), out, rtol, atol);
        for (int i = 0; i < floatInputs.size(); i++) {
            JsonNode expected = c.get("input_gradients").get(floatNames.get(i));
            assertNotNull(expected, id + ": no expected gradient for " + floatNames.get(i));
            Golden.assertClose(id + " d/d" + floatNames.get(i), expected, grads.get(i), rtol, atol);
        }
        JsonNode weightGrads = c.get("weight_gradients");
        assertEquals(weights.size(), weightGrads.size(), id + ": weight gradient count");
        for (int i = 0; i < weights.size(); i++) {
            String name = expectedWeights.get(i).get("name").asText();
            Golden.assertClose(id + " d/d" + name, weightGrads.get(name), grads.get(floatInputs.size() + i), rtol, atol);
        }
        assertFalse(c.get("input_gradients").size() > floatInputs.size(), id + ": gradients for inputs not run");
    }

    private static Tensor forward(Layer layer, List<Tensor> inputs) {
        if (layer instanceof Merge merge) {
            return merge.apply(inputs, false);
        }
        assertEquals(1, inputs.size(), layer.describe() + ": one input");
        return layer.apply(inputs.get(0), false);
    }
}
