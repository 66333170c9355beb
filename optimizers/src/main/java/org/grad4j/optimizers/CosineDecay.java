package org.grad4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' {@code CosineDecay}: from {@code from} down to {@code alpha * from} over {@code decaySteps}
 * steps, {@code from * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha)},
 * then constant. With a warmup the rate first climbs linearly from {@code initialLearningRate} to
 * {@code warmupTarget} over {@code warmupSteps} steps and the cosine decays from {@code warmupTarget}.
 *
 * @param warmupTarget null for no warmup
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget,
        long warmupSteps) implements LearningRateSchedule {

    public CosineDecay {
        Check.nonNegative("CosineDecay", "initial_learning_rate", initialLearningRate);
        Check.positive("CosineDecay", "decay_steps", decaySteps);
        Check.unitInterval("CosineDecay", "alpha", alpha);
        Check.nonNegative("CosineDecay", "warmup_steps", warmupSteps);
        if (warmupTarget != null) {
            Check.positive("CosineDecay", "warmup_target", warmupTarget);
        } else if (warmupSteps != 0) {
            throw new IllegalArgumentException("CosineDecay: warmup_steps=" + warmupSteps
                    + " needs a warmup_target (the rate to warm up to)");
        }
    }

    /** Cosine decay without warmup. */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    @Override
    public double at(long step) {
        if (warmupTarget == null) {
            return decayed(Math.min(step, decaySteps), initialLearningRate);
        }
        long s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initialLearningRate) * s / warmupSteps + initialLearningRate;
        }
        return decayed(s - warmupSteps, warmupTarget);
    }

    private double decayed(long step, double from) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * step / decaySteps));
        return from * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }

    static CosineDecay fromConfig(ConfigReader c) {
        c.allowOnly(Set.of("initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps", "name"));
        return new CosineDecay(c.number("initial_learning_rate"), c.whole("decay_steps"),
                c.has("alpha") ? c.number("alpha") : 0.0, c.has("warmup_target") ? c.number("warmup_target") : null,
                c.has("warmup_steps") ? c.whole("warmup_steps") : 0);
    }
}
