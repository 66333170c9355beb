package org.grad4j.models.callbacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.models.Model;

/** Fans each hook out to several callbacks, in order (the progress logger and History come last, as in Keras). */
public final class CallbackList extends Callback {
    private final List<Callback> callbacks;

    public CallbackList(List<? extends Callback> callbacks) {
        this.callbacks = new ArrayList<>(callbacks);
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    @Override
    public void setModel(Model model) {
        super.setModel(model);
        callbacks.forEach(c -> c.setModel(model));
    }

    @Override
    public void setParams(Map<String, Object> params) {
        super.setParams(params);
        callbacks.forEach(c -> c.setParams(params));
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBegin(logs));
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainEnd(logs));
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onEpochBegin(epoch, logs));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onEpochEnd(epoch, logs));
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBatchBegin(batch, logs));
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBatchEnd(batch, logs));
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBegin(logs));
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestEnd(logs));
    }

    @Override
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBatchBegin(batch, logs));
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBatchEnd(batch, logs));
    }
}
