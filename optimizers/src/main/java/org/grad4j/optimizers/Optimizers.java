package org.grad4j.optimizers;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.registry.Registry;

/**
 * Optimizers by Keras name ({@link #get}) and from a Keras-style config ({@link #fromConfig}), the
 * inverse of {@link Optimizer#config()}.
 */
public final class Optimizers {
    /** How one rule is made and configured: its Keras class name, its own config keys and their setters. */
    private record Rule(String className, Supplier<Optimizer> create, Set<String> keys,
            BiConsumer<Optimizer, ConfigReader> configure) {
    }

    private static final Set<String> BASE_KEYS = Set.of("name", "learning_rate", "weight_decay", "clipnorm",
            "clipvalue", "global_clipnorm", "use_ema", "ema_momentum", "ema_overwrite_frequency",
            "loss_scale_factor", "gradient_accumulation_steps");

    private static final Registry<Optimizer> REGISTRY = new Registry<>("optimizer", true);

    static {
        add(new Rule("SGD", SGD::new, Set.of("momentum", "nesterov"), (o, c) -> {
            SGD sgd = (SGD) o;
            c.ifNumber("momentum", sgd::momentum);
            c.ifBool("nesterov", sgd::nesterov);
        }));
        add(new Rule("Adagrad", Adagrad::new, Set.of("initial_accumulator_value", "epsilon"), (o, c) -> {
            Adagrad a = (Adagrad) o;
            c.ifNumber("initial_accumulator_value", a::initialAccumulatorValue);
            c.ifNumber("epsilon", a::epsilon);
        }));
        add(new Rule("Adadelta", Adadelta::new, Set.of("rho", "epsilon"), (o, c) -> {
            Adadelta a = (Adadelta) o;
            c.ifNumber("rho", a::rho);
            c.ifNumber("epsilon", a::epsilon);
        }));
        add(new Rule("RMSprop", RMSprop::new, Set.of("rho", "momentum", "epsilon", "centered"), (o, c) -> {
            RMSprop r = (RMSprop) o;
            c.ifNumber("rho", r::rho);
            c.ifNumber("momentum", r::momentum);
            c.ifNumber("epsilon", r::epsilon);
            c.ifBool("centered", r::centered);
        }));
        add(new Rule("Adam", Adam::new, Set.of("beta_1", "beta_2", "epsilon", "amsgrad"), Optimizers::configureAdam));
        add(new Rule("AdamW", AdamW::new, Set.of("beta_1", "beta_2", "epsilon", "amsgrad"), Optimizers::configureAdam));
        add(new Rule("Adamax", Adamax::new, Set.of("beta_1", "beta_2", "epsilon"), (o, c) -> {
            Adamax a = (Adamax) o;
            c.ifNumber("beta_1", a::beta1);
            c.ifNumber("beta_2", a::beta2);
            c.ifNumber("epsilon", a::epsilon);
        }));
        add(new Rule("Nadam", Nadam::new, Set.of("beta_1", "beta_2", "epsilon"), (o, c) -> {
            Nadam n = (Nadam) o;
            c.ifNumber("beta_1", n::beta1);
            c.ifNumber("beta_2", n::beta2);
            c.ifNumber("epsilon", n::epsilon);
        }));
    }

    private static final Set<Class<?>> BUILT_IN = Set.of(SGD.class, Adagrad.class, Adadelta.class, RMSprop.class,
            Adam.class, AdamW.class, Adamax.class, Nadam.class);

    private Optimizers() {
    }

    /** A built-in rule: its config keys are checked, then its own and the base hyper-parameters set. */
    private static void add(Rule rule) {
        REGISTRY.register(rule.className(), config -> {
            ConfigReader c = new ConfigReader(rule.className(), config);
            Set<String> keys = new HashSet<>(BASE_KEYS);
            keys.addAll(rule.keys());
            c.allowOnly(keys);
            rejectUnsupported(rule.className(), c);
            Optimizer optimizer = rule.create().get();
            rule.configure().accept(optimizer, c);
            configureBase(optimizer, c);
            return optimizer;
        });
    }

