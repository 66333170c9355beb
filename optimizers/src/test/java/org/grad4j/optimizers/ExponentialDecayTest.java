package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExponentialDecayTest {

    @Test
    void decaysSmoothlyOrInStairs() {
        ExponentialDecay smooth = new ExponentialDecay(0.1, 10, 0.5);
        ExponentialDecay stairs = new ExponentialDecay(0.1, 10, 0.5, true);
        for (long step : new long[] {0, 1, 5, 9, 10, 15, 20, 101}) {
            assertEquals(0.1 * Math.pow(0.5, step / 10.0), smooth.at(step), 1e-15, "smooth at " + step);
            assertEquals(0.1 * Math.pow(0.5, Math.floor(step / 10.0)), stairs.at(step), 1e-15, "stairs at " + step);
        }
        assertEquals(0.05, stairs.at(19));
    }

    @Test
    void argumentsAreValidated() {
        assertEquals("ExponentialDecay: decay_steps must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5)).getMessage());
        assertEquals("ExponentialDecay: initial_learning_rate must be positive, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(-1, 10, 0.5)).getMessage());
        assertEquals("ExponentialDecay: decay_rate must be positive, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 10, 0)).getMessage());
    }

    @Test
    void configRoundTrips() {
        ExponentialDecay s = new ExponentialDecay(0.1, 10, 0.5, true);
        assertEquals(s, LearningRateSchedule.fromConfig("ExponentialDecay", s.config()));
        assertEquals(s, LearningRateSchedule.deserialize(LearningRateSchedule.serialize(s)));
    }
}
