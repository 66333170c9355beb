package org.grad4j.layers;

import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;

class RnnTimingScratchTest {
    static double time(RecurrentLayer<?> layer, Tensor x, int reps) {
        for (int i = 0; i < 5; i++) step(layer, x);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            step(layer, x);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
    static void step(RecurrentLayer<?> layer, Tensor x) {
        GradientTape tape = GradientTape.open();
        Tensor loss;
        try (tape) { loss = layer.call(x, true).square().mean(); }
        List<Variable> vars = layer.trainableWeights();
        tape.gradient(loss, vars);
    }
    @Test
    void profile() throws Exception {
        Tensor x = LayerTesting.normal(1, 32, 50, 10);
        LSTM l = new LSTM(64);
        for (int i = 0; i < 5; i++) step(l, x);
        Thread main = Thread.currentThread();
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!stop.get()) {
                StackTraceElement[] st = main.getStackTrace();
                StringBuilder key = new StringBuilder();
                int n = 0;
                for (StackTraceElement e : st) {
                    if (e.getClassName().startsWith("org.grad4j")) {
                        key.append(e.getClassName().replace("org.grad4j.", "")).append('.').append(e.getMethodName()).append(':').append(e.getLineNumber()).append(" < ");
                        if (++n == 3) break;
                    }
                }
                counts.merge(key.toString(), 1, Integer::sum);
                try { Thread.sleep(0, 200000); } catch (InterruptedException e) { return; }
            }
        });
        sampler.start();
        for (int i = 0; i < 20; i++) step(l, x);
        stop.set(true);
        sampler.join();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(16)
                .forEach(e -> System.out.println("PROF " + e.getValue() + " " + e.getKey()));
    }

    @Test
    void timing() {
        int[][] cfg = {{32, 50, 10, 64}, {128, 30, 16, 32}, {8, 20, 3, 8}};
        for (int[] c : cfg) {
            Tensor x = LayerTesting.normal(1, c[0], c[1], c[2]);
            for (RecurrentLayer<?> l : List.<RecurrentLayer<?>>of(new LSTM(c[3]), new GRU(c[3]), new SimpleRNN(c[3]))) {
                System.out.printf("TIMING %s batch %d steps %d feat %d units %d: best %.2f ms forward+backward%n", l.className(), c[0], c[1], c[2], c[3], time(l, x, 10));
            }
        }
    }
}
