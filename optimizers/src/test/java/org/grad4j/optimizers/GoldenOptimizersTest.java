package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of golden/optimizers.json: the optimizer is built from the case's config (hyper-parameters,
 * clipping and weight decay included) through {@link Optimizers#fromConfig}, so an optimizer class this
 * project does not know fails the case; each step is one applyGradients call over all variables.
 */
class GoldenOptimizersTest {

    @TestFactory
    Stream<DynamicTest> everyGoldenCase() {
        return Golden.cases("optimizers", GoldenOptimizersTest::runCase);
    }

    @SuppressWarnings("unchecked")
    private static void runCase(JsonNode c) {
        Map<String, Object> config = new ObjectMapper().convertValue(c.get("config"), Map.class);
        Optimizer optimizer = Optimizers.fromConfig(c.get("optimizer").asText(), config);
        assertEquals(c.get("optimizer").asText(), optimizer.getClass().getSimpleName());

        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : c.get("variables")) {
            variables.add(new Variable(v.get("name").asText(), Golden.array(v.get("initial"))));
        }
        for (JsonNode step : c.get("steps")) {
            List<Tensor> gradients = new ArrayList<>();
            for (Variable v : variables) {
                gradients.add(Golden.tensor(step.get("gradients").get(v.name())));
            }
            optimizer.applyGradients(gradients, variables);
            for (Variable v : variables) {
                Golden.assertClose(c.get("id").asText() + " step " + step.get("step").asInt() + " " + v.name(),
                        step.get("expected").get(v.name()), v, Golden.rtol(c), Golden.atol(c));
            }
        }
        assertEquals(c.get("steps").size(), optimizer.iterations());
    }
}
