package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.models.callbacks.TerminateOnNaN;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One NaN in x must show up the same way whatever the layer width. With batches of 32, {@code Dense(8, "relu")}
 * runs on grad4j's Java loops for small tensors and {@code Dense(256, "relu")} on ND4J (a fused GEMM); the Java
 * ReLU used to turn NaN into 0, so the narrow model trained on to a finite loss with NaN weights while the wide one
 * reported NaN.
 */
class NanInputTest {
    /** 256 samples of 4 features, y = the sum of the features; sample 70 (batch 2 of 32) holds a NaN. */
    private static final INDArray X = Tensor.randomUniform(new long[] {256, 4}, -1, 1, 11).array();
    private static final INDArray Y = X.sum(true, 1);

    static {
        X.putScalar(70, 1, Float.NaN);
    }

    /** What one fit reported: the History, the warnings logged and the text callbacks printed. */
    private record Run(History history, List<String> warnings, String printed, List<INDArray> weights) {
    }

    private static Run fit(int units, boolean terminate) {
        Layer.resetNameCounters();
        Seeds.set(5);
        Sequential model = new Sequential(new InputLayer(4), new Dense(units, "relu"), new Dense(1));
        model.compile(new SGD(0.01), "mse");
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.grad4j.models");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Callback[] callbacks = terminate
                ? new Callback[] {new TerminateOnNaN(new PrintStream(printed, true, StandardCharsets.UTF_8))}
                : new Callback[0];
        logger.addHandler(handler);
        try {
            History history = model.fit(X, Y, FitOptions.epochs(3).batchSize(32).shuffle(false).verbose(0)
                    .callbacks(callbacks));
            return new Run(history, warnings, printed.toString(StandardCharsets.UTF_8), model.getWeights());
        } finally {
            logger.removeHandler(handler);
        }
    }

    private static boolean allNaN(INDArray a) {
        return a.castTo(DataType.DOUBLE).isNaN().all();
    }

    @Test
    void aNanInXGivesNanLossesAndOneWarningAtEveryWidth() {
        Run narrow = fit(8, false);
        Run wide = fit(256, false);
        for (Run run : List.of(narrow, wide)) {
            List<Double> losses = run.history().get("loss");
            assertEquals(3, losses.size());
            assertTrue(losses.stream().allMatch(l -> l.isNaN()), "every epoch's loss is NaN: " + losses);
            assertEquals(List.of("fit: the loss is NaN at epoch 0, batch 2; add TerminateOnNaN to stop training when this happens"),
                    run.warnings());
            // the NaN reached every weight, visibly
            assertTrue(run.weights().stream().allMatch(NanInputTest::allNaN), "every weight is NaN");
        }
        assertEquals(narrow.history().history(), wide.history().history());
    }

    @Test
    void terminateOnNanStopsBothWidthsAtTheSameBatch() {
        for (int units : new int[] {8, 256}) {
            Run run = fit(units, true);
            assertEquals("Batch 2: Invalid loss, terminating training" + System.lineSeparator(), run.printed(),
                    "Dense(" + units + ")");
            assertEquals(List.of(0), run.history().epochs(), "Dense(" + units + ")");
            assertTrue(run.history().get("loss").get(0).isNaN(), "Dense(" + units + ")");
        }
    }
}
