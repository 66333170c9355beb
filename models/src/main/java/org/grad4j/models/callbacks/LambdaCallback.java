package org.grad4j.models.callbacks;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Keras' {@code LambdaCallback}: a callback made of lambdas, for one-off hooks without a class.
 *
 * <pre>{@code
 * new LambdaCallback()
 *         .onEpochEnd((epoch, logs) -> System.out.println(epoch + ": " + logs.get("loss")))
 *         .onTrainEnd(logs -> System.out.println("done"));
 * }</pre>
 *
 * Each builder method sets one hook (a later call replaces an earlier one); hooks not set do nothing. The
 * {@code logs} handed over are the live ones, so a hook placed before another callback may add entries
 * that the later one reads, as in Keras.
 */
public class LambdaCallback extends Callback {
    private Consumer<Map<String, Double>> trainBegin = logs -> { };
    private Consumer<Map<String, Double>> trainEnd = logs -> { };
    private BiConsumer<Integer, Map<String, Double>> epochBegin = (epoch, logs) -> { };
    private BiConsumer<Integer, Map<String, Double>> epochEnd = (epoch, logs) -> { };
    private BiConsumer<Integer, Map<String, Double>> trainBatchBegin = (batch, logs) -> { };
    private BiConsumer<Integer, Map<String, Double>> trainBatchEnd = (batch, logs) -> { };

    public LambdaCallback onTrainBegin(Consumer<Map<String, Double>> hook) {
        trainBegin = require(hook, "onTrainBegin");
        return this;
    }

    public LambdaCallback onTrainEnd(Consumer<Map<String, Double>> hook) {
        trainEnd = require(hook, "onTrainEnd");
        return this;
    }

    /** @param hook gets the epoch (from 0) and the logs */
    public LambdaCallback onEpochBegin(BiConsumer<Integer, Map<String, Double>> hook) {
        epochBegin = require(hook, "onEpochBegin");
        return this;
    }

    /** @param hook gets the epoch (from 0) and its logs: loss, metrics, {@code val_} entries, learning_rate */
    public LambdaCallback onEpochEnd(BiConsumer<Integer, Map<String, Double>> hook) {
        epochEnd = require(hook, "onEpochEnd");
        return this;
    }

    /** @param hook gets the batch (from 0 in each epoch) and the logs */
    public LambdaCallback onTrainBatchBegin(BiConsumer<Integer, Map<String, Double>> hook) {
        trainBatchBegin = require(hook, "onTrainBatchBegin");
        return this;
    }

    /** @param hook gets the batch (from 0 in each epoch) and the epoch's running loss and metrics */
    public LambdaCallback onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> hook) {
        trainBatchEnd = require(hook, "onTrainBatchEnd");
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        trainBegin.accept(logs);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        trainEnd.accept(logs);
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        epochBegin.accept(epoch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochEnd.accept(epoch, logs);
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        trainBatchBegin.accept(batch, logs);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        trainBatchEnd.accept(batch, logs);
    }

    private static <T> T require(T hook, String name) {
        if (hook == null) {
            throw new IllegalArgumentException("LambdaCallback." + name + ": the hook is null; leave it unset to do nothing");
        }
        return hook;
    }
}
