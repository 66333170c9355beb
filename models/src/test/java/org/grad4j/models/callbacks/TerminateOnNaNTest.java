package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.losses.Loss;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;

class TerminateOnNaNTest {

    /** MSE plus {@code poison} while {@code on} is set. */
    private static Loss poisoned(AtomicBoolean on, double poison) {
        MeanSquaredError mse = new MeanSquaredError();
        return (yTrue, yPred) -> {
            Tensor loss = mse.call(yTrue, yPred);
            // a tensor, not add(double): ND4J's scalar add quietly turns a NaN operand into a tiny epsilon
            return on.get() ? loss.add(Tensor.scalar((float) poison)) : loss;
        };
    }

    /** Sets {@code on} from batch {@code batch} of epoch {@code epoch} on. */
    private static LambdaCallback switchOn(AtomicBoolean on, int epoch, int batch) {
        int[] current = {0};
        return new LambdaCallback()
                .onEpochBegin((e, logs) -> current[0] = e)
                .onTrainBatchBegin((b, logs) -> on.compareAndSet(false, current[0] == epoch && b == batch));
    }

    private static Sequential model(Loss loss) {
        Layer.resetNameCounters();
        Sequential model = new Sequential(new Dense(1));
        model.compile(new SGD(0.01), loss);
        return model;
    }

    @Test
    void aNanLossStopsTrainingAfterThatBatchsEpoch() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<String> batches = new ArrayList<>();
        LambdaCallback counter = new LambdaCallback();
        counter.onEpochBegin((epoch, logs) -> batches.add("epoch " + epoch));
        counter.onTrainBatchEnd((batch, logs) -> batches.add("batch " + batch));
        AtomicBoolean on = new AtomicBoolean();
        Sequential model = model(poisoned(on, Double.NaN));
        History history = model.fit(Training.X, Training.Y, Training.options(5, switchOn(on, 1, 3), counter,
                new TerminateOnNaN(new PrintStream(text, true, StandardCharsets.UTF_8))));

        assertEquals("Batch 3: Invalid loss, terminating training" + System.lineSeparator(),
                text.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(0, 1), history.epochs());
        assertTrue(Double.isFinite(history.get("loss").get(0)));
        assertEquals("batch 3", batches.get(batches.size() - 1));
        assertTrue(Double.isNaN(history.get("loss").get(1)));
        assertTrue(model.stopTraining());
    }

    @Test
    void anInfiniteLossStopsTrainingToo() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicBoolean on = new AtomicBoolean(true);
        History history = model(poisoned(on, Double.POSITIVE_INFINITY)).fit(Training.X, Training.Y,
                Training.options(3, new TerminateOnNaN(new PrintStream(text, true, StandardCharsets.UTF_8))));
        assertEquals(List.of(0), history.epochs());
        assertTrue(text.toString(StandardCharsets.UTF_8).startsWith("Batch 0: Invalid loss"));
    }

    @Test
    void aFiniteLossNeverStops() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Sequential model = model(new MeanSquaredError());
        History history = model.fit(Training.X, Training.Y,
                Training.options(3, new TerminateOnNaN(new PrintStream(text, true, StandardCharsets.UTF_8))));
        assertEquals(List.of(0, 1, 2), history.epochs());
        assertEquals("", text.toString(StandardCharsets.UTF_8));
        assertFalse(model.stopTraining());
    }

    @Test
    void withoutItTrainingRunsOnThroughNan() {
        AtomicBoolean on = new AtomicBoolean();
        History history = model(poisoned(on, Double.NaN)).fit(Training.X, Training.Y,
                Training.options(3, switchOn(on, 1, 3)));
        assertEquals(List.of(0, 1, 2), history.epochs());
    }

    @Test
    void aNullStreamIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TerminateOnNaN(null));
    }
}
