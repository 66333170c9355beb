package org.grad4j.models.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' progress output for {@code fit}, added by {@code verbose(1)} or {@code verbose(2)}.
 *
 * <ul>
 *   <li>verbose 1 on an interactive terminal: a bar redrawn in place (at most every 50 ms) with steps,
 *       elapsed time, time per step and the running loss and metrics:
 *       {@code 12/32 ━━━━━━━━━━━━━━━━━━━━ 1s 30ms/step - loss: 0.1234}; when the number of steps is not known
 *       (an iterator, a Dataset of unknown size) {@code 12/Unknown 1s 30ms/step - loss: 0.1234} in the first
 *       epoch, and the bar with the number learnt from it in later ones</li>
 *   <li>verbose 1 when output is not a terminal (CI logs, files), and verbose 2: one plain line per epoch,
 *       {@code 32/32 - 1s - 30ms/step - loss: 0.1234 - val_loss: 0.2345}, never carriage returns.</li>
 * </ul>
 */
public class ProgbarLogger extends Callback {
    private static final int BAR_WIDTH = 20;
    private static final long REDRAW_NANOS = 50_000_000L;

    private final int verbose;
    private final PrintStream out;
    private final boolean interactive;
    private long epochStart;
    private long lastDraw;
    private int seen;
    private int lastWidth;
    /** Steps per epoch learnt at the end of the first epoch when the data's size was not known before (Keras does too). */
    private int learntSteps;

    /** Writes to standard output; a bar only when it is an interactive terminal. */
    public ProgbarLogger(int verbose) {
        this(verbose, System.out, isTerminal());
    }

    /**
     * @param verbose     1 (bar, or per-epoch lines when not interactive) or 2 (per-epoch lines)
     * @param out         where to write
     * @param interactive whether {@code out} is a terminal that understands carriage returns
     */
    public ProgbarLogger(int verbose, PrintStream out, boolean interactive) {
        if (verbose != 1 && verbose != 2) {
            throw new IllegalArgumentException("ProgbarLogger: verbose must be 1 or 2, got " + verbose);
        }
        this.verbose = verbose;
        this.out = out;
        this.interactive = interactive && verbose == 1;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        learntSteps = 0;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Object epochs = params().get("epochs");
        out.println("Epoch " + (epoch + 1) + "/" + (epochs == null ? "?" : epochs));
        epochStart = System.nanoTime();
        lastDraw = 0;
        seen = 0;
        lastWidth = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        seen = batch + 1;
        long now = System.nanoTime();
        if (interactive && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            String line = barLine(seen, logs, now);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            out.flush();
            lastWidth = line.length();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        if (interactive) {
            String line = barLine(seen, logs, now);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())) + "\n");
        } else {
            out.println(plainLine(seen, logs, now));
        }
        out.flush();
        if (!(params().get("steps") instanceof Number)) {
            learntSteps = seen;
        }
    }

    private String barLine(int step, Map<String, Double> logs, long now) {
        int total = steps(0);
        if (total <= 0) {   // as Keras' Progbar without a target: a counter, no bar
            return String.format(Locale.ROOT, "%7d/Unknown ", step) + seconds(now - epochStart) + " "
                    + perStep(now - epochStart, step) + values(logs);
        }
        int done = (int) Math.min(BAR_WIDTH, (long) BAR_WIDTH * step / total);
        return pad(step, total) + "/" + total + " " + "━".repeat(done) + "─".repeat(BAR_WIDTH - done) + " "
                + seconds(now - epochStart) + " " + perStep(now - epochStart, step) + values(logs);
    }

    private String plainLine(int step, Map<String, Double> logs, long now) {
        int total = steps(step);
        return (total > 0 ? step + "/" + total : Integer.toString(step)) + " - " + seconds(now - epochStart) + " - "
                + perStep(now - epochStart, step) + values(logs);
    }

    private int steps(int fallback) {
        Object steps = params().get("steps");
        if (steps instanceof Number n) {
            return n.intValue();
        }
        return learntSteps > 0 ? learntSteps : fallback;
    }

    private static String pad(int step, int total) {
        String s = Integer.toString(step);
        return " ".repeat(Math.max(0, Integer.toString(total).length() - s.length())) + s;
    }

    private static String seconds(long nanos) {
        return Math.round(nanos / 1e9) + "s";
    }

    /** Keras' time per step: {@code 1s/step}, {@code 30ms/step} or {@code 500us/step}. */
    static String perStep(long nanos, int steps) {
        double each = steps == 0 ? 0 : nanos / 1e9 / steps;
        if (each >= 1) {
            return Math.round(each) + "s/step";
        }
        if (each >= 1e-3) {
            return Math.round(each * 1e3) + "ms/step";
        }
        return Math.round(each * 1e6) + "us/step";
    }

    /**
     * {@code  - loss: 0.1234 - accuracy: 0.9500}; tiny values in scientific notation and NaN as {@code nan},
     * as Keras (Python) prints them.
     */
    static String values(Map<String, Double> logs) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            s.append(" - ").append(e.getKey()).append(": ");
            if (!Double.isFinite(v)) {
                s.append(Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
            } else {
                s.append(Math.abs(v) > 1e-3 || v == 0
                        ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v));
            }
        }
        return s.toString();
    }

    /**
     * Whether standard output is an interactive terminal. Up to JDK 21 {@code System.console()} is null when
     * output is redirected; from JDK 22 it always exists and {@code isTerminal()} tells.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
