package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every fluent setter of every optimizer returns the optimizer's own class, so setters chain in any
 * order: the base ones (clipping, weight decay, learning rate, name) before or after the rule's own.
 * Each assignment below compiles only if that setter returns the concrete type; together they give
 * every order by induction. The reflective test keeps it so for setters added later.
 */
class OptimizerChainingTest {
    private static final LearningRateSchedule SCHEDULE = new ExponentialDecay(0.1, 10, 0.9);

    @Test
    void theIssueExampleCompilesAndSetsBoth() {
        Adam adam = new Adam(0.1).clipNorm(1).epsilon(0.1);
        assertEquals(1.0, adam.config().get("clipnorm"));
        assertEquals(0.1, adam.config().get("epsilon"));
    }

    @Test
    void sgd() {
        SGD o;
        o = new SGD().clipNorm(1);
        o = new SGD().clipValue(1);
        o = new SGD().globalClipNorm(1);
        o = new SGD().weightDecay(0.1);
        o = new SGD().learningRate(0.5);
        o = new SGD().learningRate(SCHEDULE);
        o = new SGD().name("s");
        o = new SGD().momentum(0.9);
        o = new SGD().nesterov(true);
        o = new SGD(0.1).clipNorm(1).momentum(0.9).weightDecay(0.01).nesterov(true).learningRate(SCHEDULE).name("s");
        assertEquals(Map.of("clipnorm", 1.0, "momentum", 0.9, "nesterov", true, "weight_decay", 0.01, "name", "s"),
                pick(o, "clipnorm", "momentum", "nesterov", "weight_decay", "name"));
        o = new SGD(0.1).nesterov(true).momentum(0.5).globalClipNorm(2).learningRate(0.2);
        assertEquals(0.2, o.learningRate());
    }

    @Test
    void adagrad() {
        Adagrad o;
        o = new Adagrad().clipNorm(1);
        o = new Adagrad().clipValue(1);
        o = new Adagrad().globalClipNorm(1);
        o = new Adagrad().weightDecay(0.1);
        o = new Adagrad().learningRate(0.5);
        o = new Adagrad().learningRate(SCHEDULE);
        o = new Adagrad().name("a");
        o = new Adagrad().initialAccumulatorValue(0.2);
        o = new Adagrad().epsilon(0.1);
        o = new Adagrad().clipValue(3).epsilon(0.1).weightDecay(0.5).initialAccumulatorValue(0.2);
        assertEquals(Map.of("clipvalue", 3.0, "epsilon", 0.1, "weight_decay", 0.5, "initial_accumulator_value", 0.2),
                pick(o, "clipvalue", "epsilon", "weight_decay", "initial_accumulator_value"));
    }

    @Test
    void adadelta() {
        Adadelta o;
        o = new Adadelta().clipNorm(1);
        o = new Adadelta().clipValue(1);
        o = new Adadelta().globalClipNorm(1);
        o = new Adadelta().weightDecay(0.1);
        o = new Adadelta().learningRate(0.5);
        o = new Adadelta().learningRate(SCHEDULE);
        o = new Adadelta().name("a");
        o = new Adadelta().rho(0.9);
        o = new Adadelta().epsilon(0.1);
        o = new Adadelta().globalClipNorm(2).rho(0.8).learningRate(SCHEDULE).epsilon(0.01);
        assertEquals(Map.of("global_clipnorm", 2.0, "rho", 0.8, "epsilon", 0.01), pick(o, "global_clipnorm", "rho", "epsilon"));
    }

    @Test
    void rmsprop() {
        RMSprop o;
        o = new RMSprop().clipNorm(1);
        o = new RMSprop().clipValue(1);
        o = new RMSprop().globalClipNorm(1);
        o = new RMSprop().weightDecay(0.1);
        o = new RMSprop().learningRate(0.5);
        o = new RMSprop().learningRate(SCHEDULE);
        o = new RMSprop().name("r");
        o = new RMSprop().rho(0.8);
        o = new RMSprop().momentum(0.5);
        o = new RMSprop().epsilon(0.1);
        o = new RMSprop().centered(true);
        o = new RMSprop().centered(true).clipNorm(1).rho(0.8).weightDecay(0.1).momentum(0.5).epsilon(0.1);
        assertEquals(Map.of("centered", true, "clipnorm", 1.0, "rho", 0.8, "weight_decay", 0.1, "momentum", 0.5,
                "epsilon", 0.1), pick(o, "centered", "clipnorm", "rho", "weight_decay", "momentum", "epsilon"));
    }

    @Test
    void adam() {
        Adam o;
        o = new Adam().clipNorm(1);
        o = new Adam().clipValue(1);
        o = new Adam().globalClipNorm(1);
        o = new Adam().weightDecay(0.1);
        o = new Adam().learningRate(0.5);
        o = new Adam().learningRate(SCHEDULE);
        o = new Adam().name("a");
        o = new Adam().beta1(0.8);
        o = new Adam().beta2(0.9);
        o = new Adam().epsilon(0.1);
        o = new Adam().amsgrad(true);
        o = new Adam().weightDecay(0.1).beta1(0.8).clipValue(2).beta2(0.9).learningRate(0.3).amsgrad(true).epsilon(0.1);
        assertEquals(Map.of("weight_decay", 0.1, "beta_1", 0.8, "clipvalue", 2.0, "beta_2", 0.9, "learning_rate", 0.3,
                "amsgrad", true, "epsilon", 0.1),
                pick(o, "weight_decay", "beta_1", "clipvalue", "beta_2", "learning_rate", "amsgrad", "epsilon"));
    }

