package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.Loss;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's tour, verbatim, so that it keeps compiling and keeps its numbers. */
class ReadmeTourTest {

    @Test
    void pytorchStyle() {
        Tensor x = Tensor.scalar(5f).requiresGrad(true);
        Tensor y = x.pow(3);           // y.gradFn() is PowBackward
        y.backward(true);              // x.grad() == 75
        y.backward(true);              // gradients accumulate: 150
        x.zeroGrad();                  // back to 0
        y.backward();                  // 75 again; the graph is freed now
        assertEquals("PowBackward", y.gradFn().name());
        assertEquals(75f, x.grad().item(), 1e-4f);
    }

    @Test
    void tensorflowStyle() {
        Tensor xs = Tensor.of(new float[] {-1, 0, 1, 2}, 4, 1);
        Tensor ys = Tensor.of(new float[] {-3, -1, 1, 3}, 4, 1);       // y = 2x - 1
        Variable w = new Variable("w", Nd4j.zeros(DataType.FLOAT, 1, 1));
        Variable b = new Variable("b", Nd4j.zeros(DataType.FLOAT, 1));
        for (int step = 0; step < 500; step++) {
            GradientTape tape = GradientTape.open();
            Tensor loss;
            try (tape) {                                   // trainable Variables are watched
                loss = xs.matmul(w).add(b).sub(ys).square().mean();
            }
            List<Tensor> grads = tape.gradient(loss, List.of(w, b));
            try (NoGrad scope = NoGrad.enter()) {
                w.assign(w.sub(grads.get(0).mul(0.1)));
                b.assign(b.sub(grads.get(1).mul(0.1)));
            }
        }
        assertEquals(2f, w.item(), 1e-3f);
        assertEquals(-1f, b.item(), 1e-3f);
    }

    @Test
    void kerasStyle() throws Exception {
        Layer.resetNameCounters();
        Seeds.set(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1000, 1).muli(10).subi(5);   // x in [-5, 5]
        INDArray y = x.mul(2).sub(1);                                      // y = 2x - 1
        Sequential model = new Sequential(new InputLayer(1), new Dense(1));
        History history = model.compile(new SGD(0.01), new MeanSquaredError(), "mae")
                .fit(x, y, FitOptions.epochs(20).batchSize(32).validationSplit(0.2).verbose(0));
        history.history().get("val_loss");              // one value per epoch; also loss, mae, val_mae, learning_rate
        model.summary();                                // Keras' table: dense (Dense) (None, 1) 2 ... Trainable params: 2
        Path dir = Files.createTempDirectory("grad4j");
        model.save(dir.resolve("line.g4j"));            // config, weights (.npy) and optimizer state in one zip
        Model same = Model.load(dir.resolve("line.g4j"));   // same predictions; training continues where it stopped

        assertEquals(List.of("loss", "mae", "val_loss", "val_mae", "learning_rate"), List.copyOf(history.history().keySet()));
        assertEquals(20, history.history().get("val_loss").size());
        org.junit.jupiter.api.Assertions.assertTrue(model.summaryString().contains("Trainable params: 2 (8.00 B)"), model.summaryString());
        assertEquals(2f, model.trainableVariables().get(0).item(), 0.01f);
        assertEquals(model.predict(x), same.predict(x));
        Files.delete(dir.resolve("line.g4j"));
        Files.delete(dir);
    }

    @Test
    void layersLossesAndOptimizers() {
        Layer.resetNameCounters();
        Dense hidden = new Dense(16, "relu");
        Dense out = new Dense(1);
        hidden.build(-1, 1);                               // or built lazily by the first call
        out.build(-1, 16);
        List<Variable> vars = new ArrayList<>(hidden.trainableWeights());
        vars.addAll(out.trainableWeights());               // dense/kernel:0 [1, 16], dense/bias:0 [16], dense_1/...
        Loss mse = new MeanSquaredError();
        Optimizer adam = new Adam(0.01);
        Tensor x = Tensor.randomUniform(new long[] {256, 1}, -1, 1, 42);
        Tensor y = x.square();                             // learn y = x²
        Tensor first = mse.call(y, out.call(hidden.call(x, false), false));
        Tensor loss = null;
        for (int step = 0; step < 300; step++) {
            loss = adam.minimize(() -> mse.call(y, out.call(hidden.call(x, true), true)), vars);
        }
        assertEquals("dense/kernel:0", vars.get(0).name());
        assertEquals(300, adam.iterations());
        org.junit.jupiter.api.Assertions.assertTrue(loss.item() < first.item() / 5, first.item() + " -> " + loss.item());
    }
}
