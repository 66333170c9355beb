package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A user's optimizer and schedule, registered by name, are rebuilt from configs like the built-ins. */
class CustomRegistrationsTest {

    /** The registries are global: leave them as other tests expect them (their "known" lists). */
    @AfterEach
    void unregister() {
        Optimizers.registry().unregister("Plain");
        LearningRateSchedules.registry().unregister("Halving");
    }

    /** A user's rule; here just SGD under another name. */
    static class Plain extends SGD {
    }

    /** Halves the rate every {@code every} steps. */
    record Halving(double initial, long every) implements LearningRateSchedule {
        @Override
        public double at(long step) {
            return initial * Math.pow(0.5, step / every);
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("initial", initial, "every", every);
        }
    }

    @Test
    void aRegisteredOptimizerGetsTheBaseHyperParametersFromItsConfig() {
        Optimizers.registry().replace("Plain", config -> new Plain());
        assertInstanceOf(Plain.class, Optimizers.get("plain"), "found in any case, as the built-ins");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("learning_rate", 0.25);
        config.put("clipnorm", 1.0);
        Optimizer o = Optimizers.fromConfig("Plain", config);
        assertEquals(0.25, o.learningRate(), 1e-12);
        assertEquals(1.0, ((Number) o.config().get("clipnorm")).doubleValue(), 1e-12);
        assertTrue(Optimizers.names().contains("plain"), "names() lists it: " + Optimizers.names());
    }

    @Test
    void aRegisteredScheduleLoadsInsideAnOptimizerConfig() {
        LearningRateSchedules.registry().replace("Halving", c -> new Halving(((Number) c.get("initial")).doubleValue(),
                ((Number) c.get("every")).longValue()));
        Optimizer o = Optimizers.fromConfig("SGD", Map.of("learning_rate",
                LearningRateSchedule.serialize(new Halving(0.8, 10))));
        assertEquals(0.8, o.learningRate(), 1e-12);
        assertEquals(0.4, LearningRateSchedules.fromConfig("Halving", Map.of("initial", 0.8, "every", 10)).at(10), 1e-12);
    }
}