    @Test
    void adamW() {
        AdamW o;
        o = new AdamW().clipNorm(1);
        o = new AdamW().clipValue(1);
        o = new AdamW().globalClipNorm(1);
        o = new AdamW().weightDecay(0.1);
        o = new AdamW().learningRate(0.5);
        o = new AdamW().learningRate(SCHEDULE);
        o = new AdamW().name("w");
        o = new AdamW().beta1(0.8);
        o = new AdamW().beta2(0.9);
        o = new AdamW().epsilon(0.1);
        o = new AdamW().amsgrad(true);
        o = new AdamW().epsilon(0.1).globalClipNorm(1).amsgrad(true).weightDecay(0.2).beta2(0.9).beta1(0.8);
        assertEquals(Map.of("epsilon", 0.1, "global_clipnorm", 1.0, "amsgrad", true, "weight_decay", 0.2, "beta_2", 0.9,
                "beta_1", 0.8), pick(o, "epsilon", "global_clipnorm", "amsgrad", "weight_decay", "beta_2", "beta_1"));
    }

    @Test
    void adamax() {
        Adamax o;
        o = new Adamax().clipNorm(1);
        o = new Adamax().clipValue(1);
        o = new Adamax().globalClipNorm(1);
        o = new Adamax().weightDecay(0.1);
        o = new Adamax().learningRate(0.5);
        o = new Adamax().learningRate(SCHEDULE);
        o = new Adamax().name("a");
        o = new Adamax().beta1(0.8);
        o = new Adamax().beta2(0.9);
        o = new Adamax().epsilon(0.1);
        o = new Adamax().beta2(0.9).clipNorm(1).epsilon(0.1).weightDecay(0.1).beta1(0.8);
        assertEquals(Map.of("beta_2", 0.9, "clipnorm", 1.0, "epsilon", 0.1, "weight_decay", 0.1, "beta_1", 0.8),
                pick(o, "beta_2", "clipnorm", "epsilon", "weight_decay", "beta_1"));
    }

    @Test
    void nadam() {
        Nadam o;
        o = new Nadam().clipNorm(1);
        o = new Nadam().clipValue(1);
        o = new Nadam().globalClipNorm(1);
        o = new Nadam().weightDecay(0.1);
        o = new Nadam().learningRate(0.5);
        o = new Nadam().learningRate(SCHEDULE);
        o = new Nadam().name("n");
        o = new Nadam().beta1(0.8);
        o = new Nadam().beta2(0.9);
        o = new Nadam().epsilon(0.1);
        o = new Nadam().clipValue(1).beta1(0.8).learningRate(SCHEDULE).beta2(0.9).weightDecay(0.1).epsilon(0.1);
        assertEquals(Map.of("clipvalue", 1.0, "beta_1", 0.8, "beta_2", 0.9, "weight_decay", 0.1, "epsilon", 0.1),
                pick(o, "clipvalue", "beta_1", "beta_2", "weight_decay", "epsilon"));
    }

    @Test
    void theBaseTypeStillChainsItsOwnSetters() {
        Optimizer plain = Optimizers.get("adam");
        Optimizer same = plain.clipNorm(1).weightDecay(0.1).learningRate(0.01);
        assertTrue(same == plain);
    }

    /** Setters added later keep the rule: every public one-argument method returning an optimizer returns its class. */
    @Test
    void everyFluentSetterReturnsItsOwnClass() {
        List<String> wrong = new ArrayList<>();
        for (Class<?> type : List.of(SGD.class, Adagrad.class, Adadelta.class, RMSprop.class, Adam.class, AdamW.class,
                Adamax.class, Nadam.class)) {
            int setters = 0;
            for (Method m : type.getMethods()) {
                if (m.isBridge() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 1
                        || !Optimizer.class.isAssignableFrom(m.getReturnType())) {
                    continue;
                }
                setters++;
                Type returned = resolve(m.getGenericReturnType(), type);
                if (returned != type) {
                    wrong.add(type.getSimpleName() + "." + m.getName() + " returns " + returned.getTypeName());
                }
            }
            assertTrue(setters >= 9, type.getSimpleName() + " has " + setters + " setters");
        }
        assertEquals(List.of(), wrong);
    }

    /** A type variable of FluentOptimizer as {@code type} binds it; any other type as it is. */
    private static Type resolve(Type t, Class<?> type) {
        if (!(t instanceof TypeVariable<?> variable)) {
            return t;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() == variable.getGenericDeclaration()) {
                return p.getActualTypeArguments()[0];
            }
        }
        return t;
    }

    private static Map<String, Object> pick(Optimizer o, String... keys) {
        Map<String, Object> config = o.config();
        Map<String, Object> out = new java.util.HashMap<>();
        for (String key : keys) {
            out.put(key, config.get(key));
        }
        return out;
    }
}
