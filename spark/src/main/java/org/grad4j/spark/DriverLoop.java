package org.grad4j.spark;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;
import org.grad4j.metrics.Mean;
import org.grad4j.metrics.Metric;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Model;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.models.callbacks.CallbackList;
import org.grad4j.models.callbacks.ProgbarLogger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code model.fit}'s epoch loop on the driver around a {@link DistributedRun}: callbacks, the progress bar, the
 * running loss and metrics, validation every {@code validationFreq} epochs and the {@link History}, with Keras'
 * logs. A job of parameter averaging covers k steps: the batch callbacks see its first and last step.
 */
final class DriverLoop {
    private static final System.Logger LOG = System.getLogger("org.grad4j.spark");

    private final Model model;
    private final DistributedRun run;
    private final FitOptions options;
    private final Mean lossTracker = new Mean("loss");

    DriverLoop(Model model, DistributedRun run, FitOptions options) {
        this.model = model;
        this.run = run;
        this.options = options;
    }

    History run() {
        int steps = run.plan.steps();
        History history = new History();
        List<Callback> all = new ArrayList<>();
        if (options.verbose() > 0) {
            all.add(new ProgbarLogger(options.verbose()));
        }
        all.addAll(options.callbacks());
        all.add(history);
        CallbackList callbacks = new CallbackList(all);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", options.verbose());
        params.put("epochs", options.epochs());
        params.put("steps", steps);
        callbacks.setModel(model);
        callbacks.setParams(params);
        model.stopTraining(false);
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        boolean nanReported = false;
        callbacks.onTrainBegin(new LinkedHashMap<>());
        for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
            resetMetrics();
            callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
            Map<String, Double> logs = null;
            for (int step = 0; step < steps; step += run.stepsPerJob()) {
                int count = Math.min(run.stepsPerJob(), steps - step);
                callbacks.onTrainBatchBegin(step, new LinkedHashMap<>());
                StepTotals totals = run.advance(epoch, step, count);
                logs = update(totals);
                if (!nanReported && !Double.isFinite(logs.get("loss"))) {
                    nanReported = true;
                    LOG.log(Level.WARNING, "SparkTrainer.fit: the loss is " + logs.get("loss") + " at epoch " + epoch
                            + ", step " + (step + count - 1) + "; add TerminateOnNaN to stop training when this happens");
                }
                callbacks.onTrainBatchEnd(step + count - 1, logs);
                if (model.stopTraining()) {
                    break;
                }
            }
            epochLogs = logs == null ? results() : new LinkedHashMap<>(logs);
            if (options.hasValidation() && (epoch + 1) % options.validationFreq() == 0) {
                for (Map.Entry<String, Double> e : validate().entrySet()) {
                    epochLogs.put("val_" + e.getKey(), e.getValue());
                }
            }
            epochLogs.put("learning_rate", model.optimizer().learningRate());
            callbacks.onEpochEnd(epoch, epochLogs);
            if (model.stopTraining()) {
                break;
            }
        }
        callbacks.onTrainEnd(epochLogs);
        return history;
    }

    /** Folds a job's loss and predictions into the running logs, as the single-process loop does per batch. */
    private Map<String, Double> update(StepTotals totals) {
        try (NoGrad scope = NoGrad.enter()) {
            lossTracker.updateState(totals.lossSum / totals.samples, totals.samples);
            for (StepTotals.Prediction p : totals.orderedPredictions()) {
                List<INDArray> pair = p.labelsAndOutputs().toArrays();
                Tensor y = Tensor.of(pair.get(0));
                Tensor yPred = Tensor.of(pair.get(1));
                for (Metric metric : model.metrics()) {
                    metric.updateState(y, yPred, null);
                }
            }
        }
        return results();
    }

    private Map<String, Double> validate() {
        if (options.validationDataset() != null) {
            return model.evaluate(options.validationDataset(), options.validationSteps());
        }
        return model.evaluate(options.xVal(), options.yVal(), options.batchSize());
    }

    private void resetMetrics() {
        lossTracker.reset();
        model.metrics().forEach(Metric::reset);
    }

    private Map<String, Double> results() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossTracker.result());
        for (Metric metric : model.metrics()) {
            logs.put(metric.name(), metric.result());
        }
        return logs;
    }
}
