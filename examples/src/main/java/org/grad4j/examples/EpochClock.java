package org.grad4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grad4j.models.callbacks.Callback;

/**
 * Times each epoch and prints its line as soon as it ends, so a long run shows progress. The seconds are wall
 * time from epoch begin to epoch end: they include the shuffling, batching and metrics, not only the steps.
 */
final class EpochClock extends Callback {
    private final int epochs;
    private final List<String> keys;
    private final PrintStream out;
    private final List<Double> seconds = new ArrayList<>();
    private long started;

    EpochClock(int epochs, List<String> keys, PrintStream out) {
        this.epochs = epochs;
        this.keys = List.copyOf(keys);
        this.out = out;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        started = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        seconds.add(elapsed);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs", epoch + 1, epochs, elapsed));
        for (String key : keys) {
            Double value = logs.get(key);
            if (value != null) {
                line.append(String.format(Locale.ROOT, " - %s: %.4f", key, value));
            }
        }
        out.println(line);
    }

    /** The seconds of each finished epoch, in order. */
    List<Double> seconds() {
        return List.copyOf(seconds);
    }
}
