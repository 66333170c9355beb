package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the cases of golden/layers.json (a copy of shared/golden/public/layers.json) for some layer classes: the
 * layer comes from {@link Layers#fromConfig} with the case's Keras constructor arguments, takes the case's weights in
 * Keras' order, and its outputs, states and gradients of {@code L = sum(output * upstream) (+ each state's)} must lie
 * within the case's tolerance. All in float32, as the tolerance assumes.
 */
final class LayerGoldenCases {
    /** Calls the layer on the named inputs; returns the output followed by the states of a return_state case. */
    interface Call extends BiFunction<Layer, Map<String, Tensor>, List<Tensor>> {
    }

    private LayerGoldenCases() {
    }

    /** One dynamic test per case whose layer is in {@code layerClasses}; fails if there is none. */
    static Stream<DynamicTest> cases(Set<String> layerClasses, Call call) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Golden.load("layers").get("cases")) {
            if (layerClasses.contains(c.get("layer").asText())) {
                tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c, call)));
            }
        }
        assertFalse(tests.isEmpty(), "no golden case for " + layerClasses);
        return tests.stream();
    }

    /** The number of cases of those layer classes, to pin the count. */
    static long count(Set<String> layerClasses) {
        long n = 0;
        for (JsonNode c : Golden.load("layers").get("cases")) {
            n += layerClasses.contains(c.get("layer").asText()) ? 1 : 0;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static void run(JsonNode c, Call call) {
        String id = c.get("id").asText();
        double rtol = Golden.rtol(c);
        double atol = Golden.atol(c);
        Map<String, Object> args = new ObjectMapper().convertValue(c.get("constructor_args"), Map.class);
        Layer layer = Layers.fromConfig(c.get("layer").asText(), args);

        Map<String, Tensor> inputs = new LinkedHashMap<>();
        List<Tensor> differentiable = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            String kind = in.get("dtype").asText();
            Tensor t = switch (kind) {
                case "float" -> Golden.tensor(in);
                case "bool" -> Tensor.of(Nd4j.create(Golden.data(in), Golden.shape(in), 'c').castTo(DataType.BOOL));
                case "int32" -> Tensor.of(Nd4j.create(Golden.data(in), Golden.shape(in), 'c').castTo(DataType.INT32));
                default -> throw new AssertionError(id + ": unknown input dtype " + kind);
            };
            inputs.put(in.get("name").asText(), t);
            if (kind.equals("float")) {
                differentiable.add(t);
            }
        }
        call.apply(layer, inputs);   // builds the layer with Keras' initial weights, replaced next

        List<Variable> weights = layer.weights();
        JsonNode expectedWeights = c.get("weights");
        assertEquals(expectedWeights.size(), weights.size(), id + ": weight count");
        for (int i = 0; i < weights.size(); i++) {
            JsonNode w = expectedWeights.get(i);
            assertEquals(layer.name() + "/" + w.get("name").asText() + ":0", weights.get(i).name(), id + ": weight " + i);
            weights.get(i).assign(Golden.array(w));
        }

        List<Tensor> sources = new ArrayList<>(differentiable);
        sources.addAll(weights);
        List<Tensor> results;
        Tensor objective;
        GradientTape tape = GradientTape.open();
        try (tape) {
            tape.watch(sources);
            results = call.apply(layer, inputs);
            objective = results.get(0).mul(Golden.tensor(c.get("upstream_gradient"))).sum();
            JsonNode stateUpstream = c.get("state_upstream_gradients");
            int states = stateUpstream == null ? 0 : stateUpstream.size();
            assertEquals(1 + states, results.size(), id + ": output and state count");
            for (int k = 0; k < states; k++) {
                objective = objective.add(results.get(1 + k).mul(Golden.tensor(stateUpstream.get(k))).sum());
            }
        }
        Golden.assertClose(id + " output", c.get("output"), results.get(0), rtol, atol);
        JsonNode stateOutputs = c.get("state_outputs");
        for (int k = 0; stateOutputs != null && k < stateOutputs.size(); k++) {
            Golden.assertClose(id + " state " + stateOutputs.get(k).get("name").asText(), stateOutputs.get(k),
                    results.get(1 + k), rtol, atol);
        }
        List<Tensor> grads = tape.gradient(objective, sources);
        int g = 0;
        for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
            if (differentiable.contains(in.getValue())) {
                JsonNode expected = c.get("input_gradients").get(in.getKey());
                assertNotNull(expected, id + ": no expected gradient for input " + in.getKey());
                Golden.assertClose(id + " d/d" + in.getKey(), expected, grads.get(g++), rtol, atol);
            }
        }
        assertEquals(differentiable.size(), c.get("input_gradients").size(), id + ": input gradient count");
        for (int i = 0; i < weights.size(); i++) {
            String name = expectedWeights.get(i).get("name").asText();
            Golden.assertClose(id + " d/d" + name, c.get("weight_gradients").get(name), grads.get(g++), rtol, atol);
        }
    }
}
