package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A NaN scalar operand must give NaN (ND4J's own scalar ops swap it for a tiny epsilon). */
class ScalarOperandTest {

    @Test
    void nanOperandGivesNaNEverywhere() {
        List<Function<Tensor, Tensor>> ops = List.of(t -> t.add(Double.NaN), t -> t.sub(Double.NaN),
                t -> t.mul(Double.NaN), t -> t.div(Double.NaN), t -> t.rsub(Double.NaN), t -> t.rdiv(Double.NaN));
        for (Function<Tensor, Tensor> op : ops) {
            Tensor out = op.apply(Tensor.of(new float[] {1, -2, 3}, 3));
            for (float v : out.toFloatArray()) {
                assertTrue(Float.isNaN(v), () -> "expected NaN, got " + java.util.Arrays.toString(out.toFloatArray()));
            }
        }
    }

    @Test
    void infiniteOperandStaysInfinite() {
        float[] out = Tensor.of(new float[] {1, 2}, 2).add(Double.POSITIVE_INFINITY).toFloatArray();
        assertTrue(Float.isInfinite(out[0]) && Float.isInfinite(out[1]));
    }
}
