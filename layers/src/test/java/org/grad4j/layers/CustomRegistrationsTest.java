package org.grad4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Users' initializers and regularizers, registered by name, are found where the built-ins are. */
class CustomRegistrationsTest {

    /** The registries are global: leave them as other tests expect them (their "known" lists). */
    @AfterEach
    void unregister() {
        Initializers.registry().unregister("Halves");
        Regularizers.registry().unregister("NoPenalty");
    }

    @Test
    void aRegisteredInitializerIsFoundByGetAndDeserialize() {
        Initializers.registry().replace("Halves", config -> Initializers.constant(0.5));
        assertEquals(0.5, Initializers.get("Halves").init(new long[] {2}, DataType.FLOAT).getDouble(1), 0.0);
        assertEquals(0.5, Initializers.deserialize(Map.of("class_name", "Halves", "config", Map.of()))
                .init(new long[] {1}, DataType.FLOAT).getDouble(0), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> Initializers.get("halfs"));
        assertTrue(e.getMessage().endsWith(", identity, halves)"), "the known list ends with the user's: " + e.getMessage());
    }

    @Test
    void aRegisteredRegularizerIsFoundByDeserialize() {
        Regularizer none = Regularizers.l2(0.0);
        Regularizers.registry().replace("NoPenalty", config -> none);
        assertSame(none, Regularizers.deserialize(Map.of("class_name", "NoPenalty", "config", Map.of())));
    }

    @Test
    void builtInsCannotBeTakenByAccident() {
        var e = assertThrows(IllegalArgumentException.class, () -> Initializers.registry().register("zeros", c -> null));
        assertTrue(e.getMessage().contains("\"zeros\" is already registered (as Zeros)"), e.getMessage());
    }
}
