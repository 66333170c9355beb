package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;

/** The same seeds give bit-identical weights after training on CPU; another shuffle seed does not. */
class DeterminismTest {

    private static final TestData.Set DATA = TestData.threeClusters(200, 61);

    /** A fresh session: names reset, global seed set, model created, compiled and trained. */
    private static List<Integer> train(long globalSeed, Long shuffleSeed) {
        Layer.resetNameCounters();
        Seeds.set(globalSeed);
        Sequential model = new Sequential(new InputLayer(2), new Dense(16, "relu"), new Dropout(0.2), new Dense(3));
        model.compile(new Adam(0.01), new CategoricalCrossentropy(true), "accuracy");
        FitOptions options = FitOptions.epochs(3).batchSize(32).validationSplit(0.1).verbose(0);
        model.fit(DATA.x(), DATA.y(), shuffleSeed == null ? options : options.seed(shuffleSeed));
        return TestData.bits(model.getWeights());
    }

    @Test
    void sameSeedsGiveBitIdenticalWeights() {
        List<Integer> first = train(123, 9L);
        List<Integer> second = train(123, 9L);
        assertEquals(first.size(), 2 * 16 + 16 + 16 * 3 + 3);
        assertEquals(first, second);
    }

    @Test
    void anotherShuffleSeedGivesOtherWeights() {
        assertNotEquals(train(123, 9L), train(123, 10L));
    }

    @Test
    void anotherGlobalSeedGivesOtherWeights() {
        assertNotEquals(train(123, 9L), train(124, 9L));
    }

    @Test
    void withoutAShuffleSeedTheGlobalSeedDecides() {
        assertEquals(train(77, null), train(77, null));
    }
}
