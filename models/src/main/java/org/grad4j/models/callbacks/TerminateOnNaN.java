package org.grad4j.models.callbacks;

import java.io.PrintStream;
import java.util.Map;

/**
 * Keras' {@code TerminateOnNaN}: stops {@code fit} as soon as a batch's loss is NaN or infinite, since
 * every later step would only spread the bad values through the weights. Training ends after the current
 * epoch's end hooks run (so History and CSVLogger still record it).
 */
public class TerminateOnNaN extends Callback {
    private final PrintStream out;

    /** Reports on standard output, as Keras prints. */
    public TerminateOnNaN() {
        this(System.out);
    }

    /** @param out where to report the batch that stopped training */
    public TerminateOnNaN(PrintStream out) {
        if (out == null) {
            throw new IllegalArgumentException("TerminateOnNaN: an output stream is required, got null");
        }
        this.out = out;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs == null ? null : logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            out.println("Batch " + batch + ": Invalid loss, terminating training");
            out.flush();
            model().stopTraining(true);
        }
    }
}
