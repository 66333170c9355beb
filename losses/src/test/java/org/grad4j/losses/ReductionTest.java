package org.grad4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReductionTest {
    @Test
    void kerasNamesRoundTrip() {
        for (Reduction r : Reduction.values()) {
            assertEquals(r, Reduction.fromKerasName(r.kerasName()));
        }
        assertEquals(Reduction.NONE, Reduction.fromKerasName(null));
        assertEquals("sum_over_batch_size", Reduction.SUM_OVER_BATCH_SIZE.kerasName());
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reduction.fromKerasName("avg"));
        assertTrue(e.getMessage().contains("sum_over_batch_size, sum, mean, mean_with_sample_weight, none"), e.getMessage());
    }
}
