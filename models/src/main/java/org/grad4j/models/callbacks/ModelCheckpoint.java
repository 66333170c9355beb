package org.grad4j.models.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code ModelCheckpoint}: saves the model ({@link org.grad4j.models.Model#save}) or only its
 * weights ({@link org.grad4j.models.Model#saveWeights}) during {@code fit}, after every epoch or every
 * {@code saveFreq} batches, and with {@code saveBestOnly} only when the monitored quantity improved.
 *
 * <pre>{@code
 * new ModelCheckpoint("ckpt/model-{epoch:02d}-{val_loss:.3f}.g4j").monitor("val_loss").saveBestOnly(true)
 * }</pre>
 *
 * <p>The file name may hold Python format fields, filled in at each save: {@code {epoch}} (from 1, as
 * Keras numbers epochs in names), {@code {batch}} (from 1, when saving every n batches) and any log entry
 * ({@code {loss:.4f}}, {@code {val_accuracy:.2f}}); see {@link FilepathTemplate} for the specs. Without an
 * {@code {epoch}} field the same file is overwritten, so with {@code saveBestOnly} it always holds the best
 * model. Missing parent directories are created.
 *
 * <p>With {@code saveBestOnly} and the monitored entry absent from the logs (e.g. {@code val_loss} on an
 * epoch without validation), nothing is saved and a warning names the entries there are: a model nobody
 * measured must not replace the best one.
 */
public class ModelCheckpoint extends Callback {
    private final FilepathTemplate filepath;
    private String monitor = "val_loss";
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private Mode mode = Mode.AUTO;
    private int saveFreq;
    private Double initialValueThreshold;
    private int verbose;

    private Monitor watch;
    private double best;
    private int epoch;
    private int batchesSinceSave;

    /** @param filepath where to save; may hold format fields such as {@code {epoch:02d}} */
    public ModelCheckpoint(Path filepath) {
        this(filepath == null ? null : filepath.toString());
    }

    /**
     * @param filepath where to save; may hold format fields such as {@code {epoch:02d}} (a String, since
     *                 {@code :} in a field is not a legal path character everywhere)
     */
    public ModelCheckpoint(String filepath) {
        if (filepath == null || filepath.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint: a filepath is required, e.g. \"ckpt-{epoch:02d}.g4j\", got "
                    + (filepath == null ? "null" : "\"" + filepath + "\""));
        }
        this.filepath = new FilepathTemplate(filepath);
    }

    /** The log entry judged by {@code saveBestOnly} (default {@code val_loss}). */
    public ModelCheckpoint monitor(String monitor) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint: monitor must name a log entry such as \"val_loss\", got "
                    + (monitor == null ? "null" : "\"" + monitor + "\""));
        }
        this.monitor = monitor;
        return this;
    }

    /** Save only when the monitored quantity beats the best seen so far (default false: save every time). */
    public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
        this.saveBestOnly = saveBestOnly;
        return this;
    }

    /** Save the weights alone, with {@code saveWeights}, instead of the whole model (default false). */
    public ModelCheckpoint saveWeightsOnly(boolean saveWeightsOnly) {
        this.saveWeightsOnly = saveWeightsOnly;
        return this;
    }

    public ModelCheckpoint mode(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("ModelCheckpoint: mode must be auto, min or max, got null");
        }
        this.mode = mode;
        return this;
    }

    /** Keras spelling: {@code "auto"}, {@code "min"} or {@code "max"}. */
    public ModelCheckpoint mode(String mode) {
        return mode(Mode.of(mode));
    }

    /** Save every {@code batches} training batches instead of at each epoch's end. */
    public ModelCheckpoint saveFreq(int batches) {
        if (batches <= 0) {
            throw new IllegalArgumentException("ModelCheckpoint: saveFreq must be \"epoch\" or a number of batches > 0, got "
                    + batches);
        }
        this.saveFreq = batches;
        return this;
    }

    /** Keras spelling: {@code "epoch"} (the default), or a number of batches such as {@code "100"}. */
    public ModelCheckpoint saveFreq(String saveFreq) {
        if ("epoch".equals(saveFreq)) {
            this.saveFreq = 0;
            return this;
        }
        try {
            return saveFreq(Integer.parseInt(saveFreq == null ? "" : saveFreq.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ModelCheckpoint: saveFreq must be \"epoch\" or a number of batches, got "
                    + (saveFreq == null ? "null" : "\"" + saveFreq + "\""), e);
        }
    }

    /** With {@code saveBestOnly}: the value to beat before the first save; null (default) for none. */
    public ModelCheckpoint initialValueThreshold(Double threshold) {
        this.initialValueThreshold = threshold;
        return this;
    }

    /** 1: print each save decision; 0 (default): silent. */
    public ModelCheckpoint verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    public String monitor() {
        return monitor;
    }

    /** The best monitored value saved so far (infinite, or the initial threshold, before the first save). */
    public double best() {
        return best;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        watch = new Monitor(ModelCheckpoint.class, monitor, mode, 0);
        best = initialValueThreshold != null ? initialValueThreshold : watch.worst();
        batchesSinceSave = 0;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        this.epoch = epoch;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (saveFreq > 0 && ++batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(epoch, batch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            save(epoch, -1, logs);
        }
    }

    private void save(int epoch, int batch, Map<String, Double> logs) {
        if (watch == null) {
            onTrainBegin(Map.of());
        }
        if (saveBestOnly) {
            Double current = watch.read(logs, "saveBestOnly cannot judge such epochs, so they are not saved");
            if (current == null) {
                return;
            }
            if (!watch.improves(current, best)) {
                say("Epoch " + (epoch + 1) + ": " + monitor + " did not improve from " + Monitor.format(best));
                return;
            }
            Path path = path(epoch, batch, logs);
            say("Epoch " + (epoch + 1) + ": " + monitor + " improved from " + Monitor.format(best) + " to "
                    + Monitor.format(current) + ", saving model to " + path);
            write(path);
            best = current;
            return;
        }
        Path path = path(epoch, batch, logs);
        say("Epoch " + (epoch + 1) + ": saving model to " + path);
        write(path);
    }

    private Path path(int epoch, int batch, Map<String, Double> logs) {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("epoch", epoch + 1);
        if (batch >= 0) {
            values.put("batch", batch + 1);
        }
        if (logs != null) {
            logs.forEach((k, v) -> values.putIfAbsent(k, v));
        }
        return Path.of(filepath.format(values));
    }

    private void write(Path path) {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException("ModelCheckpoint: " + path + " is an existing directory; give a file path, "
                    + "e.g. " + path.resolve("model-{epoch:02d}.g4j"));
        }
        Path parent = path.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot create the directory " + parent + " for " + path, e);
        }
        if (saveWeightsOnly) {
            model().saveWeights(path);
        } else {
            model().save(path);
        }
    }

    private void say(String message) {
        if (verbose > 0) {
            System.out.println(message);
        }
    }
}
