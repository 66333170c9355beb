package org.grad4j.models;

import java.util.List;
import java.util.Map;
import org.grad4j.data.Dataset;
import org.grad4j.models.callbacks.Callback;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arguments of Keras' {@code fit}, as an immutable value: start from {@link #epochs(int)} (or {@link
 * #defaults()}) and chain, e.g. {@code FitOptions.epochs(5).batchSize(128).validationData(xVal, yVal)}.
 * Every chained call returns a new FitOptions; the checks happen at once, so a bad value never reaches
 * {@code fit}.
 *
 * @param epochs          the epoch to stop before (training runs epochs {@code initialEpoch .. epochs-1})
 * @param batchSize       samples per step (Keras' default 32); the last, partial batch is used; a
 *                        {@link Dataset} brings its own batches, so for one it is ignored, as Keras does
 * @param xVal            validation inputs, or null
 * @param yVal            validation targets, or null
 * @param validationSplit fraction of the samples, taken from the end before shuffling, held out for
 *                        validation; 0 for none
 * @param validationFreq  validate after every {@code validationFreq}-th epoch (2: epochs 2, 4, ...)
 * @param shuffle         shuffle the training samples before each epoch (arrays only: a {@link Dataset}
 *                        shuffles itself with {@code shuffle(...)}, so for one it is ignored, as Keras does)
 * @param seed            the shuffle seed, or null to draw one from {@link org.grad4j.core.Seeds}
 * @param callbacks       called around training, epochs and batches
 * @param verbose         0 silent, 1 a progress bar (per-epoch lines when output is not a terminal), 2 one
 *                        line per epoch
 * @param initialEpoch    the epoch to start at (to resume training); at or past {@code epochs} no epoch runs
 *                        and fit logs a warning (Keras is silent)
 * @param classWeight     weight of each class index in the loss, or null
 * @param validationDataset validation data as a batched {@link Dataset}, or null (at most one of it and
 *                        {@code xVal} is set)
 * @param stepsPerEpoch   batches per epoch when training on a {@link Dataset}, or 0 for a full pass each epoch
 *                        (Keras' {@code steps_per_epoch=None}); required for an infinite dataset
 * @param validationSteps batches per validation when validating on a {@link Dataset}, or 0 for a full pass;
 *                        required for an infinite validation dataset
 */
public record FitOptions(int epochs, int batchSize, INDArray xVal, INDArray yVal, double validationSplit,
        int validationFreq, boolean shuffle, Long seed, List<Callback> callbacks, int verbose, int initialEpoch,
        Map<Integer, Double> classWeight, Dataset validationDataset, int stepsPerEpoch, int validationSteps) {

    public FitOptions {
        if (epochs < 0) {
            throw new IllegalArgumentException("FitOptions: epochs must be >= 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("FitOptions: batchSize must be > 0, got " + batchSize);
        }
        if ((xVal == null) != (yVal == null)) {
            throw new IllegalArgumentException("FitOptions: validationData needs both x and y, got "
                    + (xVal == null ? "no x" : "no y"));
        }
        if (validationSplit != 0 && !(validationSplit > 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("FitOptions: validationSplit must be in (0, 1), got " + validationSplit);
        }
        if (validationFreq <= 0) {
            throw new IllegalArgumentException("FitOptions: validationFreq must be > 0, got " + validationFreq);
        }
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("FitOptions: verbose must be 0 (silent), 1 (progress bar) or 2 "
                    + "(one line per epoch), got " + verbose);
        }
        if (initialEpoch < 0) {
            throw new IllegalArgumentException("FitOptions: initialEpoch must be >= 0, got " + initialEpoch);
        }
        if (xVal != null && validationDataset != null) {
            throw new IllegalArgumentException("FitOptions: validationData is either arrays or a Dataset, got both");
        }
        if (stepsPerEpoch < 0) {
            throw new IllegalArgumentException("FitOptions: stepsPerEpoch must be > 0 (or 0 for a full pass), got "
                    + stepsPerEpoch);
        }
        if (validationSteps < 0) {
            throw new IllegalArgumentException("FitOptions: validationSteps must be > 0 (or 0 for a full pass), got "
                    + validationSteps);
        }
        callbacks = List.copyOf(callbacks == null ? List.of() : callbacks);
        if (classWeight != null) {
            for (Map.Entry<Integer, Double> e : classWeight.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || e.getKey() < 0 || !(e.getValue() >= 0)) {
                    throw new IllegalArgumentException("FitOptions: classWeight needs class indices >= 0 mapped to "
                            + "weights >= 0, got " + e.getKey() + " -> " + e.getValue());
                }
            }
            classWeight = Map.copyOf(classWeight);
        }
    }

    /** One epoch, batches of 32, shuffled, progress bar: Keras' defaults. */
    public static FitOptions defaults() {
        return new FitOptions(1, 32, null, null, 0, 1, true, null, List.of(), 1, 0, null, null, 0, 0);
    }

    /** Keras' defaults with {@code epochs} epochs. */
    public static FitOptions epochs(int epochs) {
        return defaults().withEpochs(epochs);
    }

    public FitOptions withEpochs(int epochs) {
        return copy(c -> c.epochs = epochs);
    }

    public FitOptions batchSize(int batchSize) {
        return copy(c -> c.batchSize = batchSize);
    }

    /** Data to evaluate at the end of validation epochs; its results appear as {@code val_loss}, {@code val_<metric>}. */
    public FitOptions validationData(INDArray x, INDArray y) {
        if (x == null || y == null) {
            throw new IllegalArgumentException("FitOptions.validationData: x and y are both required, got "
                    + (x == null ? "x = null" : "") + (x == null && y == null ? " and " : "") + (y == null ? "y = null" : ""));
        }
        return copy(c -> {
            c.xVal = x;
            c.yVal = y;
            c.validationDataset = null;
        });
    }

    /**
     * Validation data as a batched {@link Dataset} of {@code (x, y[, sampleWeight])} elements, evaluated like
     * arrays (its results appear as {@code val_loss}, {@code val_<metric>}); it replaces validation arrays.
     * Each validation is a new pass over it, or its first {@link #validationSteps(int)} batches.
     */
    public FitOptions validationData(Dataset validation) {
        if (validation == null) {
            throw new IllegalArgumentException("FitOptions.validationData: the dataset is null");
        }
        return copy(c -> {
            c.xVal = null;
            c.yVal = null;
            c.validationDataset = validation;
        });
    }

    /**
     * Keras' {@code steps_per_epoch}, for training on a {@link Dataset}: each epoch takes this many batches, and
     * the next epoch continues the same pass where this one stopped; a pass that runs out ends its epoch early
     * (with a warning) and the next epoch starts a new one. Required for an infinite dataset ({@code repeat()}).
     */
    public FitOptions stepsPerEpoch(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("FitOptions: stepsPerEpoch must be > 0, got " + steps);
        }
        return copy(c -> c.stepsPerEpoch = steps);
    }

    /**
     * Keras' {@code validation_steps}: validate on the first {@code steps} batches of a validation {@link Dataset}
     * (a new pass each time). Required for an infinite validation dataset.
     */
    public FitOptions validationSteps(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("FitOptions: validationSteps must be > 0, got " + steps);
        }
        return copy(c -> c.validationSteps = steps);
    }

    public FitOptions validationSplit(double validationSplit) {
        if (!(validationSplit > 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("FitOptions: validationSplit must be in (0, 1), got " + validationSplit);
        }
        return copy(c -> c.validationSplit = validationSplit);
    }

    public FitOptions validationFreq(int validationFreq) {
        return copy(c -> c.validationFreq = validationFreq);
    }

    public FitOptions shuffle(boolean shuffle) {
        return copy(c -> c.shuffle = shuffle);
    }

    /** Seeds the shuffling: the same seed gives the same batches (and, with the same initial weights, the same result). */
    public FitOptions seed(long seed) {
        return copy(c -> c.seed = seed);
    }

    public FitOptions callbacks(Callback... callbacks) {
        return callbacks(List.of(callbacks));
    }

    public FitOptions callbacks(List<? extends Callback> callbacks) {
        return copy(c -> c.callbacks = List.copyOf(callbacks));
    }

    public FitOptions verbose(int verbose) {
        return copy(c -> c.verbose = verbose);
    }

    /** The epoch to start at: {@code epochs(8).initialEpoch(5)} runs epochs 5, 6 and 7. */
    public FitOptions initialEpoch(int initialEpoch) {
        return copy(c -> c.initialEpoch = initialEpoch);
    }

    /** Weighs each sample's loss by its class ({@code {0: 1.0, 1: 5.0}}); classes not listed weigh 1. */
    public FitOptions classWeight(Map<Integer, Double> classWeight) {
        return copy(c -> c.classWeight = classWeight);
    }

    /** The components, mutable, so that each "with" method names only what it changes. */
    private static final class Copy {
        int epochs;
        int batchSize;
        INDArray xVal;
        INDArray yVal;
        double validationSplit;
        int validationFreq;
        boolean shuffle;
        Long seed;
        List<Callback> callbacks;
        int verbose;
        int initialEpoch;
        Map<Integer, Double> classWeight;
        Dataset validationDataset;
        int stepsPerEpoch;
        int validationSteps;
    }

    private FitOptions copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy();
        c.epochs = epochs;
        c.batchSize = batchSize;
        c.xVal = xVal;
        c.yVal = yVal;
        c.validationSplit = validationSplit;
        c.validationFreq = validationFreq;
        c.shuffle = shuffle;
        c.seed = seed;
        c.callbacks = callbacks;
        c.verbose = verbose;
        c.initialEpoch = initialEpoch;
        c.classWeight = classWeight;
        c.validationDataset = validationDataset;
        c.stepsPerEpoch = stepsPerEpoch;
        c.validationSteps = validationSteps;
        change.accept(c);
        return new FitOptions(c.epochs, c.batchSize, c.xVal, c.yVal, c.validationSplit, c.validationFreq, c.shuffle,
                c.seed, c.callbacks, c.verbose, c.initialEpoch, c.classWeight, c.validationDataset, c.stepsPerEpoch,
                c.validationSteps);
    }

    /** Whether there is anything to validate on. */
    public boolean hasValidation() {
        return xVal != null || validationDataset != null || validationSplit > 0;
    }
}
