package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A task that fails in its first attempt is retried by Spark, and the training result is bit for bit the one of a
 * run without failures: the step is applied once, on the driver, after every partition's result has arrived.
 */
class TaskRetryTest {
    private static JavaSparkContext sc;
    private static INDArray x;
    private static INDArray y;

    /** Whether {@link FailFirstAttempt} throws; read by the executor threads of this JVM (local mode). */
    static volatile boolean failing;
    static final AtomicInteger FAILURES = new AtomicInteger();

    /**
     * An identity layer that throws in the first attempt of partition 0's task, after the forward pass has begun:
     * the worker's model is mid-step when the task dies.
     */
    static final class FailFirstAttempt extends Layer {
        @Override
        public Tensor call(Tensor inputs, boolean training) {
            maybeBuild(inputs);
            TaskContext task = TaskContext.get();
            if (failing && task != null && task.partitionId() == 0 && task.attemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure in partition 0, attempt 0, stage " + task.stageId());
            }
            return inputs;
        }

        @Override
        public long[] computeOutputShape(long... inputShape) {
            return inputShape.clone();
        }
    }

    @BeforeAll
    static void start() {
        Layers.register("FailFirstAttempt", config -> new FailFirstAttempt());
        // local[2, 4]: two threads, and up to 4 attempts per task (plain local[2] never retries)
        sc = LocalSpark.start("local[2,4]", "TaskRetryTest");
        Nd4j.getRandom().setSeed(3);
        x = Nd4j.randn(DataType.FLOAT, 240, 6);
        y = x.mmul(Nd4j.randn(DataType.FLOAT, 6, 2)).add(0.5);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static Model model() {
        Layer.resetNameCounters();
        Seeds.set(17);
        Model m = new Sequential(new InputLayer(6), new Dense(16, "tanh"), new FailFirstAttempt(), new Dense(2));
        return m.compile(new Adam(0.01), new MeanSquaredError());
    }

    private static Result train(SparkTraining how, boolean inject) {
        failing = inject;
        FAILURES.set(0);
        try {
            Model m = model();
            History h = how.fit(m);
            return new Result(m.getWeights(), h.get("loss"), FAILURES.get());
        } finally {
            failing = false;
        }
    }

    private record Result(List<INDArray> weights, List<Double> losses, int failures) {
    }

    private interface SparkTraining {
        History fit(Model m);
    }

    static final AtomicInteger SETUPS = new AtomicInteger();

    @Test
    void theExecutorSetupRunsBeforeTheExecutorsReadTheModel() {
        SETUPS.set(0);
        Model m = model();
        SparkTrainer.synchronous(sc, m).onEachExecutor(() -> {
            SETUPS.incrementAndGet();
            if (!Layers.isRegistered("FailFirstAttempt")) {   // in local mode the driver's registration is there
                Layers.register("FailFirstAttempt", config -> new FailFirstAttempt());
            }
        }).fit(LocalSpark.dataSets(sc, x, y, 24, 2), FitOptions.epochs(1).batchSize(120).verbose(0));
        // one model instance per task thread that needed one: local[2] runs at most 2 at once
        assertTrue(SETUPS.get() >= 1 && SETUPS.get() <= 2, "setups run: " + SETUPS.get());
    }

    private static void assertSameTraining(SparkTraining how, int expectedFailures) {
        Result clean = train(how, false);
        Result retried = train(how, true);
        assertEquals(0, clean.failures());
        assertEquals(expectedFailures, retried.failures(), "one injected failure per job");
        assertEquals(clean.losses(), retried.losses());
        for (int i = 0; i < clean.weights().size(); i++) {
            // exact: INDArray.equals would allow a difference of 1e-5
            assertArrayEquals(Nd4j.toFlattened(clean.weights().get(i)).toFloatVector(),
                    Nd4j.toFlattened(retried.weights().get(i)).toFloatVector(), "weight " + i);
        }
    }

    @Test
    void synchronousStepsRetriedAfterAFailureGiveTheSameWeights() {
        // 2 epochs of ceil(240 / 48) = 5 steps: 10 jobs, each failing once in partition 0
        FitOptions options = FitOptions.epochs(2).batchSize(48).seed(4).verbose(0);
        assertSameTraining(m -> SparkTrainer.synchronous(sc, m).fit(LocalSpark.dataSets(sc, x, y, 24, 2), options), 10);
    }

    @Test
    void averagingRoundsRetriedAfterAFailureGiveTheSameWeights() {
        // 2 epochs of 5 steps in rounds of 3 local steps: rounds of 3 and 2 steps, 4 jobs
        FitOptions options = FitOptions.epochs(2).batchSize(48).seed(4).verbose(0);
        assertSameTraining(m -> SparkTrainer.averaging(sc, m, 3).fit(LocalSpark.dataSets(sc, x, y, 24, 2), options), 4);
    }

    @Test
    void theInjectedFailureReallyFailsATaskWithoutRetries() {
        // the same layer under local[2]'s default of one attempt fails the fit: the retries above are what saved it
        JavaSparkContext noRetries = null;
        sc.stop();
        try {
            noRetries = LocalSpark.start("local[2]", "TaskRetryTest-noRetries");
            JavaSparkContext context = noRetries;
            failing = true;
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> SparkTrainer.synchronous(
                    context, model()).fit(LocalSpark.dataSets(context, x, y, 24, 2), FitOptions.epochs(1).verbose(0)));
            assertTrue(String.valueOf(e.getMessage()).contains("injected failure"), e.getMessage());
        } finally {
            failing = false;
            if (noRetries != null) {
                noRetries.stop();
            }
            sc = LocalSpark.start("local[2,4]", "TaskRetryTest");
        }
    }
}
