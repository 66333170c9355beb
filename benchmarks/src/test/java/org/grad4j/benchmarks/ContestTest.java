package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contest's warm-up: enough steps for the JIT, untimed, and every side's blocks in turn. */
class ContestTest {

    @Test
    void warmUpBlocksCoverTheWarmUpSteps() {
        assertEquals(32, Contest.warmupBlocksFor(8));     // W5: 256 steps
        assertEquals(13, Contest.warmupBlocksFor(20));    // W7: 260
        assertEquals(1, Contest.warmupBlocksFor(469));    // W4: one epoch is more than enough
        for (int steps = 1; steps <= 300; steps++) {
            int blocks = Contest.warmupBlocksFor(steps);
            assertTrue(blocks * steps >= Contest.WARMUP_STEPS && (blocks - 1) * steps < Contest.WARMUP_STEPS, "steps " + steps);
        }
    }

    @Test
    void everySideWarmsUpAndIsTimedInTurn() {
        List<String> calls = new ArrayList<>();
        List<Side> sides = List.of(recording("a", calls), recording("b", calls));
        new Contest(2, 1, 3).run(sides, StepUnit.MILLIS);
        assertEquals(List.of("a3", "b3", "a3", "b3", "a3", "b3"), calls);
    }

    private static Side recording(String name, List<String> calls) {
        return new Side() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(int steps) {
                calls.add(name + steps);
            }
        };
    }
}
