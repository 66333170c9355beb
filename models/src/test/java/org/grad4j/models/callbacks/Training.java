package org.grad4j.models.callbacks;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.SGD;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A small regression problem and the helpers the callback tests share. */
final class Training {
    /** 256 samples of y = 2x - 1 on [-1, 1]: 8 batches of 32. */
    static final INDArray X = Nd4j.linspace(-1, 1, 256, DataType.FLOAT).reshape(256, 1);
    static final INDArray Y = X.mul(2).sub(1);

    private Training() {
    }

    /** {@code Sequential(Dense(1))} with SGD and MSE, freshly named and seeded. */
    static Sequential linearModel(double learningRate) {
        Layer.resetNameCounters();
        Seeds.set(7);
        Sequential model = new Sequential(new Dense(1));
        model.compile(new SGD(learningRate), "mse");
        model.build(1);
        return model;
    }

    static FitOptions options(int epochs, Callback... callbacks) {
        return FitOptions.epochs(epochs).batchSize(32).shuffle(false).verbose(0).callbacks(callbacks);
    }

    /** Puts {@code values[epoch]} under {@code key} into each epoch's logs, for the callbacks after it. */
    static LambdaCallback inject(String key, double... values) {
        return new LambdaCallback().onEpochEnd((epoch, logs) -> logs.put(key, values[epoch]));
    }

    /** Records the model's weights at the end of each epoch into {@code into}. */
    static LambdaCallback snapshots(List<List<INDArray>> into) {
        LambdaCallback callback = new LambdaCallback();
        return callback.onEpochEnd((epoch, logs) -> into.add(callback.model().getWeights()));
    }

    static List<List<INDArray>> newSnapshots() {
        return new ArrayList<>();
    }
}
