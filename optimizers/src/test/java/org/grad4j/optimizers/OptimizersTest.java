package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.grad4j.testing.Golden;
import org.junit.jupiter.api.Test;

/** Lookup by Keras name, Keras defaults, and config round trips. */
class OptimizersTest {

    @Test
    void getKnowsTheKerasNamesInAnyCase() {
        assertInstanceOf(SGD.class, Optimizers.get("sgd"));
        assertInstanceOf(Adagrad.class, Optimizers.get("Adagrad"));
        assertInstanceOf(Adadelta.class, Optimizers.get("adadelta"));
        assertInstanceOf(RMSprop.class, Optimizers.get("RMSprop"));
        assertInstanceOf(Adam.class, Optimizers.get("ADAM"));
        assertInstanceOf(AdamW.class, Optimizers.get("adamw"));
        assertInstanceOf(Adamax.class, Optimizers.get("adamax"));
        assertInstanceOf(Nadam.class, Optimizers.get("nadam"));
        assertEquals(List.of("sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "adamax", "nadam"), Optimizers.names());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get("adamm"));
        assertEquals("Optimizers.get: unknown optimizer \"adamm\" (known: sgd, adagrad, adadelta, rmsprop, adam, adamw, "
                + "adamax, nadam)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("Lion", Map.of()));
        assertEquals("Optimizers.fromConfig: unknown optimizer class \"Lion\" (known: SGD, Adagrad, Adadelta, RMSprop, "
                + "Adam, AdamW, Adamax, Nadam)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get(null));
        assertEquals("Optimizers.get: the name is null (known: sgd, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam)",
                e.getMessage());
    }

    /** The defaults of {@code get(name)} are the keras_defaults recorded in the golden file. */
    @Test
    void defaultsAreKeras3s() {
        for (JsonNode c : Golden.load("optimizers").get("cases")) {
            Map<String, Object> config = Optimizers.get(c.get("optimizer").asText()).config();
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("keras_defaults").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> d = it.next();
                Object actual = config.get(d.getKey());
                String what = c.get("id").asText() + " " + d.getKey();
                if (d.getValue().isBoolean()) {
                    assertEquals(d.getValue().asBoolean(), actual, what);
                } else {
                    assertEquals(d.getValue().asDouble(), ((Number) actual).doubleValue(), what);
                }
            }
        }
        assertEquals(0.004, Optimizers.get("adamw").config().get("weight_decay"));
        assertEquals(null, Optimizers.get("adam").config().get("weight_decay"));
        assertEquals(0.001, new Adadelta().learningRate());
        assertEquals("SGD", new SGD().name());
        assertEquals("rmsprop", new RMSprop().name());
    }

    private static List<Optimizer> customized() {
        return List.of(
                new SGD(0.05, 0.8, true).clipValue(2.0),
                new Adagrad(0.2).initialAccumulatorValue(0.3).epsilon(1e-6).weightDecay(0.01),
                new Adadelta(1.0).rho(0.9).epsilon(1e-6).globalClipNorm(5.0),
                new RMSprop(0.01).rho(0.8).momentum(0.9).epsilon(1e-6).centered(true),
                new Adam(0.01).beta1(0.8).beta2(0.99).epsilon(1e-8).amsgrad(true).clipNorm(1.0),
                new AdamW(0.01, 0.1).beta1(0.85).name("adamw_encoder"),
                new Adamax(0.02).beta1(0.85).beta2(0.95),
                new Nadam(0.002).epsilon(1e-5).learningRate(new ExponentialDecay(0.01, 100, 0.9, true)),
                new SGD().learningRate(new PiecewiseConstant(new long[] {10, 20}, new double[] {0.1, 0.01, 0.001})),
                new Adam().learningRate(new CosineDecay(0.0, 100, 0.1, 0.01, 10)));
    }

    @Test
    void configRoundTripsThroughFromConfig() {
        for (Optimizer o : customized()) {
            Optimizer copy = Optimizers.fromConfig(o.getClass().getSimpleName(), o.config());
            assertEquals(o.getClass(), copy.getClass());
            assertEquals(o.config(), copy.config(), o.toString());
            assertEquals(o.learningRateSchedule(), copy.learningRateSchedule());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void configRoundTripsThroughJson() throws JsonProcessingException {
        ObjectMapper json = new ObjectMapper();
        for (Optimizer o : customized()) {
            Map<String, Object> read = json.readValue(json.writeValueAsString(o.config()), Map.class);
            Optimizer copy = Optimizers.fromConfig(o.getClass().getSimpleName(), read);
            assertEquals(o.config(), copy.config(), o.toString());
            assertEquals(o.learningRate(), copy.learningRate());
        }
    }

    @Test
    void aKerasConfigIsAccepted() {
        // as Keras 3's Adam().get_config() prints it, with a schedule serialized by Keras
        Map<String, Object> keras = new HashMap<>(Map.of("name", "adam", "weight_decay", 0.01, "use_ema", false,
                "ema_momentum", 0.99, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7, "amsgrad", false));
        keras.put("clipnorm", null);
        keras.put("global_clipnorm", null);
        keras.put("clipvalue", null);
        keras.put("ema_overwrite_frequency", null);
        keras.put("loss_scale_factor", null);
        keras.put("gradient_accumulation_steps", null);
        keras.put("learning_rate", Map.of("module", "keras.optimizers.schedules", "class_name", "PiecewiseConstantDecay",
                "config", Map.of("boundaries", List.of(5), "values", List.of(0.1, 0.05), "name", "PiecewiseConstant"),
                "registered_name", "PiecewiseConstantDecay"));
        Optimizer adam = Optimizers.fromConfig("Adam", keras);
        assertEquals(0.1, adam.learningRate());
        assertEquals(0.01, adam.config().get("weight_decay"));
    }

    @Test
    void badConfigsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("Adam", Map.of("beta1", 0.9)));
        assertTrue(e.getMessage().startsWith("Adam: unknown config key \"beta1\" (known: amsgrad, beta_1, beta_2, "),
                e.getMessage());
        Map<String, Object> noDecay = new HashMap<>();
        noDecay.put("weight_decay", null);
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("AdamW", noDecay));
        assertEquals("AdamW: weight_decay must be a number, got null", e.getMessage());
        assertEquals(null, Optimizers.fromConfig("Adam", noDecay).config().get("weight_decay"));
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("SGD", Map.of("use_ema", true)));
        assertEquals("SGD: use_ema=true is not supported by grad4j", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("SGD", Map.of("momentum", "high")));
        assertEquals("SGD: config key \"momentum\" must be a number, got high", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("SGD",
                Map.of("clipnorm", 1.0, "clipvalue", 1.0)));
        assertTrue(e.getMessage().startsWith("SGD: only one of clipnorm, clipvalue and global_clipnorm can be set"),
                e.getMessage());
    }
}
