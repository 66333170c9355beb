package org.grad4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' {@code ExponentialDecay}: {@code initialLearningRate * decayRate^(step / decaySteps)}, with
 * the exponent floored when {@code staircase} (the rate then drops every {@code decaySteps} steps).
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
        implements LearningRateSchedule {

    public ExponentialDecay {
        Check.positive("ExponentialDecay", "initial_learning_rate", initialLearningRate);
        Check.positive("ExponentialDecay", "decay_steps", decaySteps);
        Check.positive("ExponentialDecay", "decay_rate", decayRate);
    }

    /** A smooth decay ({@code staircase = false}). */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    @Override
    public double at(long step) {
        double p = (double) step / decaySteps;
        return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        return c;
    }

    static ExponentialDecay fromConfig(ConfigReader c) {
        c.allowOnly(Set.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"));
        return new ExponentialDecay(c.number("initial_learning_rate"), c.whole("decay_steps"), c.number("decay_rate"),
                c.has("staircase") && c.bool("staircase"));
    }
}
