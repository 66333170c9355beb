package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineDecayTest {

    private static double cosine(double from, double alpha, long step, long decaySteps) {
        double fraction = Math.min(step, decaySteps) / (double) decaySteps;
        return from * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha);
    }

    @Test
    void decaysToAlphaTimesTheStartThenStays() {
        CosineDecay s = new CosineDecay(0.1, 100, 0.2);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(0.1 * (0.8 * 0.5 + 0.2), s.at(50), 1e-15);
        assertEquals(0.02, s.at(100), 1e-15);
        assertEquals(0.02, s.at(1000), 1e-15);
        for (long step = 0; step <= 120; step += 7) {
            assertEquals(cosine(0.1, 0.2, step, 100), s.at(step), 1e-15);
        }
    }

    @Test
    void warmupClimbsLinearlyThenDecaysFromTheTarget() {
        CosineDecay s = new CosineDecay(0.0, 100, 0.0, 0.1, 10);
        assertEquals(0.0, s.at(0));
        assertEquals(0.05, s.at(5), 1e-15);
        assertEquals(0.1, s.at(10), 1e-15);
        assertEquals(cosine(0.1, 0, 50, 100), s.at(60), 1e-15);
        assertEquals(0.0, s.at(110), 1e-15);
        assertEquals(0.0, s.at(500), 1e-15);
    }

    @Test
    void argumentsAreValidated() {
        assertEquals("CosineDecay: alpha must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 10, 1.5)).getMessage());
        assertEquals("CosineDecay: decay_steps must be positive, got -1",
                assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, -1, 0)).getMessage());
        assertEquals("CosineDecay: warmup_steps=5 needs a warmup_target (the rate to warm up to)",
                assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 10, 0, null, 5)).getMessage());
    }

    @Test
    void configRoundTrips() {
        CosineDecay s = new CosineDecay(0.0, 100, 0.1, 0.01, 10);
        assertEquals(s, LearningRateSchedule.fromConfig("CosineDecay", s.config()));
        CosineDecay plain = new CosineDecay(0.1, 50, 0);
        assertEquals(plain, LearningRateSchedule.deserialize(LearningRateSchedule.serialize(plain)));
    }
}
