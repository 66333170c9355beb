package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.losses.Loss;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.ExponentialDecay;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReduceLROnPlateauTest {

    /** The learning rate the optimizer holds at the start of each epoch, i.e. the one its steps use. */
    private static List<Double> ratesUsed(ReduceLROnPlateau reduce, String key, double... values) {
        Sequential model = Training.linearModel(0.1);
        List<Double> used = new ArrayList<>();
        LambdaCallback probe = new LambdaCallback();
        probe.onEpochBegin((epoch, logs) -> used.add(probe.model().optimizer().learningRate()));
        model.fit(Training.X, Training.Y, Training.options(values.length, probe, Training.inject(key, values), reduce));
        return used;
    }

    private static List<Double> rates(double... rates) {
        List<Double> out = new ArrayList<>();
        for (double r : rates) {
            out.add(r);
        }
        return out;
    }

    @Test
    void lowersTheRateAfterPatienceEpochsWithoutImprovement() {
        List<Double> used = ratesUsed(new ReduceLROnPlateau().factor(0.5).patience(2), "val_loss", 1, 1, 1, 1, 1, 1, 1);
        // epoch 0 sets the best; epochs 1 and 2 do not improve, so the rate halves after epoch 2; again after 4, 6
        assertEquals(rates(0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025), used);
    }

    @Test
    void theLoweredRateReallyDrivesTheSteps() {
        Layer.resetNameCounters();
        // loss = mean(x * kernel) has the constant gradient mean(x) = 1, so each SGD step moves the kernel by lr
        Sequential model = new Sequential(new Dense(1).useBias(false));
        model.compile(new SGD(0.1), (Loss) (yTrue, yPred) -> yPred.mean());
        model.build(1);
        List<Double> kernel = new ArrayList<>();
        LambdaCallback probe = new LambdaCallback();
        probe.onEpochBegin((epoch, logs) -> kernel.add(probe.model().getWeights().get(0).getDouble(0)));
        model.fit(Training.X.add(1), Training.Y, Training.options(4, probe, Training.inject("val_loss", 1, 1, 1, 1),
                new ReduceLROnPlateau().factor(0.5).patience(1)).batchSize(256));
        kernel.add(model.getWeights().get(0).getDouble(0));
        double[] expectedSteps = {0.1, 0.1, 0.05, 0.025};
        for (int epoch = 0; epoch < expectedSteps.length; epoch++) {
            // float32 weights: the difference of two values near 1 is exact to about 1e-7
            assertEquals(expectedSteps[epoch], kernel.get(epoch) - kernel.get(epoch + 1), 1e-6, "step of epoch " + epoch);
        }
    }

    @Test
    void improvementsResetThePatience() {
        List<Double> used = ratesUsed(new ReduceLROnPlateau().patience(1), "val_loss", 1.0, 0.9, 0.8, 0.7, 0.6);
        assertEquals(rates(0.1, 0.1, 0.1, 0.1, 0.1), used);
    }

    @Test
    void neverGoesBelowMinLr() {
        List<Double> used = ratesUsed(new ReduceLROnPlateau().patience(1).minLr(0.005), "val_loss", 1, 1, 1, 1, 1);
        assertEquals(rates(0.1, 0.1, 0.1 * 0.1, 0.005, 0.005), used);
    }

    @Test
    void cooldownPausesTheCountAfterEachReduction() {
        List<Double> plain = ratesUsed(new ReduceLROnPlateau().factor(0.5).patience(1), "val_loss", 1, 1, 1, 1, 1);
        assertEquals(rates(0.1, 0.1, 0.05, 0.025, 0.0125), plain);
        // as in Keras (and PyTorch), the epoch in which the cooldown runs out counts again, so cooldown 1
        // changes nothing here and cooldown 2 leaves one epoch out after each reduction
        List<Double> one = ratesUsed(new ReduceLROnPlateau().factor(0.5).patience(1).cooldown(1), "val_loss", 1, 1, 1, 1, 1);
        assertEquals(plain, one);
        List<Double> two = ratesUsed(new ReduceLROnPlateau().factor(0.5).patience(1).cooldown(2), "val_loss",
                1, 1, 1, 1, 1, 1);
        assertEquals(rates(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), two);
    }

    @Test
    void minDeltaDecidesWhatCountsAsImprovement() {
        List<Double> used = ratesUsed(new ReduceLROnPlateau().patience(1).minDelta(0.05), "val_loss", 1.0, 0.98, 0.96, 0.9);
        assertEquals(rates(0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1), used);
    }

    @Test
    void maxModeForAccuracies() {
        List<Double> used = ratesUsed(new ReduceLROnPlateau("val_accuracy").patience(1), "val_accuracy", 0.5, 0.6, 0.7, 0.8);
        assertEquals(rates(0.1, 0.1, 0.1, 0.1), used);
    }

    @Test
    void logsTheRateEachEpochTrainedWith() {
        Sequential model = Training.linearModel(0.1);
        History history = model.fit(Training.X, Training.Y, Training.options(4, Training.inject("val_loss", 1, 1, 1, 1),
                new ReduceLROnPlateau().factor(0.5).patience(1)));
        assertEquals(List.of(0.1, 0.1, 0.05, 0.025), history.get("learning_rate"));
        assertEquals(0.0125, model.optimizer().learningRate());
    }

    @Test
    void aScheduledLearningRateIsRefusedBeforeTheFirstStep() {
        Layer.resetNameCounters();
        Sequential model = new Sequential(new Dense(1));
        model.compile(new SGD(0.1).learningRate(new ExponentialDecay(0.1, 10, 0.5)), "mse");
        model.build(1);
        List<INDArray> before = model.getWeights();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.fit(Training.X, Training.Y, Training.options(2, new ReduceLROnPlateau())));
        assertTrue(e.getMessage().startsWith("ReduceLROnPlateau: the learning rate of SGD follows the schedule"), e.getMessage());
        assertEquals(before, model.getWeights());
        assertEquals(0, model.optimizer().iterations());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("ReduceLROnPlateau: factor must be in (0, 1) so that the learning rate goes down and stays positive, got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().patience(-1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().cooldown(-1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minLr(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minDelta(Double.NaN));
    }
}
