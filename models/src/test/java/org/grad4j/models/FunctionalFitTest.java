package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Add;
import org.grad4j.layers.Concatenate;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.losses.SparseCategoricalCrossentropy;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Training functional models: the one-output case is a Sequential's, several outputs get Keras' losses and logs. */
class FunctionalFitTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(3);
    }

    private static INDArray values(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    @Test
    void oneInputOneOutputTrainsBitIdenticallyToTheSequential() {
        INDArray x = values(40, 4);
        INDArray y = x.sum(true, 1).mul(2).addi(0.3);
        FitOptions options = FitOptions.epochs(3).batchSize(8).seed(5L).verbose(0).validationSplit(0.25);

        Layer.resetNameCounters();
        Seeds.set(21);
        Sequential sequential = new Sequential(new InputLayer(4), new Dense(8, "relu"), new Dense(1));
        sequential.compile(new Adam(0.01), new MeanSquaredError(), "mae");
        History hs = sequential.fit(x, y, options);
        Map<String, Double> es = sequential.evaluate(x, y);

        Layer.resetNameCounters();
        Seeds.set(21);
        Tensor in = Input.of(new long[] {4}, "x");
        Tensor hidden = new Dense(8, "relu").apply(in);
        Functional functional = new Functional(in, new Dense(1).apply(hidden));
        functional.compile(new Adam(0.01), new MeanSquaredError(), "mae");
        History hf = functional.fit(List.of(x), List.of(y), options);

        assertEquals(hs.history(), hf.history());
        assertEquals(es, functional.evaluate(List.of(x), List.of(y)));
        List<Variable> vs = sequential.variables();
        List<Variable> vf = functional.variables();
        assertEquals(vs.size(), vf.size());
        for (int i = 0; i < vs.size(); i++) {
            assertEquals(vs.get(i).name(), vf.get(i).name());
            assertEquals(vs.get(i).array(), vf.get(i).array(), vs.get(i).name());   // exact equality
        }
    }

    @Test
    void twoInputsOneOutputLearn() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {2}, "b");
        Tensor h = new Dense(8, "tanh").apply(a);
        Tensor out = new Dense(1).apply(new Concatenate().apply(List.of(h, b)));
        Functional f = new Functional(List.of(a, b), List.of(out));
        f.compile(new Adam(0.02), new MeanSquaredError());
        INDArray xa = values(64, 3);
        INDArray xb = values(64, 2);
        INDArray y = xa.sum(true, 1).subi(xb.sum(true, 1));
        List<Double> loss = f.fit(Map.of("a", xa, "b", xb), Map.of("dense_1", y), FitOptions.epochs(30).batchSize(16).verbose(0))
                .history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < loss.get(0) / 4, loss.toString());
    }

    @Test
    void severalOutputsLogKerasKeysAndTheLossIsTheWeightedSum() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor h = new Dense(8, "relu").apply(a);
        Tensor reg = new Dense(1).name("reg").apply(h);
        Tensor cls = new Dense(3).name("cls").apply(h);
        Functional f = new Functional(List.of(a), List.of(reg, cls));
        f.compile(new Adam(0.01), Map.of("reg", "mse", "cls", new SparseCategoricalCrossentropy(true)),
                Map.of("reg", 0.5, "cls", 2.0), Map.of("reg", List.of("mae"), "cls", List.of("accuracy")));
        INDArray x = values(48, 4);
        INDArray yReg = x.sum(true, 1);
        INDArray yCls = Nd4j.argMax(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)), 1).castTo(DataType.FLOAT);
        History history = f.fit(List.of(x), List.of(yReg, yCls), FitOptions.epochs(20).batchSize(16).verbose(0));
        Map<String, List<Double>> logs = history.history();
        assertEquals(List.of("loss", "reg_loss", "cls_loss", "reg_mae", "cls_accuracy", "learning_rate"),
                List.copyOf(logs.keySet()));
        // Keras 3 logs each output's loss before its weight; the total is the weighted sum
        for (int e = 0; e < 20; e++) {
            double sum = 0.5 * logs.get("reg_loss").get(e) + 2.0 * logs.get("cls_loss").get(e);
            assertEquals(logs.get("loss").get(e), sum, 1e-5 * Math.max(1, sum));
        }
        assertTrue(logs.get("loss").get(19) < logs.get("loss").get(0));
        Map<String, Double> scores = f.evaluate(List.of(x), List.of(yReg, yCls));
        List<INDArray> p = f.predictAll(List.of(x));
        double mse = p.get(0).sub(yReg).muli(p.get(0).sub(yReg)).meanNumber().doubleValue();
        assertEquals(mse, scores.get("reg_loss"), 1e-5);
        assertEquals(3, p.get(1).size(1));
    }

    @Test
    void aZeroLossWeightLeavesThatHeadUntrained() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor h = new Dense(6, "tanh").apply(a);
        Dense first = new Dense(1);
        first.name("first");
        Dense second = new Dense(2);
        second.name("second");
        Functional f = new Functional(List.of(a), List.of(first.apply(h), second.apply(h)));
        f.compile(new SGD(0.1), Map.of("first", "mse", "second", "mse"), Map.of("second", 0.0), null);
        assertEquals(List.of("first_loss", "second_loss"), f.metrics().stream().map(m -> m.name()).toList());
        INDArray before = second.weights().get(0).array().dup();
        INDArray firstBefore = first.weights().get(0).array().dup();
        INDArray x = values(16, 4);
        f.fit(List.of(x), List.of(values(16, 1), values(16, 2)), FitOptions.epochs(2).batchSize(8).verbose(0));
        assertEquals(before, second.weights().get(0).array());
        assertTrue(!firstBefore.equals(first.weights().get(0).array()));
    }

    @Test
    void aSharedLayersGradientIsTheSumOfItsCalls() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {3}, "b");
        Dense shared = new Dense(2);
        Functional f = new Functional(List.of(a, b), List.of(new Add().apply(List.of(shared.apply(a), shared.apply(b)))));
        Tensor xa = Tensor.of(values(5, 3));
        Tensor xb = Tensor.of(values(5, 3));
        Variable kernel = shared.weights().get(0);
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) {
            loss = f.call(List.of(xa, xb), true).get(0).square().sum();
        }
        INDArray g = tape.gradient(loss, List.of(kernel)).get(0).array();
        // d/dW sum((xa W + xb W + 2b)^2) = (xa + xb)^T 2 (xa W + xb W + 2b)
        INDArray out = xa.array().mmul(kernel.array()).addi(xb.array().mmul(kernel.array()))
                .addiRowVector(shared.weights().get(1).array().mul(2));
        INDArray expected = xa.array().add(xb.array()).transpose().mmul(out.mul(2));
        assertTrue(expected.equalsWithEps(g, 1e-4), expected + " vs " + g);
    }

    @Test
    void targetsAndLossesAreCheckedByOutputName() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor h = new Dense(6).apply(a);
        Functional f = new Functional(List.of(a), List.of(new Dense(1).name("u").apply(h), new Dense(1).name("v").apply(h)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.compile(new SGD(0.1), Map.of("w", "mse")));
        assertTrue(e.getMessage().contains("unknown output \"w\" (outputs: u, v)"), e.getMessage());
        f.compile(new SGD(0.1), new MeanSquaredError());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> f.fit(Map.of("a", values(8, 4)), Map.of("u", values(8, 1)), FitOptions.epochs(1)));
        assertTrue(missing.getMessage().contains("no array for output \"v\""), missing.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> f.fit(List.of(values(8, 4)), List.of(values(8, 1), values(7, 1)), FitOptions.epochs(1)));
        assertTrue(rows.getMessage().contains("one sample count"), rows.getMessage());
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
                () -> f.fit(List.of(values(8, 4)), List.of(values(8, 1), values(8, 1)),
                        FitOptions.epochs(1).classWeight(Map.of(0, 1.0))));
        assertTrue(weights.getMessage().contains("classWeight applies to a model of one output"), weights.getMessage());
    }

    @Test
    void validationListsAreLoggedWithTheValPrefix() {
        Tensor a = Input.of(new long[] {3}, "a");
        Tensor b = Input.of(new long[] {2}, "b");
        Tensor joined = new Concatenate().apply(List.of(a, b));
        Dense u = new Dense(1);
        u.name("u");
        Dense v = new Dense(2);
        v.name("v");
        Functional f = new Functional(List.of(a, b), List.of(u.apply(joined), v.apply(joined)));
        f.compile(new SGD(0.05), new MeanSquaredError());
        List<INDArray> x = List.of(values(20, 3), values(20, 2));
        List<INDArray> y = List.of(values(20, 1), values(20, 2));
        List<INDArray> xv = List.of(values(6, 3), values(6, 2));
        List<INDArray> yv = List.of(values(6, 1), values(6, 2));
        History h = f.fit(x, y, xv, yv, FitOptions.epochs(2).batchSize(5).verbose(0));
        assertEquals(List.of("loss", "u_loss", "v_loss", "val_loss", "val_u_loss", "val_v_loss", "learning_rate"),
                List.copyOf(h.history().keySet()));
        Map<String, Double> val = f.evaluate(xv, yv, 5);   // the batches validation used
        assertEquals(val.get("loss"), h.history().get("val_loss").get(1), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.fit(x, y, xv, List.of(values(6, 1), values(6, 3)), FitOptions.epochs(1)));
        assertTrue(e.getMessage().contains("validation targets of output \"v\""), e.getMessage());
    }

    @Test
    void oneLossAmongTwoOutputsLogsNoPerOutputLoss() {
        Tensor a = Input.of(new long[] {4}, "a");
        Tensor h = new Dense(6, "tanh").apply(a);
        Functional f = new Functional(List.of(a), List.of(new Dense(1).name("p").apply(h), new Dense(2).name("q").apply(h)));
        f.compile(new SGD(0.1), Map.of("p", "mse"), null, Map.of("q", List.of("mae")));
        History history = f.fit(List.of(values(16, 4)), List.of(values(16, 1), values(16, 2)),
                FitOptions.epochs(1).batchSize(8).verbose(0));
        assertEquals(List.of("loss", "q_mae", "learning_rate"), List.copyOf(history.history().keySet()));
    }
}
