package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.SgdUpdater;
import org.nd4j.linalg.factory.Nd4j;

/** The Java passes of {@link Updates} compute what libnd4j's fused updater ops compute. */
class UpdatesTest {
    private static INDArray random(long seed) {
        return Seeds.normal(new java.util.SplittableRandom(seed), new long[] {300}, 0, 1);
    }

    @Test
    void sgdMatchesLibnd4j() {
        INDArray g = random(1);
        INDArray w = random(2);
        INDArray expected = w.dup();
        expected.subi(Nd4j.exec(new SgdUpdater(g.dup(), 0.05))[0]);
        Updates.sgd(g, w, 0.05);
        assertArrayEquals(expected.toFloatVector(), w.toFloatVector());
    }

    @Test
    void adamMatchesLibnd4jOverSteps() {
        INDArray w = random(3);
        INDArray m = Nd4j.zeros(DataType.FLOAT, 300);
        INDArray v = Nd4j.zeros(DataType.FLOAT, 300);
        INDArray w2 = w.dup();
        INDArray m2 = m.dup();
        INDArray v2 = v.dup();
        for (int step = 0; step < 5; step++) {
            INDArray g = random(10 + step);
            INDArray g2 = g.dup();
            Updates.adam(g, m, v, w, 0.01, 0.9, 0.999, 1e-7, step);
            Nd4j.exec(new AdamUpdater(g2, v2, m2, 0.01, 0.9, 0.999, 1e-7, step));
            w2.subi(g2);
        }
        assertArrayEquals(w2.toFloatVector(), w.toFloatVector());
        assertArrayEquals(m2.toFloatVector(), m.toFloatVector());
        assertArrayEquals(v2.toFloatVector(), v.toFloatVector());
    }
}
