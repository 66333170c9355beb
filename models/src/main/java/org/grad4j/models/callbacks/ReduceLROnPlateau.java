package org.grad4j.models.callbacks;

import java.util.Map;
import org.grad4j.optimizers.Optimizer;

/**
 * Keras' {@code ReduceLROnPlateau}: multiplies the optimizer's learning rate by {@code factor} once the
 * monitored quantity has not improved for {@code patience} epochs, never below {@code minLr}, then waits
 * {@code cooldown} epochs before counting again.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.epochs(50).validationSplit(0.2)
 *         .callbacks(new ReduceLROnPlateau("val_loss").factor(0.2).patience(5).minLr(1e-4)));
 * }</pre>
 *
 * <p>Each epoch's logs get {@code learning_rate}: the rate that epoch trained with (a reduction made at its
 * end shows from the next epoch on), as Keras logs it. The learning rate must be a constant: an optimizer
 * driven by a {@link org.grad4j.optimizers.LearningRateSchedule} is refused when training begins.
 */
public class ReduceLROnPlateau extends Callback {
    private final String monitor;
    private double factor = 0.1;
    private int patience = 10;
    private Mode mode = Mode.AUTO;
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;
    private int verbose;

    private Monitor watch;
    private double best;
    private int wait;
    private int cooldownCounter;

    /** Monitors {@code val_loss}, Keras' default. */
    public ReduceLROnPlateau() {
        this("val_loss");
    }

    /** @param monitor a log entry: {@code loss}, {@code val_loss}, {@code val_accuracy}, ... */
    public ReduceLROnPlateau(String monitor) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("ReduceLROnPlateau: monitor must name a log entry such as \"val_loss\", got "
                    + (monitor == null ? "null" : "\"" + monitor + "\""));
        }
        this.monitor = monitor;
    }

    /** {@code newLr = lr * factor}; in (0, 1) (default 0.1). */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1) so that the learning rate "
                    + "goes down and stays positive, got " + factor);
        }
        this.factor = factor;
        return this;
    }

    /** Epochs without improvement before a reduction (default 10). */
    public ReduceLROnPlateau patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    public ReduceLROnPlateau mode(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau: mode must be auto, min or max, got null");
        }
        this.mode = mode;
        return this;
    }

    /** Keras spelling: {@code "auto"}, {@code "min"} or {@code "max"}. */
    public ReduceLROnPlateau mode(String mode) {
        return mode(Mode.of(mode));
    }

    /** Changes of at most this much are no improvement (default 1e-4). */
    public ReduceLROnPlateau minDelta(double minDelta) {
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minDelta must be >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /**
     * Epochs after a reduction during which no patience is counted (default 0). As in Keras and PyTorch the
     * epoch in which the cooldown runs out already counts, so {@code cooldown(n)} leaves {@code n - 1}
     * epochs out of the count.
     */
    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + cooldown);
        }
        this.cooldown = cooldown;
        return this;
    }

    /** The learning rate is never reduced below this (default 0). */
    public ReduceLROnPlateau minLr(double minLr) {
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minLr must be a finite value >= 0, got " + minLr);
        }
        this.minLr = minLr;
        return this;
    }

    /** 1: print each reduction; 0 (default): silent. */
    public ReduceLROnPlateau verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    public String monitor() {
        return monitor;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        Optimizer optimizer = model().optimizer();
        if (optimizer.learningRateSchedule().isPresent()) {
            throw new IllegalStateException("ReduceLROnPlateau: the learning rate of " + optimizer.getClass().getSimpleName()
                    + " follows the schedule " + optimizer.learningRateSchedule().get()
                    + ", so it cannot be lowered on a plateau; compile with a constant learning rate, or drop the callback");
        }
        watch = new Monitor(ReduceLROnPlateau.class, monitor, mode, minDelta);
        best = watch.worst();
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (watch == null) {
            onTrainBegin(Map.of());
        }
        Optimizer optimizer = model().optimizer();
        logs.put("learning_rate", optimizer.learningRate());
        Double current = watch.read(logs, "the learning rate is not changed in such epochs");
        if (current == null) {
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (watch.improves(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double oldLr = optimizer.learningRate();
                if (oldLr > minLr) {
                    double newLr = Math.max(oldLr * factor, minLr);
                    optimizer.learningRate(newLr);
                    if (verbose > 0) {
                        System.out.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + newLr + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
