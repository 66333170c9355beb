package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The MultiHeadAttention cases of golden/layers.json: output and gradients in float32. */
class AttentionGoldenTest {
    static final Set<String> LAYERS = Set.of("MultiHeadAttention");

    @Test
    void everyAttentionCaseIsRun() {
        assertEquals(2, LayerGoldenCases.count(LAYERS));
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        // layer(query, value, key=key, attention_mask=attention_mask): absent inputs are null
        return LayerGoldenCases.cases(LAYERS, (layer, in) -> List.of(((MultiHeadAttention) layer).call(in.get("query"),
                in.get("value"), in.get("key"), in.get("attention_mask"), false, false)));
    }
}
