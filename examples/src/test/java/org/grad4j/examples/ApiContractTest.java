package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Activation;
import org.grad4j.layers.Activations;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.layers.Flatten;
import org.grad4j.layers.Initializers;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.CategoricalCrossentropy;
import org.grad4j.losses.Huber;
import org.grad4j.losses.Loss;
import org.grad4j.losses.Losses;
import org.grad4j.losses.MeanAbsoluteError;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.metrics.AUC;
import org.grad4j.metrics.BinaryAccuracy;
import org.grad4j.metrics.CategoricalAccuracy;
import org.grad4j.metrics.Metric;
import org.grad4j.metrics.Metrics;
import org.grad4j.metrics.Precision;
import org.grad4j.metrics.Recall;
import org.grad4j.metrics.SparseCategoricalAccuracy;
import org.grad4j.optimizers.Adadelta;
import org.grad4j.optimizers.Adagrad;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.AdamW;
import org.grad4j.optimizers.ExponentialDecay;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.Optimizers;
import org.grad4j.optimizers.RMSprop;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;

/** The layers, losses and optimizers sections of shared/API.md, compiled and run. */
class ApiContractTest {

    @Test
    void layersSection() {
        Layer.resetNameCounters();
        List<Layer> layers = List.of(new Dense(64), new Dense(64, "relu"), new Dense(64, Activations.RELU),
                new Dense(10).useBias(false).kernelInitializer(Initializers.heNormal(42)), new Activation("softmax"),
                new Dropout(0.5), new BatchNormalization(), new Flatten(), new InputLayer(9));
        assertEquals("dense", layers.get(0).name());
        assertEquals("dense_1", layers.get(1).name());
        Layer dense = layers.get(1);
        dense.build(32, 9);
        Tensor out = dense.call(Tensor.ones(32, 9), false);
        assertEquals(List.of(32L, 64L), List.of(out.shape()[0], out.shape()[1]));
        assertEquals("dense_1/kernel:0", dense.trainableWeights().get(0).name());
        assertEquals(0, dense.nonTrainableWeights().size());
        assertEquals(2, dense.weights().size());
        assertEquals(9 * 64 + 64, dense.countParams());
        dense.setTrainable(false);
        assertEquals(0, dense.trainableWeights().size());
        assertEquals(64, dense.computeOutputShape(32, 9)[1]);
    }

    @Test
    void lossesSection() {
        List<Loss> losses = List.of(new MeanSquaredError(), new MeanAbsoluteError(), new Huber(1.0),
                new BinaryCrossentropy(), new BinaryCrossentropy(true), new CategoricalCrossentropy(),
                new CategoricalCrossentropy(true), new SparseCategoricalCrossentropy(true));
        for (String name : List.of("mse", "mae", "huber", "binary_crossentropy", "categorical_crossentropy",
                "sparse_categorical_crossentropy")) {
            assertTrue(Losses.get(name) != null, name);
        }
        Tensor value = losses.get(0).call(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {1, 4}, 1, 2));
        assertEquals(2f, value.item(), 1e-6f);
        List<Metric> metrics = List.of(Metrics.get("accuracy"), new BinaryAccuracy(), new CategoricalAccuracy(),
                new SparseCategoricalAccuracy(), new org.grad4j.metrics.MeanAbsoluteError(), new Precision(),
                new Recall(), new AUC());
        assertEquals(8, metrics.size());
    }

    @Test
    void optimizersSection() {
        List<Optimizer> all = List.of(new SGD(0.02), new SGD(0.01, 0.9, true), new Adagrad(0.01), new Adadelta(1.0),
                new RMSprop(0.001), new Adam(0.001), new AdamW(0.001), new Adam(), Optimizers.get("adam"));
        assertEquals(9, all.size());
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}).array());
        Optimizer optimizer = new SGD(0.1);
        List<Tensor> grads = List.of(Tensor.of(new float[] {1, 1}));
        List<Variable> vars = List.of(w);
        optimizer.applyGradients(grads, vars);
        Supplier<Tensor> loss = () -> w.square().sum();
        optimizer.minimize(loss, vars);
        assertEquals(2, optimizer.iterations());
        assertEquals(0.1, optimizer.learningRate(), 1e-12);
        optimizer.clipNorm(1.0);
        optimizer.learningRate(new ExponentialDecay(0.1, 10, 0.5, false));
        assertTrue(optimizer.learningRate() < 0.1);
    }
}
