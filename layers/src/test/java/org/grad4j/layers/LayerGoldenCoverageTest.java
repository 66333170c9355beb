package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Every case of golden/layers.json is run by one of the three golden suites: a layer class added to the file
 * but to no suite's list would otherwise pass silently, as a case nobody runs.
 */
class LayerGoldenCoverageTest {
    @Test
    void everyCaseBelongsToExactlyOneSuite() {
        JsonNode file = Golden.load("layers");
        Set<String> missing = new TreeSet<>();
        int cases = 0;
        for (JsonNode c : file.get("cases")) {
            String layer = c.get("layer").asText();
            int suites = (ConvolutionGoldenTest.LAYERS.contains(layer) ? 1 : 0)
                    + (RecurrentGoldenTest.LAYERS.contains(layer) ? 1 : 0)
                    + (AttentionGoldenTest.LAYERS.contains(layer) ? 1 : 0);
            if (suites != 1) {
                missing.add(layer + " (in " + suites + " suites)");
            }
            cases++;
        }
        assertTrue(missing.isEmpty(), "golden layer cases not run exactly once: " + missing);
        assertEquals(file.get("count").asInt(), cases, "the file's own case count");
        Set<String> all = new HashSet<>(ConvolutionGoldenTest.LAYERS);
        all.addAll(RecurrentGoldenTest.LAYERS);
        all.addAll(AttentionGoldenTest.LAYERS);
        assertEquals(cases, LayerGoldenCases.count(all));
    }
}
