package org.grad4j.models.callbacks;

import java.util.Map;
import org.grad4j.models.Model;

/**
 * Keras' {@code Callback}: hooks that {@code fit} (and {@code evaluate}) call around training, epochs and
 * batches. Override the hooks you need; each gets the {@code logs} of the moment, a mutable map from
 * names ({@code loss}, {@code accuracy}, {@code val_loss}, ...) to values, which a callback may extend
 * (as {@link ReduceLROnPlateau} adds {@code learning_rate}).
 *
 * <ul>
 *   <li>{@code onTrainBatchEnd}: the running means of the epoch so far;</li>
 *   <li>{@code onEpochEnd}: the epoch's means, plus {@code val_} entries on validation epochs;</li>
 *   <li>{@code onTrainEnd}: the last epoch's logs.</li>
 * </ul>
 * Epochs and batches count from 0, as in Keras. Set {@code model().stopTraining(true)} to end training
 * after the current batch's epoch.
 */
public abstract class Callback {
    private Model model;
    private Map<String, Object> params = Map.of();

    /** Called by {@code fit} before training starts. */
    public void setModel(Model model) {
        this.model = model;
    }

    public Model model() {
        return model;
    }

    /** Keras' {@code params}: {@code epochs}, {@code steps} (per epoch) and {@code verbose}. */
    public void setParams(Map<String, Object> params) {
        this.params = Map.copyOf(params);
    }

    public Map<String, Object> params() {
        return params;
    }

    public void onTrainBegin(Map<String, Double> logs) {
    }

    public void onTrainEnd(Map<String, Double> logs) {
    }

    public void onEpochBegin(int epoch, Map<String, Double> logs) {
    }

    public void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    }

    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    }

    public void onTestBegin(Map<String, Double> logs) {
    }

    public void onTestEnd(Map<String, Double> logs) {
    }

    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
    }

    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    }
}
