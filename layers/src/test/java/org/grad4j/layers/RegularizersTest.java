package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RegularizersTest {
    private final Tensor w = Tensor.of(new double[] {0.5, -2.0, 3.0, -0.25}, DataType.DOUBLE, 2, 2);

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void penaltiesFollowKerasFormulas() {
        // sum|w| = 5.75, sum w² = 13.3125
        assertEquals(0.01 * 5.75, Regularizers.l1().penalty(w).itemDouble(), 1e-12);
        assertEquals(0.01 * 13.3125, Regularizers.l2().penalty(w).itemDouble(), 1e-12);
        assertEquals(0.3 * 5.75, Regularizers.l1(0.3).penalty(w).itemDouble(), 1e-12);
        assertEquals(0.2 * 13.3125, Regularizers.l2(0.2).penalty(w).itemDouble(), 1e-12);
        assertEquals(0.1 * 5.75 + 0.2 * 13.3125, Regularizers.l1l2(0.1, 0.2).penalty(w).itemDouble(), 1e-12);
        assertEquals(0, Regularizers.l1().penalty(w).rank());
    }

    @Test
    void penaltiesHaveGradients() {
        Tensor x = Tensor.of(w.array().dup()).requiresGrad(true);
        Regularizers.l1l2(0.1, 0.2).penalty(x).backward();
        // 0.1 * sign(w) + 0.4 * w
        assertArrayEquals(new double[] {0.3, -0.9, 1.3, -0.2}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void layerPenaltiesFlowIntoGradients() {
        Dense dense = new Dense(2).dtype(DataType.DOUBLE).kernelRegularizer(Regularizers.l2(0.5))
                .biasRegularizer(Regularizers.l1(0.25)).biasInitializer(Initializers.constant(-1.0));
        Tensor x = normal(1, 3, 4).castTo(DataType.DOUBLE);
        dense.build(-1, 4);
        assertEquals(List.of(0.5 * dense.kernel().array().mul(dense.kernel().array()).sumNumber().doubleValue(), 0.25 * 2),
                dense.losses().stream().map(Tensor::itemDouble).toList());

        GradientTape tape = GradientTape.persistent();
        Tensor data;
        Tensor total;
        try (tape) {
            data = dense.apply(x, true).sum();
            total = data.add(dense.losses().get(0)).add(dense.losses().get(1));
        }
        Tensor dataGrad = tape.gradient(data, dense.kernel());
        Tensor totalGrad = tape.gradient(total, dense.kernel());
        // d/dk 0.5 * sum(k²) = k
        assertArrayEquals(dataGrad.add(dense.kernel().value()).toDoubleArray(), totalGrad.toDoubleArray(), 1e-12);
        // d/db 0.25 * sum|b| = 0.25 * sign(b) = -0.25
        assertArrayEquals(tape.gradient(data, dense.bias()).sub(0.25).toDoubleArray(),
                tape.gradient(total, dense.bias()).toDoubleArray(), 1e-12);
    }

    @Test
    void factorsMustBeNonNegative() {
        var e = assertThrows(IllegalArgumentException.class, () -> Regularizers.l2(-0.1));
        assertEquals("Regularizers: l2 must be a finite value >= 0, got -0.1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Regularizers.l1(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Regularizers.l1l2(0.1, Double.POSITIVE_INFINITY));
    }

    @Test
    void serializedFormRoundTrips() {
        assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.01)), Regularizers.serialize(Regularizers.l2()));
        for (Regularizer r : List.of(Regularizers.l1(0.2), Regularizers.l2(0.3), Regularizers.l1l2(0.1, 0.4))) {
            Regularizer back = Regularizers.deserialize(Regularizers.serialize(r));
            assertEquals(r, back);
            assertEquals(r.penalty(w).itemDouble(), back.penalty(w).itemDouble());
        }
        assertNull(Regularizers.serialize(null));
        assertNull(Regularizers.deserialize(null));
        assertThrows(IllegalArgumentException.class, () -> Regularizers.deserialize(Map.of("class_name", "L3")));
    }
}
