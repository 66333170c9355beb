package org.grad4j.models;

import org.grad4j.layers.ActivationFunction;
import org.grad4j.layers.Activations;
import org.grad4j.layers.Initializer;
import org.grad4j.layers.Initializers;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;
import org.grad4j.layers.Regularizer;
import org.grad4j.layers.Regularizers;
import org.grad4j.losses.Loss;
import org.grad4j.losses.Losses;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Metrics;
import org.grad4j.optimizers.LearningRateSchedule;
import org.grad4j.optimizers.LearningRateSchedules;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.Optimizers;

/**
 * Every name grad4j looks up, in one place: the registries of layers, losses, optimizers, metrics, initializers,
 * regularizers, activations and learning-rate schedules (Keras' {@code get_custom_objects()}). Register a class of your own by its Keras class name and it is found by
 * {@code compile("adam", "my_loss")}-style lookups and, above all, when a saved model that uses it is loaded:
 *
 * <pre>{@code
 * Registry.layers().register("ScaleAndShift", ScaleAndShift::fromConfig);   // config -> new ScaleAndShift(...)
 * Registry.losses().register("FocalLoss", FocalLoss::fromConfig);
 * Model m = Model.load(Path.of("custom.g4j"));
 * }</pre>
 *
 * Each factory gets the config the object's {@code config()} wrote. The registries themselves live with what
 * they hold ({@link Layers#registry()}, {@link Losses#registry()} ...; the class is the generic
 * {@link org.grad4j.registry.Registry}), since core, where the generic class is, cannot know layers or losses;
 * this class is only the one door a user of grad4j-models needs. A name registered twice is an error;
 * {@code replace(...)} replaces on purpose.
 */
public final class Registry {
    private Registry() {
    }

    /** Layer classes by Keras class name, for {@link Layers#fromConfig} and {@link Model#load}. */
    public static org.grad4j.registry.Registry<Layer> layers() {
        return Layers.registry();
    }

    /** Loss classes by Keras class name (and Keras names such as {@code mse}), for {@link Losses#get} and loading. */
    public static org.grad4j.registry.Registry<Loss> losses() {
        return Losses.registry();
    }

    /** Optimizer classes by Keras class name (any case), for {@link Optimizers#get} and loading. */
    public static org.grad4j.registry.Registry<Optimizer> optimizers() {
        return Optimizers.registry();
    }

    /** Initializers by Keras class name ({@code GlorotUniform}) or name ({@code glorot_uniform}), for layer configs. */
    public static org.grad4j.registry.Registry<Initializer> initializers() {
        return Initializers.registry();
    }

    /** Regularizers by Keras class name ({@code L2}), for layer configs. */
    public static org.grad4j.registry.Registry<Regularizer> regularizers() {
        return Regularizers.registry();
    }

    /**
     * Activations by name (any case: {@code relu}), for {@code new Dense(8, "my_act")} and layer configs; a factory
     * gets an empty config and returns a function whose {@code kerasName()} is the registered name.
     */
    public static org.grad4j.registry.Registry<ActivationFunction> activations() {
        return Activations.registry();
    }

    /** Learning-rate schedules by Keras class name ({@code ExponentialDecay}), for optimizer configs. */
    public static org.grad4j.registry.Registry<LearningRateSchedule> schedules() {
        return LearningRateSchedules.registry();
    }

    /** Metric classes by Keras class name (and Keras names such as {@code accuracy}), for {@link Metrics#get} and loading. */
    public static org.grad4j.registry.Registry<Metric> metrics() {
        return Metrics.registry();
    }
}
