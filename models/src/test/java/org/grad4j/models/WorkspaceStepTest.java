package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Regularizers;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * fit runs each step inside an ND4J workspace that the next step reuses. Its result must be the plain
 * loop's, bit for bit: weights, BatchNormalization statistics and Adam's slots all live outside the workspace.
 */
class WorkspaceStepTest {

    private static Sequential model(int inputs, int units) {
        return new Sequential(new InputLayer(inputs), new Dense(units, "relu").kernelRegularizer(Regularizers.l2(0.01)),
                new BatchNormalization(), new Dense(1));
    }

    @Test
    void fitEqualsAPlainTapeLoop() {
        fitEqualsAPlainTapeLoop(5, 8);
    }

    /**
     * Activations of 16 x 48 and their gradients are Java arrays that fit lends again to the next step
     * ({@code StepArrays}, from 256 elements): reusing one early would change the numbers.
     */
    @Test
    void fitEqualsAPlainTapeLoopWhenStepsReuseTheirJavaArrays() {
        fitEqualsAPlainTapeLoop(20, 48);
    }

    /** trainOnBatch calls share the model's lent arrays: a loop of them is the plain loop too, bit for bit. */
    @Test
    void aTrainOnBatchLoopEqualsAPlainTapeLoop() {
        Seeds.set(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 20);
        INDArray y = x.sum(true, 1).muli(0.5);
        Layer.resetNameCounters();
        Seeds.set(12);
        Sequential looped = model(20, 48);
        looped.compile(new Adam(0.01), new MeanSquaredError());
        Layer.resetNameCounters();
        Seeds.set(12);
        Sequential manual = model(20, 48);
        Adam manualAdam = new Adam(0.01);
        MeanSquaredError mse = new MeanSquaredError();
        List<Variable> vars = manual.trainableVariables();
        for (int step = 0; step < 4; step++) {
            double loss = looped.trainOnBatch(x, y).get("loss");
            Tensor expected = plainStep(manual, manualAdam, mse, vars, x, y);
            assertEquals(expected.itemDouble(), loss, 0.0, "step " + step);
        }
        List<INDArray> a = looped.getWeights();
        List<INDArray> b = manual.getWeights();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).reshape(-1).toFloatVector(), a.get(i).reshape(-1).toFloatVector(), 0f, "weight " + i);
        }
    }

    /** One step of the plain loop: the loss with the layers' penalties under a tape, then Adam; returns the loss. */
    private static Tensor plainStep(Sequential manual, Adam adam, MeanSquaredError mse, List<Variable> vars, INDArray x,
            INDArray y) {
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = mse.call(Tensor.of(y), manual.apply(Tensor.of(x), true));
            for (Tensor penalty : manual.losses()) {
                loss = loss.add(penalty);
            }
        }
        adam.applyGradients(tape.gradient(loss, vars), vars);
        return loss;
    }

    private static void fitEqualsAPlainTapeLoop(int inputs, int units) {
        Seeds.set(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, inputs);
        INDArray y = x.sum(true, 1).muli(0.5);
        INDArray xv = Nd4j.rand(DataType.FLOAT, 16, inputs);
        INDArray yv = xv.sum(true, 1).muli(0.5);

        Layer.resetNameCounters();
        Seeds.set(11);
        Sequential fitted = model(inputs, units);
        Adam fittedAdam = new Adam(0.01);
        fitted.compile(fittedAdam, new MeanSquaredError());
        History history = fitted.fit(x, y, FitOptions.epochs(3).batchSize(16).shuffle(false).verbose(0)
                .validationData(xv, yv));

        Layer.resetNameCounters();
        Seeds.set(11);
        Sequential manual = model(inputs, units);
        Adam manualAdam = new Adam(0.01);
        MeanSquaredError mse = new MeanSquaredError();
        List<Variable> vars = manual.trainableVariables();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (long start = 0; start < 40; start += 16) {
                INDArray xb = x.get(NDArrayIndex.interval(start, Math.min(40, start + 16)), NDArrayIndex.all());
                INDArray yb = y.get(NDArrayIndex.interval(start, Math.min(40, start + 16)), NDArrayIndex.all());
                plainStep(manual, manualAdam, mse, vars, xb, yb);
            }
        }

        List<INDArray> a = fitted.getWeights();
        List<INDArray> b = manual.getWeights();
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).reshape(-1).toFloatVector(), a.get(i).reshape(-1).toFloatVector(), 0f, fitted.variables().get(i).name());
        }
        List<Variable> sa = fittedAdam.variables();
        List<Variable> sb = manualAdam.variables();
        for (int i = 0; i < sa.size(); i++) {
            assertArrayEquals(sb.get(i).array().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(),
                    sa.get(i).array().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), 0.0, sa.get(i).name());
        }
        assertEquals(manual.predict(x), fitted.predict(x));
        // the validation pass (one batch of 16) runs in a step of its own, lending its arrays too
        List<Double> valLoss = history.history().get("val_loss");
        Tensor expected = mse.call(Tensor.of(yv), manual.apply(Tensor.of(xv), false));
        for (Tensor penalty : manual.losses()) {
            expected = expected.add(penalty);
        }
        assertEquals(expected.itemDouble(), valLoss.get(valLoss.size() - 1), 0.0);
    }
}
