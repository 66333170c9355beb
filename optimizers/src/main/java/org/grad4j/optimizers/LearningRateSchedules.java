package org.grad4j.optimizers;

import java.util.Map;
import java.util.function.Function;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.registry.Registry;

/**
 * Learning-rate schedules by Keras class name, for optimizer configs that nest one under {@code learning_rate}
 * ({@code {"class_name": "ExponentialDecay", "config": {...}}}). Register a custom {@link LearningRateSchedule}
 * here and an optimizer (or a saved model) using it loads again.
 */
public final class LearningRateSchedules {
    private static final Registry<LearningRateSchedule> REGISTRY = new Registry<>("schedule", false);

    static {
        builtIn("ExponentialDecay", ExponentialDecay::fromConfig);
        builtIn("PiecewiseConstant", PiecewiseConstant::fromConfig, "PiecewiseConstantDecay");   // Keras' class name
        builtIn("CosineDecay", CosineDecay::fromConfig);
    }

    private LearningRateSchedules() {
    }

    private static void builtIn(String className, Function<ConfigReader, LearningRateSchedule> factory, String... aliases) {
        REGISTRY.register(className, config -> factory.apply(new ConfigReader(className, config)), aliases);
    }

    /** The schedule classes {@link #fromConfig} knows; a factory gets the schedule's {@code config()}. */
    public static Registry<LearningRateSchedule> registry() {
        return REGISTRY;
    }

    /** Keras' {@code from_config}: the schedule {@code className} with the arguments of {@code config}. */
    public static LearningRateSchedule fromConfig(String className, Map<String, Object> config) {
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("LearningRateSchedule.fromConfig", "schedule", className, REGISTRY.names());
        }
        return REGISTRY.create(className, config, "LearningRateSchedule.fromConfig");
    }
}
