package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The SimpleRNN, LSTM and GRU cases of golden/layers.json: outputs, states and gradients in float32. */
class RecurrentGoldenTest {
    static final Set<String> LAYERS = Set.of("SimpleRNN", "LSTM", "GRU");

    @Test
    void everyRecurrentCaseIsRun() {
        assertEquals(8, LayerGoldenCases.count(LAYERS));
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return LayerGoldenCases.cases(LAYERS, (layer, in) -> {
            RecurrentLayer<?> rnn = (RecurrentLayer<?>) layer;
            return rnn.returnState() ? rnn.callWithState(in.get("x"), false) : List.of(rnn.call(in.get("x"), false));
        });
    }
}
