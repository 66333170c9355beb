package org.grad4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of golden/losses.json: the loss is rebuilt from the case's Keras class name and config
 * through {@link Losses#fromConfig}, called in float32, and its value and the gradient of the reduced
 * loss (of the sum of the outputs for reduction None) with respect to y_pred are compared with the
 * case's tolerance.
 */
class GoldenLossesTest {
    @Test
    void everyCaseIsHere() {
        JsonNode root = Golden.load("losses");
        assertEquals("losses", root.get("family").asText());
        assertEquals(37, root.get("cases").size());
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return Golden.cases("losses", GoldenLossesTest::runCase);
    }

    private static void runCase(JsonNode c) {
        String id = c.get("id").asText();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().convertValue(c.get("config"), Map.class);
        Loss loss = Losses.fromConfig(c.get("loss").asText(), config);

        Tensor yTrue = Golden.tensor(c.get("y_true"));
        Tensor yPred = Golden.tensor(c.get("y_pred")).requiresGrad(true);
        JsonNode weights = c.get("sample_weight");
        Tensor sampleWeight = weights == null || weights.isNull() ? null : Golden.tensor(weights);

        Tensor value = loss.call(yTrue, yPred, sampleWeight);
        double rtol = Golden.rtol(c);
        double atol = Golden.atol(c);
        Golden.assertClose(id + " value", c.get("expected"), value, rtol, atol);

        (value.rank() == 0 ? value : value.sum()).backward();
        assertNotNull(yPred.grad(), id + ": no gradient reached y_pred");
        Golden.assertClose(id + " grad_y_pred", c.get("grad_y_pred"), yPred.grad(), rtol, atol);
    }
}