    /**
     * The optimizer classes {@link #get} and {@link #fromConfig} know, by Keras class name, found in any case.
     * Register a custom optimizer here, {@code registry().register("Lion", Lion::fromConfig)}, and a saved model
     * compiled with it loads again (its slots included); its factory gets the optimizer's
     * {@link Optimizer#config()}, and {@link #fromConfig} then sets the base hyper-parameters it names
     * (learning rate or schedule, weight decay, clipping) that Keras' base class holds.
     */
    public static Registry<Optimizer> registry() {
        return REGISTRY;
    }

    private static void configureAdam(Optimizer o, ConfigReader c) {
        Adam a = (Adam) o;
        c.ifNumber("beta_1", a::beta1);
        c.ifNumber("beta_2", a::beta2);
        c.ifNumber("epsilon", a::epsilon);
        c.ifBool("amsgrad", a::amsgrad);
    }

    /** The Keras names {@link #get} accepts, in Keras' order. */
    public static List<String> names() {
        return REGISTRY.displayNames();
    }

    /**
     * A new optimizer with Keras 3's defaults, by Keras name: sgd, adagrad, adadelta, rmsprop, adam,
     * adamw, adamax, nadam (any case).
     */
    public static Optimizer get(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Optimizers.get: the name is null (known: "
                    + String.join(", ", REGISTRY.displayNames()) + ")");
        }
        if (!REGISTRY.contains(name)) {
            throw Registry.unknown("Optimizers.get", "optimizer", name, REGISTRY.displayNames());
        }
        return fromConfig(name, Map.of());
    }

    /**
     * Keras' {@code from_config}: builds {@code className} ("Adam", or any case) with the hyper-parameters
     * of {@code config}, as {@link Optimizer#config()} writes them or Keras' {@code get_config()} does.
     * A missing key keeps its default; a key the rule does not know is an error, and so are Keras
     * features grad4j lacks (EMA, loss scaling, gradient accumulation) when switched on.
     */
    public static Optimizer fromConfig(String className, Map<String, Object> config) {
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("Optimizers.fromConfig", "optimizer class", className, REGISTRY.names());
        }
        Map<String, Object> c = config == null ? Map.of() : config;
        Optimizer optimizer = REGISTRY.create(className, c, "Optimizers.fromConfig");
        if (!BUILT_IN.contains(optimizer.getClass())) {
            // a user's factory gets the whole config; the base hyper-parameters are set here, as for the built-ins
            ConfigReader reader = new ConfigReader(className, c);
            rejectUnsupported(className, reader);
            configureBase(optimizer, reader);
        }
        return optimizer;
    }

    private static void rejectUnsupported(String owner, ConfigReader c) {
        for (String key : List.of("loss_scale_factor", "gradient_accumulation_steps")) {
            if (c.has(key)) {
                throw new IllegalArgumentException(owner + ": " + key + "=" + c.raw(key) + " is not supported by grad4j");
            }
        }
        if (c.has("use_ema") && c.bool("use_ema")) {
            throw new IllegalArgumentException(owner + ": use_ema=true is not supported by grad4j");
        }
    }

    @SuppressWarnings("unchecked")
    private static void configureBase(Optimizer o, ConfigReader c) {
        if (c.has("name")) {
            o.name(c.string("name"));
        }
        if (c.raw("learning_rate") instanceof Map<?, ?> schedule) {
            o.learningRate(LearningRateSchedule.deserialize((Map<String, Object>) schedule));
        } else if (c.has("learning_rate")) {
            o.learningRate(c.number("learning_rate"));
        }
        if (c.has("weight_decay")) {
            o.weightDecay(c.number("weight_decay"));
        } else if (o instanceof AdamW && c.containsKey("weight_decay")) {
            // Keras raises too: AdamW without a decay is Adam under another name
            throw new IllegalArgumentException("AdamW: weight_decay must be a number, got null");
        }
        if (c.has("clipnorm")) {
            o.clipNorm(c.number("clipnorm"));
        }
        if (c.has("clipvalue")) {
            o.clipValue(c.number("clipvalue"));
        }
        if (c.has("global_clipnorm")) {
            o.globalClipNorm(c.number("global_clipnorm"));
        }
    }
}
