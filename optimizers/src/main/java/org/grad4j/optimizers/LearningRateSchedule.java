package org.grad4j.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning rate that depends on the step: the optimizer asks {@link #at} with its current
 * {@link Optimizer#iterations()} (0 for the first step), as Keras' {@code LearningRateSchedule}.
 */
public interface LearningRateSchedule {

    /** The learning rate for a step, counted from 0. */
    double at(long step);

    /** Keras' {@code get_config()}: the constructor arguments under their Keras names. */
    Map<String, Object> config();

    /** {@code {"class_name": "ExponentialDecay", "config": {...}}}, as Keras nests a schedule in an optimizer config. */
    static Map<String, Object> serialize(LearningRateSchedule schedule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", schedule.getClass().getSimpleName());
        out.put("config", schedule.config());
        return out;
    }

    /**
     * Rebuilds a schedule from its Keras class name and config, by {@link LearningRateSchedules#registry()} (where
     * a custom schedule is registered).
     */
    static LearningRateSchedule fromConfig(String className, Map<String, Object> config) {
        return LearningRateSchedules.fromConfig(className, config);
    }

    /** Reads the nested form {@link #serialize} writes. */
    @SuppressWarnings("unchecked")
    static LearningRateSchedule deserialize(Map<String, Object> classAndConfig) {
        Object className = classAndConfig.get("class_name");
        Object config = classAndConfig.get("config");
        if (!(className instanceof String) || !(config instanceof Map)) {
            throw new IllegalArgumentException("LearningRateSchedule.deserialize: expected {\"class_name\": ..., "
                    + "\"config\": {...}}, got " + classAndConfig);
        }
        return fromConfig((String) className, (Map<String, Object>) config);
    }
}
