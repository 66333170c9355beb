package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.callbacks.LambdaCallback;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Overridden trainStep, testStep and computeLoss run inside fit and evaluate, with callbacks and History. */
class CustomStepTest {
    INDArray x;
    INDArray y;

    @BeforeEach
    void data() {
        Layer.resetNameCounters();
        Seeds.set(5);
        x = Nd4j.rand(DataType.FLOAT, 32, 3).subi(0.5);
        y = x.mmul(Nd4j.createFromArray(new float[][] {{2}, {-1}, {0.5f}}));
    }

    /** API.md's example: a step that adds a penalty on the outputs to the loss and logs it under its own key. */
    static class Penalised extends Sequential {
        final double weight;
        int steps;

        Penalised(double weight, Layer... layers) {
            super(layers);
            this.weight = weight;
        }

        @Override
        protected Map<String, Double> trainStep(Batch b) {
            steps++;
            Tensor xb = Tensor.of(b.x());
            Tensor yb = Tensor.of(b.y());
            List<Variable> vars = trainableVariables();
            GradientTape tape = GradientTape.open();
            Tensor yPred;
            Tensor penalty;
            Tensor loss;
            try (tape) {
                yPred = apply(xb, true);
                penalty = yPred.square().mean().mul(weight);
                loss = computeLoss(xb, yb, yPred, null).add(penalty);
            }
            optimizer().applyGradients(tape.gradient(loss, vars), vars);
            Map<String, Double> logs = computeMetrics(b, loss.itemDouble(), yb, yPred.detach(), null);
            logs.put("penalty", penalty.itemDouble());
            return logs;
        }
    }

    @Test
    void anOverriddenTrainStepRunsThroughFitWithCallbacksAndHistory() {
        Penalised model = new Penalised(0.1, new InputLayer(3), new Dense(1));
        model.compile(new SGD(0.1), "mse", "mae");
        List<Map<String, Double>> batchLogs = new ArrayList<>();
        LambdaCallback seen = new LambdaCallback().onTrainBatchEnd((step, logs) -> batchLogs.add(Map.copyOf(logs)));

        History history = model.fit(x, y, FitOptions.epochs(3).batchSize(8).validationData(x, y).callbacks(seen).verbose(0));

        assertEquals(12, model.steps, "fit called the override for every batch");
        assertEquals(12, batchLogs.size());
        assertTrue(batchLogs.get(0).containsKey("penalty"), "callbacks see the step's own key: " + batchLogs.get(0));
        assertEquals(3, history.get("penalty").size(), "History has one value per epoch: " + history.history());
        assertEquals(batchLogs.get(11).get("penalty"), history.get("penalty").get(2), "the epoch's value is the last step's");
        assertEquals(3, history.get("mae").size(), "the compiled metrics still run");
        assertEquals(3, history.get("val_loss").size(), "validation uses the default testStep");
        assertTrue(history.get("loss").get(2) < history.get("loss").get(0), "it trains: " + history.get("loss"));
    }

    /** computeLoss overridden: the mean absolute error instead of the compiled mse. */
    static class AbsoluteLoss extends Sequential {
        AbsoluteLoss(Layer... layers) {
            super(layers);
        }

        @Override
        protected Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight) {
            return yPred.sub(y).abs().mean();
        }
    }

    @Test
    void anOverriddenComputeLossIsTheLossTheDefaultStepsUse() {
        Sequential overridden = new AbsoluteLoss(new InputLayer(3), new Dense(1));
        Sequential byName = new Sequential(new InputLayer(3), new Dense(1));
        Sequential plain = new Sequential(new InputLayer(3), new Dense(1));
        overridden.build(3);
        byName.build(3);
        plain.build(3);
        byName.setWeights(overridden.getWeights());
        plain.setWeights(overridden.getWeights());
        overridden.compile(new SGD(0.1), "mse");
        byName.compile(new SGD(0.1), "mae");
        plain.compile(new SGD(0.1), "mse");
        FitOptions options = FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0);

        History a = overridden.fit(x, y, options);
        History b = byName.fit(x, y, options);
        History c = plain.fit(x, y, options);

        assertEquals(b.get("loss"), a.get("loss"), "the override's loss is logged and minimised");
        assertEquals(byName.getWeights(), overridden.getWeights());
        assertNotEquals(c.get("loss"), a.get("loss"));
        assertEquals(byName.evaluate(x, y).get("loss"), overridden.evaluate(x, y).get("loss"), 1e-6,
                "evaluate's default testStep uses it too");
    }

    /** A testStep override adds a key to what evaluate returns. */
    static class CountingTest extends Sequential {
        CountingTest(Layer... layers) {
            super(layers);
        }

        @Override
        protected Map<String, Double> testStep(Batch batch) {
            Map<String, Double> logs = super.testStep(batch);
            logs.put("samples", (double) batch.x().size(0));
            return logs;
        }
    }

    @Test
    void anOverriddenTestStepShapesEvaluatesResult() {
        Sequential model = new CountingTest(new InputLayer(3), new Dense(1));
        model.compile(new SGD(0.1), "mse");
        Map<String, Double> scores = model.evaluate(x, y, 10);
        assertEquals(2.0, scores.get("samples"), "the last batch's logs: 32 samples in batches of 10");
        assertTrue(scores.containsKey("loss"));
    }

    @Test
    void theStepHelpersWorkOnlyInsideALoop() {
        AbsoluteLoss model = new AbsoluteLoss(new InputLayer(3), new Dense(1));
        model.compile(new SGD(0.1), "mse");
        var e = assertThrows(IllegalStateException.class, () -> model.testStep(new Batch(x, y, null)));
        assertTrue(e.getMessage().contains("testStep: is called by fit, evaluate and trainOnBatch"), e.getMessage());
    }
}
