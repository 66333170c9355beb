package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LambdaCallbackTest {

    @Test
    void eachHookRunsAtItsMomentWithItsLogs() {
        List<String> calls = new ArrayList<>();
        LambdaCallback callback = new LambdaCallback()
                .onTrainBegin(logs -> calls.add("train begin"))
                .onEpochBegin((epoch, logs) -> calls.add("epoch " + epoch + " begin"))
                .onTrainBatchBegin((batch, logs) -> calls.add("batch " + batch + " begin"))
                .onTrainBatchEnd((batch, logs) -> calls.add("batch " + batch + " end " + logs.keySet()))
                .onEpochEnd((epoch, logs) -> calls.add("epoch " + epoch + " end " + logs.keySet()))
                .onTrainEnd(logs -> calls.add("train end " + logs.keySet()));
        Sequential model = Training.linearModel(0.01);
        // 80 samples in batches of 32: three batches, the last partial
        model.fit(Training.X.get(NDArrayIndex.interval(0, 80)),
                Training.Y.get(NDArrayIndex.interval(0, 80)), Training.options(2, callback));
        List<String> expected = new ArrayList<>(List.of("train begin"));
        for (int epoch = 0; epoch < 2; epoch++) {
            expected.add("epoch " + epoch + " begin");
            for (int batch = 0; batch < 3; batch++) {
                expected.add("batch " + batch + " begin");
                expected.add("batch " + batch + " end [loss]");
            }
            expected.add("epoch " + epoch + " end [loss, learning_rate]");
        }
        expected.add("train end [loss, learning_rate]");
        assertEquals(expected, calls);
        assertEquals(model, callback.model());
    }

    @Test
    void entriesAddedToTheLogsReachLaterCallbacksAndHistory() {
        LambdaCallback addsEntry = new LambdaCallback().onEpochEnd((epoch, logs) -> logs.put("twice_loss", 2 * logs.get("loss")));
        List<Double> seen = new ArrayList<>();
        LambdaCallback reads = new LambdaCallback().onEpochEnd((epoch, logs) -> seen.add(logs.get("twice_loss")));
        History history = Training.linearModel(0.01).fit(Training.X, Training.Y, Training.options(2, addsEntry, reads));
        assertEquals(Set.of("loss", "learning_rate", "twice_loss"), history.history().keySet());
        assertEquals(history.get("twice_loss"), seen);
        assertEquals(2 * history.get("loss").get(1), seen.get(1));
    }

    @Test
    void hooksLeftUnsetDoNothingAndALaterSettingReplacesAnEarlierOne() {
        List<Integer> epochs = new ArrayList<>();
        LambdaCallback callback = new LambdaCallback()
                .onEpochEnd((epoch, logs) -> epochs.add(-1))
                .onEpochEnd((epoch, logs) -> epochs.add(epoch));
        Training.linearModel(0.01).fit(Training.X, Training.Y, Training.options(3, callback));
        assertEquals(List.of(0, 1, 2), epochs);
    }

    @Test
    void aHookCanStopTraining() {
        LambdaCallback stopAtEpoch1 = new LambdaCallback();
        stopAtEpoch1.onEpochEnd((epoch, logs) -> stopAtEpoch1.model().stopTraining(epoch == 1));
        History history = Training.linearModel(0.01).fit(Training.X, Training.Y, Training.options(5, stopAtEpoch1));
        assertEquals(List.of(0, 1), history.epochs());
    }

    @Test
    void aNullHookIsRefused() {
        assertEquals("LambdaCallback.onEpochEnd: the hook is null; leave it unset to do nothing",
                assertThrows(IllegalArgumentException.class, () -> new LambdaCallback().onEpochEnd(null)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LambdaCallback().onTrainBegin((Consumer<Map<String, Double>>) null));
    }
}
