package org.grad4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossesTest {
    @Test
    void kerasNamesAndAliases() {
        assertInstanceOf(MeanSquaredError.class, Losses.get("mse"));
        assertInstanceOf(MeanSquaredError.class, Losses.get("mean_squared_error"));
        assertInstanceOf(MeanSquaredError.class, Losses.get("MeanSquaredError"));
        assertInstanceOf(MeanAbsoluteError.class, Losses.get("mae"));
        assertInstanceOf(MeanAbsoluteError.class, Losses.get("mean_absolute_error"));
        assertInstanceOf(Huber.class, Losses.get("huber"));
        assertInstanceOf(BinaryCrossentropy.class, Losses.get("binary_crossentropy"));
        assertInstanceOf(CategoricalCrossentropy.class, Losses.get("categorical_crossentropy"));
        assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("sparse_categorical_crossentropy"));
        assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("SparseCategoricalCrossentropy"));
        assertEquals("mean_squared_error", Losses.get("mse").name());
        assertEquals("huber_loss", Losses.get("huber").name());
    }

    @Test
    void eachGetIsANewLoss() {
        assertTrue(Losses.get("mse") != Losses.get("mse"));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.get("msee"));
        assertEquals("Losses.get: unknown loss \"msee\" (known: mse, mae, huber, binary_crossentropy, "
                + "categorical_crossentropy, sparse_categorical_crossentropy)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.get(null));
    }

    @Test
    void configRoundTrips() {
        List<Loss> losses = List.of(
                new MeanSquaredError(),
                new MeanAbsoluteError().reduction(Reduction.SUM).name("l1"),
                new Huber(0.8).reduction(Reduction.NONE),
                new BinaryCrossentropy(true).labelSmoothing(0.1).axis(0),
                new CategoricalCrossentropy().labelSmoothing(0.2).axis(1).reduction(Reduction.MEAN_WITH_SAMPLE_WEIGHT),
                new SparseCategoricalCrossentropy(true).ignoreClass(255).reduction(Reduction.MEAN),
                new SparseCategoricalCrossentropy().axis(1));
        for (Loss loss : losses) {
            Map<String, Object> config = loss.config();
            Loss rebuilt = Losses.fromConfig(loss.getClass().getSimpleName(), config);
            assertEquals(loss.getClass(), rebuilt.getClass());
            assertEquals(config, rebuilt.config());
            Loss deserialized = Losses.deserialize(Losses.serialize(loss));
            assertEquals(config, deserialized.config());
        }
    }

    @Test
    void kerasConfigs() {
        Map<String, Object> bce = new BinaryCrossentropy(true).labelSmoothing(0.1).config();
        assertEquals(Map.of("name", "binary_crossentropy", "reduction", "sum_over_batch_size", "from_logits", true,
                "label_smoothing", 0.1, "axis", -1), bce);
        Map<String, Object> sparse = new SparseCategoricalCrossentropy().config();
        assertTrue(sparse.containsKey("ignore_class") && sparse.get("ignore_class") == null, sparse.toString());
    }

    @Test
    void fromConfigTakesKerasValues() {
        Map<String, Object> config = new HashMap<>();
        config.put("reduction", null);          // Keras' reduction=None
        config.put("from_logits", true);
        config.put("ignore_class", 255L);       // JSON numbers may arrive as Long
        config.put("dtype", "float32");
        SparseCategoricalCrossentropy loss = (SparseCategoricalCrossentropy) Losses.fromConfig("SparseCategoricalCrossentropy", config);
        assertEquals(Reduction.NONE, loss.reduction());
        assertEquals(255, loss.ignoreClass());
        assertTrue(loss.fromLogits());
        assertEquals(Reduction.SUM_OVER_BATCH_SIZE, ((Huber) Losses.fromConfig("Huber", Map.of())).reduction());
    }

    @Test
    void fromConfigErrorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.fromConfig("Huber", Map.of("delta", 1.0, "dleta", 2.0)));
        assertTrue(e.getMessage().contains("unknown config key \"dleta\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.fromConfig("MeanSquaredLogarithmicError", Map.of()));
        assertTrue(e.getMessage().contains("\"MeanSquaredLogarithmicError\"") && e.getMessage().contains("Huber"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.fromConfig("BinaryCrossentropy", Map.of("from_logits", "yes")));
        assertTrue(e.getMessage().contains("\"from_logits\" must be true or false"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.fromConfig("MeanSquaredError", Map.of("reduction", "avg")));
        assertTrue(e.getMessage().contains("unknown reduction \"avg\""), e.getMessage());
    }
}
