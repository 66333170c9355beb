package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PiecewiseConstantTest {

    @Test
    void aBoundaryStepStillGetsTheEarlierValue() {
        PiecewiseConstant s = new PiecewiseConstant(new long[] {100, 200}, new double[] {1.0, 0.5, 0.1});
        assertEquals(1.0, s.at(0));
        assertEquals(1.0, s.at(100));
        assertEquals(0.5, s.at(101));
        assertEquals(0.5, s.at(200));
        assertEquals(0.1, s.at(201));
        assertEquals(0.1, s.at(1_000_000));
    }

    @Test
    void argumentsAreValidatedAndCopied() {
        assertEquals("PiecewiseConstant: 2 boundaries need 3 values, got 2 [1.0, 0.5]",
                assertThrows(IllegalArgumentException.class,
                        () -> new PiecewiseConstant(new long[] {1, 2}, new double[] {1.0, 0.5})).getMessage());
        assertEquals("PiecewiseConstant: boundaries must increase strictly, got [5, 5]",
                assertThrows(IllegalArgumentException.class,
                        () -> new PiecewiseConstant(new long[] {5, 5}, new double[] {1, 2, 3})).getMessage());
        assertEquals("PiecewiseConstant: every value must be positive, got 0.0",
                assertThrows(IllegalArgumentException.class,
                        () -> new PiecewiseConstant(new long[] {5}, new double[] {1, 0})).getMessage());
        double[] values = {1.0, 0.5};
        PiecewiseConstant s = new PiecewiseConstant(new long[] {3}, values);
        values[0] = 9;
        assertEquals(1.0, s.at(0));
    }

    @Test
    void configRoundTripsWithContentEquality() {
        PiecewiseConstant s = new PiecewiseConstant(new long[] {3, 7}, new double[] {0.3, 0.2, 0.1});
        assertEquals(s, LearningRateSchedule.fromConfig("PiecewiseConstant", s.config()));
        assertEquals(s, LearningRateSchedule.fromConfig("PiecewiseConstantDecay", s.config()));   // Keras' class name
        assertEquals(s.hashCode(), new PiecewiseConstant(new long[] {3, 7}, new double[] {0.3, 0.2, 0.1}).hashCode());
    }
}
