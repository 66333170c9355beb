package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One model is used by one thread at a time while it trains: a second thread's fit, trainOnBatch,
 * evaluate, predict, compile or save is refused with an IllegalStateException instead of interleaving
 * with (or reading) the first one's updates. The same thread may call back into the model from a
 * callback; separate models train in parallel. Latches make every overlap certain, not timing-dependent.
 */
class ConcurrentUseTest {
    private static final long TIMEOUT_SECONDS = 30;
    private final TestData.Set data = TestData.linear(40, new double[] {1, -2}, 0.5, 0.1, 3);

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(5);
    }

    private static Sequential linear() {
        Sequential model = new Sequential(new InputLayer(2), new Dense(1));
        model.compile(new SGD(0.1), "mse");
        return model;
    }

    /** Signals {@code started} at the first batch, then waits for {@code release}. */
    private static Callback pauseAtFirstBatch(CountDownLatch started, CountDownLatch release) {
        return new Callback() {
            @Override
            public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
                if (started.getCount() > 0) {
                    started.countDown();
                    await(release);
                }
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out waiting for the other thread");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code body} in a new named thread; the returned reference holds what it threw, once joined. */
    private static Thread start(String name, Runnable body, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
    }

    @Test
    void aSecondThreadCannotFitEvaluateOrPredictWhileTheFirstTrains() throws Exception {
        Sequential model = linear();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        FitOptions options = FitOptions.epochs(2).batchSize(10).shuffle(false).verbose(0);
        Thread trainer = start("trainer-A", () -> model.fit(data.x(), data.y(),
                options.callbacks(pauseAtFirstBatch(started, release))), failure);
        try {
            await(started);
            IllegalStateException fit = assertThrows(IllegalStateException.class,
                    () -> model.fit(data.x(), data.y(), options));
            assertEquals("fit: this model is already training in another thread (trainer-A); a model trains in one "
                    + "thread at a time", fit.getMessage());
            IllegalStateException step = assertThrows(IllegalStateException.class,
                    () -> model.trainOnBatch(data.x(), data.y()));
            assertTrue(step.getMessage().startsWith("trainOnBatch: this model is already training in another thread "
                    + "(trainer-A)"), step.getMessage());
            for (Runnable reader : List.<Runnable>of(() -> model.evaluate(data.x(), data.y()), () -> model.predict(data.x()),
                    () -> model.compile(new SGD(0.5), "mse"), model::getWeights)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, reader::run);
                assertTrue(e.getMessage().contains("this model is training in another thread (trainer-A)"), e.getMessage());
            }
            assertEquals(0, model.optimizer().iterations(), "nothing ran besides the paused fit");
        } finally {
            release.countDown();
        }
        join(trainer);
        assertNull(failure.get());
        assertEquals(8, model.optimizer().iterations(), "the first fit ran all its steps, alone");

        // the guard is released: this thread may train now
        model.fit(data.x(), data.y(), options);
        assertEquals(16, model.optimizer().iterations());
    }

    @Test
    void aFitThatFailsReleasesTheModel() throws Exception {
        Sequential model = linear();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Callback failing = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                throw new IllegalStateException("callback failed");
            }
        };
        join(start("failing", () -> model.fit(data.x(), data.y(), FitOptions.epochs(3).callbacks(failing).verbose(0)),
                failure));
        assertEquals("callback failed", failure.get().getMessage());
        // another thread (the guard is reentrant for its own thread, so only another one shows the release)
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(1, history.epochs().size());

        AtomicReference<Throwable> badArguments = new AtomicReference<>();
        join(start("bad-arguments", () -> model.fit(data.x(), data.y().getRow(0).reshape(1, 1), FitOptions.epochs(1)),
                badArguments));
        assertTrue(badArguments.get() instanceof IllegalArgumentException, String.valueOf(badArguments.get()));
        model.predict(data.x());
    }

    @Test
    void theTrainingThreadMayUseItsModelFromCallbacks() {
        Sequential model = linear();
        List<String> seen = new ArrayList<>();
        Callback reentrant = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                INDArray p = model().predict(data.x());
                Map<String, Double> scores = model().evaluate(data.x(), data.y());
                model().setWeights(model().getWeights());
                seen.add(p.size(0) + " " + scores.containsKey("loss"));
            }
        };
        model.fit(data.x(), data.y(), FitOptions.epochs(2).callbacks(reentrant).verbose(0));
        assertEquals(List.of("40 true", "40 true"), seen);
    }

    @Test
    void separateModelsTrainInParallel() throws Exception {
        Sequential first = linear();
        Sequential second = linear();
        CyclicBarrier bothTraining = new CyclicBarrier(2);
        Callback meet = new Callback() {
            @Override
            public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
                if (batch == 0) {
                    try {
                        bothTraining.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);   // both fits are inside their loops here
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        AtomicReference<Throwable> one = new AtomicReference<>();
        AtomicReference<Throwable> two = new AtomicReference<>();
        FitOptions options = FitOptions.epochs(2).batchSize(10).callbacks(meet).verbose(0);
        Thread a = start("first", () -> first.fit(data.x(), data.y(), options), one);
        Thread b = start("second", () -> second.fit(data.x(), data.y(), options), two);
        join(a);
        join(b);
        assertNull(one.get());
        assertNull(two.get());
        assertEquals(8, first.optimizer().iterations());
        assertEquals(8, second.optimizer().iterations());
    }

    /** A model whose forward pass waits at a gate in one chosen thread, to hold a predict open. */
    static final class Gated extends Model {
        final Dense out = track(new Dense(1));
        volatile Thread gated;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Tensor call(Tensor x, boolean training) {
            if (Thread.currentThread() == gated) {
                entered.countDown();
                await(release);
            }
            return out.apply(x, training);
        }
    }

    @Test
    void predictionsMayOverlapButNotATrainingRun() throws Exception {
        Gated model = new Gated();
        model.build(2);
        model.compile(new SGD(0.1), "mse");
        INDArray expected = model.predict(data.x());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<INDArray> predicted = new AtomicReference<>();
        Thread predictor = new Thread(() -> {
            try {
                predicted.set(model.predict(data.x()));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "predictor");
        model.gated = predictor;
        predictor.start();
        try {
            await(model.entered);
            assertEquals(expected, model.predict(data.x()), "a second predict runs beside the first");
            IllegalStateException fit = assertThrows(IllegalStateException.class,
                    () -> model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0)));
            assertEquals("fit: this model is predicting in another thread (predictor); a model trains only while no "
                    + "other thread uses it (wait for predict to return)", fit.getMessage());
            assertEquals(0, model.optimizer().iterations());
        } finally {
            model.release.countDown();
        }
        join(predictor);
        assertNull(failure.get());
        assertEquals(expected, predicted.get());
        model.fit(data.x(), data.y(), FitOptions.epochs(1).verbose(0));
        assertEquals(2, model.optimizer().iterations());
    }
}
