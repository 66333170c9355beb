package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Every case of golden/metrics.json: the metric is rebuilt from the case's Keras class name and config
 * through {@link Metrics#fromConfig}, the updates are applied in order on one object, and the result is
 * compared after each update and at the end, with the case's tolerance.
 */
class GoldenMetricsTest {
    @Test
    void everyCaseIsHere() {
        JsonNode root = Golden.load("metrics");
        assertEquals("metrics", root.get("family").asText());
        assertEquals(18, root.get("cases").size());
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return Golden.cases("metrics", GoldenMetricsTest::runCase);
    }

    private static void runCase(JsonNode c) {
        String id = c.get("id").asText();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().convertValue(c.get("config"), Map.class);
        Metric metric = Metrics.fromConfig(c.get("metric").asText(), config);
        double rtol = Golden.rtol(c);
        double atol = Golden.atol(c);

        JsonNode updates = c.get("updates");
        JsonNode after = c.get("expected_result_after_each_update");
        assertEquals(updates.size(), after.size(), id + ": one expected result per update");
        for (int i = 0; i < updates.size(); i++) {
            JsonNode u = updates.get(i);
            JsonNode w = u.get("sample_weight");
            Tensor weights = w == null || w.isNull() ? null : Golden.tensor(w);
            metric.updateState(Golden.tensor(u.get("y_true")), Golden.tensor(u.get("y_pred")), weights);
            assertClose(id + " after update " + (i + 1), after.get(i).asDouble(), metric.result(), rtol, atol);
        }
        assertClose(id + " result", c.get("expected_result").asDouble(), metric.result(), rtol, atol);
    }

    private static void assertClose(String what, double expected, double actual, double rtol, double atol) {
        double bound = atol + rtol * Math.abs(expected);
        assertTrue(Math.abs(actual - expected) <= bound,
                what + ": expected " + expected + " but was " + actual + " (allowed " + bound + ")");
    }
}
