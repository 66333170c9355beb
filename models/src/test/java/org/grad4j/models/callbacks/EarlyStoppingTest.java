package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class EarlyStoppingTest {

    private static List<Integer> fit(int epochs, EarlyStopping stopping, double... valLoss) {
        Sequential model = Training.linearModel(0.01);
        History history = model.fit(Training.X, Training.Y,
                Training.options(epochs, Training.inject("val_loss", valLoss), stopping));
        return history.epochs();
    }

    @Test
    void stopsWhenPatienceRunsOutAfterTheBestEpoch() {
        EarlyStopping stopping = new EarlyStopping().patience(2);
        // best at epoch 1, then two epochs without improvement
        List<Integer> epochs = fit(10, stopping, 1.0, 0.5, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05, 0.01);
        assertEquals(List.of(0, 1, 2, 3), epochs);
        assertEquals(3, stopping.stoppedEpoch());
        assertEquals(1, stopping.bestEpoch());
        assertEquals(0.5, stopping.best());
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochThatDoesNotImprove() {
        EarlyStopping stopping = new EarlyStopping();
        assertEquals(List.of(0, 1, 2), fit(6, stopping, 1.0, 0.9, 0.9, 0.8, 0.7, 0.6));
        assertEquals(2, stopping.stoppedEpoch());
    }

    @Test
    void runsAllEpochsWhileImproving() {
        EarlyStopping stopping = new EarlyStopping().patience(1);
        assertEquals(List.of(0, 1, 2, 3, 4), fit(5, stopping, 1.0, 0.9, 0.8, 0.7, 0.6));
        assertEquals(0, stopping.stoppedEpoch());
    }

    @Test
    void minDeltaTurnsSmallGainsIntoNoImprovement() {
        double[] slowlyFalling = {1.0, 0.95, 0.91, 0.88, 0.86, 0.85};
        assertEquals(List.of(0, 1), fit(6, new EarlyStopping().patience(1).minDelta(0.1), slowlyFalling));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), fit(6, new EarlyStopping().patience(1), slowlyFalling));
    }

    @Test
    void autoModeMaximisesAccuracies() {
        double[] accuracy = {0.5, 0.6, 0.7, 0.7, 0.65, 0.8};
        Sequential model = Training.linearModel(0.01);
        EarlyStopping auto = new EarlyStopping("val_accuracy");
        History history = model.fit(Training.X, Training.Y,
                Training.options(6, Training.inject("val_accuracy", accuracy), auto));
        assertEquals(List.of(0, 1, 2, 3), history.epochs());

        EarlyStopping min = new EarlyStopping("val_accuracy").mode("min");
        history = model.fit(Training.X, Training.Y, Training.options(6, Training.inject("val_accuracy", accuracy), min));
        assertEquals(List.of(0, 1), history.epochs());
    }

    @Test
    void modeResolvesFromTheMonitoredName() {
        assertEquals(Mode.MAX, Mode.AUTO.resolve("val_accuracy"));
        assertEquals(Mode.MAX, Mode.AUTO.resolve("sparse_categorical_accuracy"));
        assertEquals(Mode.MAX, Mode.AUTO.resolve("val_auc"));
        assertEquals(Mode.MAX, Mode.AUTO.resolve("precision_1"));
        assertEquals(Mode.MAX, Mode.AUTO.resolve("val_recall"));
        assertEquals(Mode.MIN, Mode.AUTO.resolve("val_loss"));
        assertEquals(Mode.MIN, Mode.AUTO.resolve("mean_absolute_error"));
        assertEquals(Mode.MIN, Mode.MIN.resolve("accuracy"));
        assertEquals(Mode.MAX, Mode.of("MAX"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.of("maximum"));
        assertEquals("Mode: unknown mode \"maximum\" (known: auto, min, max)", e.getMessage());
    }

    @Test
    void baselineMustBeBeatenToResetPatience() {
        // improving but never below the baseline 0.5: patience counts from the first monitored epoch
        double[] values = {0.9, 0.8, 0.85, 0.85, 0.85, 0.85};
        assertEquals(List.of(0, 1, 2), fit(6, new EarlyStopping().patience(2).baseline(0.5), values));
        assertEquals(List.of(0, 1, 2, 3), fit(6, new EarlyStopping().patience(2), values));
    }

    @Test
    void startFromEpochIgnoresTheWarmUp() {
        double[] worsening = {1, 2, 3, 4, 5, 6, 7};
        assertEquals(List.of(0, 1), fit(7, new EarlyStopping(), worsening));
        EarlyStopping late = new EarlyStopping().startFromEpoch(3);
        assertEquals(List.of(0, 1, 2, 3, 4), fit(7, late, worsening));
        assertEquals(3, late.bestEpoch());
    }

    @Test
    void restoreBestWeightsPutsBackTheBestEpochsWeightsWhenStopping() {
        List<List<INDArray>> snapshots = Training.newSnapshots();
        Sequential model = Training.linearModel(0.05);
        EarlyStopping stopping = new EarlyStopping().patience(2).restoreBestWeights(true);
        model.fit(Training.X, Training.Y, Training.options(10,
                Training.inject("val_loss", 0.9, 0.7, 0.3, 0.4, 0.5, 0.2, 0.1, 0.1, 0.1, 0.1),
                Training.snapshots(snapshots), stopping));
        assertEquals(4, stopping.stoppedEpoch());
        assertEquals(5, snapshots.size());
        assertNotEquals(snapshots.get(2), snapshots.get(4), "training must have moved the weights after the best epoch");
        assertEquals(snapshots.get(2), model.getWeights());
    }

    @Test
    void restoreBestWeightsAlsoAppliesWhenPatienceNeverRanOut() {
        // Keras 3 restores at the end of training whenever it has best weights, stopped or not
        List<List<INDArray>> snapshots = Training.newSnapshots();
        Sequential model = Training.linearModel(0.05);
        EarlyStopping stopping = new EarlyStopping().patience(5).restoreBestWeights(true);
        model.fit(Training.X, Training.Y, Training.options(4,
                Training.inject("val_loss", 0.9, 0.3, 0.4, 0.5), Training.snapshots(snapshots), stopping));
        assertEquals(0, stopping.stoppedEpoch());
        assertNotEquals(snapshots.get(1), snapshots.get(3));
        assertEquals(snapshots.get(1), model.getWeights());
    }

    @Test
    void withoutRestoreTheLastWeightsStay() {
        List<List<INDArray>> snapshots = Training.newSnapshots();
        Sequential model = Training.linearModel(0.05);
        model.fit(Training.X, Training.Y, Training.options(10,
                Training.inject("val_loss", 0.9, 0.3, 0.4, 0.5, 0.6), Training.snapshots(snapshots),
                new EarlyStopping().patience(2)));
        assertEquals(4, snapshots.size());
        assertEquals(snapshots.get(3), model.getWeights());
    }

    @Test
    void aMissingMonitorWarnsOnceListingTheLogsAndNeverStops() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger(EarlyStopping.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            Sequential model = Training.linearModel(0.01);
            History history = model.fit(Training.X, Training.Y, Training.options(3, new EarlyStopping("val_los")));
            assertEquals(List.of(0, 1, 2), history.epochs());
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, records.size());
        String message = records.get(0).getMessage();
        assertTrue(message.contains("\"val_los\"") && message.contains("available: loss, learning_rate"), message);
    }

    @Test
    void aCallbackServesSeveralFits() {
        EarlyStopping stopping = new EarlyStopping().patience(1);
        Sequential model = Training.linearModel(0.01);
        model.fit(Training.X, Training.Y, Training.options(5, Training.inject("val_loss", 0.1, 0.2, 0.3, 0.4, 0.5), stopping));
        assertEquals(1, stopping.stoppedEpoch());
        History second = model.fit(Training.X, Training.Y,
                Training.options(5, Training.inject("val_loss", 5, 4, 3, 2, 1), stopping));
        assertEquals(List.of(0, 1, 2, 3, 4), second.epochs());
        assertEquals(0, stopping.stoppedEpoch());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("EarlyStopping: patience must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1)).getMessage());
        assertEquals("EarlyStopping: minDelta must be >= 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().minDelta(-0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(" "));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().mode("best"));
    }
}
