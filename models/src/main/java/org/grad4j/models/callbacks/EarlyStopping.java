package org.grad4j.models.callbacks;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code EarlyStopping}: ends {@code fit} once the monitored quantity has not improved for
 * {@code patience} epochs.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(100).validationSplit(0.2)
 *         .callbacks(new EarlyStopping("val_loss").patience(5).restoreBestWeights(true)));
 * }</pre>
 *
 * <p>As in Keras 3: a value improves when it beats the best so far by more than {@code minDelta}; with a
 * {@code baseline}, the patience count restarts only on values that also beat the baseline; epochs before
 * {@code startFromEpoch} are ignored; with {@code restoreBestWeights} the weights of the best epoch are put
 * back when training ends, whether or not patience ran out. A monitor missing from the logs is a warning
 * (listing the entries that exist) and the epoch is skipped.
 */
public class EarlyStopping extends Callback {
    private final String monitor;
    private double minDelta;
    private int patience;
    private Mode mode = Mode.AUTO;
    private boolean restoreBestWeights;
    private Double baseline;
    private int startFromEpoch;
    private int verbose;

    private Monitor watch;
    private double best;
    private int wait;
    private int stoppedEpoch;
    private int bestEpoch;
    private List<INDArray> bestWeights;

    /** Monitors {@code val_loss}, Keras' default. */
    public EarlyStopping() {
        this("val_loss");
    }

    /** @param monitor a log entry: {@code loss}, {@code val_loss}, {@code val_accuracy}, ... */
    public EarlyStopping(String monitor) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("EarlyStopping: monitor must name a log entry such as \"val_loss\", got "
                    + (monitor == null ? "null" : "\"" + monitor + "\""));
        }
        this.monitor = monitor;
    }

    /** Changes of at most this much are no improvement (default 0). */
    public EarlyStopping minDelta(double minDelta) {
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
    public EarlyStopping patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    public EarlyStopping mode(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("EarlyStopping: mode must be auto, min or max, got null");
        }
        this.mode = mode;
        return this;
    }

    /** Keras spelling: {@code "auto"}, {@code "min"} or {@code "max"}. */
    public EarlyStopping mode(String mode) {
        return mode(Mode.of(mode));
    }

    /** Put back the weights of the best epoch when training ends (default false: keep the last weights). */
    public EarlyStopping restoreBestWeights(boolean restoreBestWeights) {
        this.restoreBestWeights = restoreBestWeights;
        return this;
    }

    /** A value the monitored quantity must beat for the patience count to restart; null for none. */
    public EarlyStopping baseline(Double baseline) {
        this.baseline = baseline;
        return this;
    }

    /** Epochs of warm-up during which nothing is monitored (default 0). */
    public EarlyStopping startFromEpoch(int startFromEpoch) {
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: startFromEpoch must be >= 0, got " + startFromEpoch);
        }
        this.startFromEpoch = startFromEpoch;
        return this;
    }

    /** 1: print when stopping and when restoring weights; 0 (default): silent. */
    public EarlyStopping verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    public String monitor() {
        return monitor;
    }

    /** The epoch (from 0) at which training was stopped, or 0 if it ran to the end, as in Keras. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (from 0) with the best monitored value so far. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value so far (infinite before the first one). */
    public double best() {
        return best;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        // a callback may serve several fit calls; each starts afresh
        watch = new Monitor(EarlyStopping.class, monitor, mode, minDelta);
        best = watch.worst();
        wait = 0;
        stoppedEpoch = 0;
        bestEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (watch == null) {
            onTrainBegin(Map.of());
        }
        Double current = watch.read(logs, "early stopping is not checked in such epochs");
        if (current == null || epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            // the first monitored epoch is the best one until another beats it
            bestWeights = model().getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (watch.improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().getWeights();
            }
            if (baseline == null || watch.improves(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().stopTraining(true);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) {
            System.out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) {
                System.out.println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            model().setWeights(bestWeights);
        }
        bestWeights = null;
    }
}
