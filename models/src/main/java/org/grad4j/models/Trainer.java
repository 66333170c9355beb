package org.grad4j.models;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.losses.LossFunctionWrapper;
import org.grad4j.metrics.Mean;
import org.grad4j.metrics.Metric;
import org.grad4j.models.callbacks.Callback;
import org.grad4j.models.callbacks.CallbackList;
import org.grad4j.models.callbacks.ProgbarLogger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop behind {@link Model#fit}, {@link Model#evaluate} and {@link Model#predict}: for each
 * epoch, shuffle, then per batch forward under a tape, loss plus regularization, gradients, one optimizer
 * step and the metrics; validation every {@code validationFreq} epochs; callbacks around it all. Every
 * argument is checked before the first step, so a bad call leaves the model and optimizer as they were.
 */
final class Trainer {
    private static final System.Logger LOG = System.getLogger("org.grad4j.models");

    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();
    private static final String STEP_WORKSPACE_ID = "GRAD4J_TRAIN_STEP";
    private static final String TEST_WORKSPACE_ID = "GRAD4J_TEST_STEP";
    private static final String PREDICT_WORKSPACE_ID = "GRAD4J_PREDICT_STEP";

    private final Model model;
    private Compiled compiled;
    private final Mean lossTracker = new Mean("loss");
    private boolean nanReported;
    /** The current training step's variables, looked up once per step and shared with the default step. */
    private List<Variable> stepVariables;
    /** The current batch's labels mask as a tensor, or null: what the default computeLoss applies. */
    private Tensor stepMask;

    Trainer(Model model, Compiled compiled) {
        this.model = model;
        this.compiled = compiled;
    }

    // ---------------------------------------------------------------- fit on arrays

    History fit(INDArray x, INDArray y, FitOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("fit: options are required, e.g. FitOptions.epochs(10)");
        }
        Batches.checkPair("fit", "x", x, "y", y);
        INDArray xTrain = floating(x);
        INDArray yTrain = floating(y);
        INDArray xVal = options.xVal();
        INDArray yVal = options.yVal();
        if (xVal != null) {
            Batches.checkPair("fit: validationData", "x", xVal, "y", yVal);
        } else if (options.validationSplit() > 0) {
            long n = x.size(0);
            long splitAt = (long) Math.floor(n * (1.0 - options.validationSplit()));
            if (splitAt <= 0 || splitAt >= n) {
                throw new IllegalArgumentException("fit: validationSplit " + options.validationSplit() + " of " + n
                        + " samples leaves " + splitAt + " for training and " + (n - splitAt) + " for validation; both need at least one");
            }
            xVal = Batches.rows(xTrain, splitAt, n);
            yVal = Batches.rows(yTrain, splitAt, n);
            xTrain = Batches.rows(xTrain, 0, splitAt);
            yTrain = Batches.rows(yTrain, 0, splitAt);
        }
        xTrain = floating(xTrain);
        yTrain = floating(yTrain);
        prepare("fit", xTrain, yTrain, options.batchSize());
        if (xVal != null) {
            xVal = floating(xVal);
            yVal = floating(yVal);
            checkLabels("fit: validationData", xVal, yVal);
        }
        INDArray weights = classWeights(yTrain, options.classWeight());
        int steps = (int) ((xTrain.size(0) + options.batchSize() - 1) / options.batchSize());
        long seed = options.seed() != null ? options.seed() : Seeds.nextSeed();
        INDArray xv = xVal;
        INDArray yv = yVal;
        try (Batches data = new Batches(xTrain, yTrain, weights)) {
            return loop(options, steps, (epoch, step) -> data.epoch(options.shuffle()
                    ? new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))) : null, options.batchSize()),
                    xv == null ? null : () -> evaluateArrays(xv, yv, options.batchSize(), null));
        }
    }

    // ---------------------------------------------------------------- fit on an iterator

    History fit(DataSetIterator iterator, FitOptions options) {
        if (iterator == null || options == null) {
            throw new IllegalArgumentException("fit: an iterator and options are required, got "
                    + (iterator == null ? "iterator = null" : "options = null"));
        }
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("fit: validationSplit does not apply to an iterator; give validationData");
        }
        if (options.classWeight() != null) {
            throw new IllegalArgumentException("fit: classWeight is not supported with an iterator; weigh the samples with "
                    + "each DataSet's labels mask ([batch] or [batch, 1]: 0 leaves a sample out, 2 counts it twice) or pass arrays");
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        if (!iterator.hasNext()) {
            throw new IllegalArgumentException("fit: the iterator has no data");
        }
        DataSet first = iterator.next();
        Batch firstBatch = batchOf(first);
        prepare("fit", firstBatch.x(), firstBatch.y(), (int) firstBatch.x().size(0));
        INDArray xVal = options.xVal() == null ? null : floating(options.xVal());
        INDArray yVal = options.yVal() == null ? null : floating(options.yVal());
        if (xVal != null) {
            Batches.checkPair("fit: validationData", "x", xVal, "y", yVal);
            checkLabels("fit: validationData", xVal, yVal);
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        } else if (options.epochs() - options.initialEpoch() > 1) {
            throw new IllegalArgumentException("fit: the iterator cannot be reset, so it cannot serve "
                    + (options.epochs() - options.initialEpoch()) + " epochs");
        }
        DataSet[] pending = {iterator.resetSupported() ? null : first};
        return loop(options, -1, (epoch, step) -> {
            if (iterator.resetSupported()) {
                iterator.reset();
            }
            List<Batch> batches = new ArrayList<>();
            if (pending[0] != null) {
                batches.add(firstBatch);
                pending[0] = null;
            }
            while (iterator.hasNext()) {
                batches.add(batchOf(iterator.next()));
            }
            return batches;
        }, xVal == null ? null : () -> evaluateArrays(xVal, yVal, options.batchSize(), null));
    }

    /**
     * A DataSet as a batch. Its labels mask, per sample ({@code [batch]} or {@code [batch, 1]}), acts as DL4J's:
     * a sample masked 0 counts for nothing in the loss, its mean and the metrics (other values >= 0 weigh the
     * sample); the labels of masked samples are zeroed, so whatever they held (NaN, a class out of range) cannot
     * reach the loss. An all-ones mask is no mask. Per-timestep or per-output masks, and a features mask that is
     * not all ones, are refused: no layer reads masks yet (sequence layers will).
     */
    private Batch batchOf(DataSet ds) {
        INDArray x = floating(ds.getFeatures());
        INDArray y = floating(ds.getLabels());
        INDArray features = ds.getFeaturesMaskArray();
        if (features != null && !allOnes(features)) {
            throw new IllegalArgumentException("fit: the DataSet has a features mask of shape " + Shapes.format(features.shape())
                    + " that is not all ones; no grad4j layer reads masks yet (sequence layers will), so it cannot be "
                    + "honoured: leave it out, or mask the labels instead");
        }
        INDArray mask = labelsMask(ds.getLabelsMaskArray(), y);
        return new Batch(x, mask == null ? y : withoutMaskedLabels(y, mask), null, mask);
    }

    /** The labels mask as {@code [batch]} in the model's type, or null for none (or all ones); refused if unusable. */
    private INDArray labelsMask(INDArray mask, INDArray y) {
        if (mask == null) {
            return null;
        }
        long n = y.size(0);
        boolean perSample = mask.rank() == 1 && mask.length() == n || mask.rank() == 2 && mask.size(0) == n && mask.size(1) == 1;
        if (!perSample) {
            throw new IllegalArgumentException("fit: the DataSet has a labels mask of shape " + Shapes.format(mask.shape())
                    + " for labels of shape " + Shapes.format(y.shape()) + "; grad4j honours per-sample labels masks only, "
                    + "of shape [" + n + "] or [" + n + ", 1] (per-timestep and per-output masks need sequence layers, "
                    + "which it has not yet)");
        }
        double min = mask.minNumber().doubleValue();
        double max = mask.maxNumber().doubleValue();
        if (!(min >= 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("fit: a labels mask holds a weight per sample and must be >= 0 and finite "
                    + "(0 leaves the sample out), got values from " + min + " to " + max);
        }
        if (min == 1 && max == 1) {
            return null;
        }
        if (!(compiled.loss() instanceof LossFunctionWrapper<?>)) {
            throw new IllegalArgumentException("fit: the DataSet's labels mask needs a loss that takes sample weights "
                    + "(a LossFunctionWrapper), got " + compiled.loss().name());
        }
        return mask.reshape('c', new long[] {n}).castTo(model.dtype()).dup('c');
    }

    private static boolean allOnes(INDArray a) {
        return a.minNumber().doubleValue() == 1 && a.maxNumber().doubleValue() == 1;
    }

    /** A copy of {@code y} with the labels of samples masked 0 set to 0, a value every built-in loss accepts. */
    private static INDArray withoutMaskedLabels(INDArray y, INDArray mask) {
        double[] m = mask.toDoubleVector();
        INDArray out = null;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                if (out == null) {
                    out = y.dup('c');
                }
                out.reshape('c', y.size(0), y.length() / y.size(0)).getRow(i).assign(0);
            }
        }
        return out == null ? y : out;
    }

    // ---------------------------------------------------------------- the loop

    private interface EpochBatches {
        Iterable<Batch> batches(int epoch, int steps);
    }

    private interface Validation {
        Map<String, Double> run();
    }

    private History loop(FitOptions options, int steps, EpochBatches source, Validation validation) {
        if (options.initialEpoch() >= options.epochs()) {
            // Keras runs no epoch here and says nothing; a resumed run that forgot epochs counts from 0 is the usual cause
            LOG.log(Level.WARNING, "fit: initialEpoch " + options.initialEpoch() + " >= epochs " + options.epochs()
                    + ", so no epoch runs; epochs is the epoch to stop before, not a count: to train n more epochs from epoch "
                    + options.initialEpoch() + " use epochs(" + options.initialEpoch() + " + n).initialEpoch("
                    + options.initialEpoch() + ")");
        }
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
        if (steps >= 0) {
            params.put("steps", steps);   // unknown for an iterator, as Keras leaves it None
        }
        callbacks.setModel(model);
        callbacks.setParams(params);
        model.stopTraining(false);
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        callbacks.onTrainBegin(new LinkedHashMap<>());
        for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
            resetMetrics();
            callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
            int step = 0;
            Map<String, Double> logs = null;
            for (Batch batch : source.batches(epoch, steps)) {
                callbacks.onTrainBatchBegin(step, new LinkedHashMap<>());
                logs = trainStep(batch);
                reportNaN(logs.get("loss"), epoch, step);
                callbacks.onTrainBatchEnd(step, logs);
                step++;
                if (model.stopTraining()) {
                    break;
                }
            }
            // as Keras: the epoch's logs are the last step's (running means, plus any key a custom step adds)
            epochLogs = logs == null ? results() : new LinkedHashMap<>(logs);
            boolean validate = validation != null && (epoch + 1) % options.validationFreq() == 0;
            if (validate) {
                for (Map.Entry<String, Double> e : validation.run().entrySet()) {
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

    private void reportNaN(Double loss, int epoch, int step) {
        if (!nanReported && loss != null && !Double.isFinite(loss)) {
            nanReported = true;
            LOG.log(Level.WARNING, "fit: the loss is " + loss + " at epoch " + epoch + ", batch " + step
                    + "; add TerminateOnNaN to stop training when this happens");
        }
    }

    // ---------------------------------------------------------------- one step

    Map<String, Double> trainOnBatch(INDArray x, INDArray y) {
        Batches.checkPair("trainOnBatch", "x", x, "y", y);
        INDArray xb = floating(x);
        INDArray yb = floating(y);
        prepare("trainOnBatch", xb, yb, (int) xb.size(0));
        resetMetrics();
        return trainStep(new Batch(xb, yb, null));
    }

    /**
     * One training step through {@link Model#trainStep}, which the user may override. The optimizer's slots are
     * built first, outside the step's workspace; every array of the step (activations, graph, gradients,
     * temporaries) is then allocated in a workspace whose memory the next step reuses, while weights, slots and
     * metric totals are updated in place outside it.
     */
    private Map<String, Double> trainStep(Batch batch) {
        List<Variable> variables = model.trainableVariables();
        if (!variables.isEmpty()) {
            compiled.optimizer().build(variables);
        }
        stepVariables = variables;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, STEP_WORKSPACE_ID)) {
            stepMask = batch.mask() == null ? null : Tensor.of(batch.mask());
            Map<String, Double> logs = model.trainStep(batch);
            if (logs == null) {
                throw new IllegalStateException(model.describe() + ".trainStep returned null; return the logs, e.g. "
                        + "computeMetrics(batch, loss, y, yPred, sampleWeight)");
            }
            return logs;
        } finally {
            stepVariables = null;
            stepMask = null;
        }
    }

    /** {@link Model#trainStep}'s default: forward under a tape, {@link Model#computeLoss}, gradients, one update. */
    Map<String, Double> defaultTrainStep(Batch batch) {
        List<Variable> variables = stepVariables != null ? stepVariables : model.trainableVariables();
        Tensor x = Tensor.of(batch.x());
        Tensor y = Tensor.of(batch.y());
        Tensor w = batch.sampleWeight() == null ? null : Tensor.of(batch.sampleWeight());
        Tensor prediction;
        Tensor loss;
        GradientTape tape = GradientTape.open();
        try (tape) {
            prediction = model.apply(x, true);
            loss = model.computeLoss(x, y, prediction, w);
        }
        if (!variables.isEmpty()) {
            compiled.optimizer().applyGradientsInPlace(tape.gradient(loss, variables), variables);
        }
        return computeMetrics(batch, loss.itemDouble(), y, prediction.detach(), w);
    }

    /** {@link Model#testStep}'s default: forward in inference mode, {@link Model#computeLoss}, the metrics. */
    Map<String, Double> defaultTestStep(Batch batch) {
        Tensor x = Tensor.of(batch.x());
        Tensor y = Tensor.of(batch.y());
        Tensor w = batch.sampleWeight() == null ? null : Tensor.of(batch.sampleWeight());
        Tensor prediction = model.apply(x, false);
        return computeMetrics(batch, model.computeLoss(x, y, prediction, w).itemDouble(), y, prediction, w);
    }

    /** {@link Model#computeLoss}'s default: the compiled loss (with a labels mask, Keras' masked mean) plus the layers' penalties. */
    Tensor defaultLoss(Tensor y, Tensor prediction, Tensor w) {
        Tensor mask = stepMask;
        Tensor loss = mask == null ? compiled.loss().call(y, prediction, w)
                : ((LossFunctionWrapper<?>) compiled.loss()).call(y, prediction, w, mask);   // batchOf checked the type
        for (Tensor penalty : model.losses()) {
            loss = loss.add(penalty);
        }
        return loss;
    }

    /** {@link Model#computeMetrics}: updates the loss tracker and the metrics, and returns the running logs. */
    Map<String, Double> computeMetrics(Batch batch, double loss, Tensor y, Tensor prediction, Tensor w) {
        updateMetrics(batch, loss, y, prediction, w);
        return results();
    }

    /**
     * The loss tracker weighs each batch's mean loss by its sample count, or with a labels mask by the mask's
     * sum, so that masked samples do not dilute the epoch's loss; metrics see the mask as sample weights.
     */
    private void updateMetrics(Batch batch, double loss, Tensor y, Tensor prediction, Tensor w) {
        try (NoGrad scope = NoGrad.enter()) {
            INDArray mask = batch.mask();
            lossTracker.updateState(loss, mask == null ? batch.x().size(0) : mask.sumNumber().doubleValue());
            Tensor weights = mask == null ? w : w == null ? Tensor.of(mask) : w.mul(Tensor.of(mask));
            for (Metric metric : compiled.metrics()) {
                metric.updateState(y, prediction, weights);
            }
        }
    }

    private void resetMetrics() {
        lossTracker.reset();
        compiled.metrics().forEach(Metric::reset);
    }

    private Map<String, Double> results() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossTracker.result());
        for (Metric metric : compiled.metrics()) {
            logs.put(metric.name(), metric.result());
        }
        return logs;
    }

    // ---------------------------------------------------------------- evaluate and predict

    Map<String, Double> evaluate(INDArray x, INDArray y, int batchSize, List<Callback> callbacks) {
        Batches.checkPair("evaluate", "x", x, "y", y);
        Batches.checkBatchSize("evaluate", batchSize);
        INDArray xs = floating(x);
        INDArray ys = floating(y);
        prepare("evaluate", xs, ys, batchSize);
        return evaluateArrays(xs, ys, batchSize, callbacks);
    }

    private Map<String, Double> evaluateArrays(INDArray x, INDArray y, int batchSize, List<Callback> callbacks) {
        CallbackList list = new CallbackList(callbacks == null ? List.of() : callbacks);
        list.setModel(model);
        resetMetrics();
        list.onTestBegin(new LinkedHashMap<>());
        int step = 0;
        Map<String, Double> logs = null;
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : new Batches(x, y, null).epoch(null, batchSize)) {
                list.onTestBatchBegin(step, new LinkedHashMap<>());
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, TEST_WORKSPACE_ID)) {
                    logs = model.testStep(batch);
                }
                if (logs == null) {
                    throw new IllegalStateException(model.describe() + ".testStep returned null; return the logs, e.g. "
                            + "computeMetrics(batch, loss, y, yPred, sampleWeight)");
                }
                list.onTestBatchEnd(step++, logs);
            }
        }
        logs = logs == null ? results() : new LinkedHashMap<>(logs);
        list.onTestEnd(logs);
        return logs;
    }

    static INDArray predict(Model model, INDArray x, int batchSize) {
        if (x == null) {
            throw new IllegalArgumentException(model.describe() + ".predict: x is null");
        }
        Batches.checkBatchSize("predict", batchSize);
        if (x.rank() == 0 || x.size(0) == 0) {
            throw new IllegalArgumentException(model.describe() + ".predict: x needs at least one sample, got shape "
                    + Shapes.format(x.shape()));
        }
        INDArray xs = floating(x);
        List<INDArray> outputs = new ArrayList<>();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : new Batches(xs, null, null).epoch(null, batchSize)) {
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, PREDICT_WORKSPACE_ID)) {
                    outputs.add(model.apply(Tensor.of(batch.x()), false).array().detach());   // copied out of the workspace
                }
            }
        }
        return outputs.size() == 1 ? outputs.get(0) : Nd4j.concat(0, outputs.toArray(INDArray[]::new));
    }

    // ---------------------------------------------------------------- checks before the first step

    /**
     * Builds the model if needed and runs the first batch forward and through the loss without recording,
     * so that a wrong input width, labels that do not suit the loss or a bad batch size fail here, before
     * any weight or optimizer state changes. Also decides an "accuracy" that compile left to the shapes.
     */
    private void prepare(String where, INDArray x, INDArray y, int batchSize) {
        Batches.checkBatchSize(where, batchSize);
        checkLabels(where, x, y);
        model.compiled(compiled);
    }

    private void checkLabels(String where, INDArray x, INDArray y) {
        long n = Math.min(x.size(0), 32);
        INDArray xb = Batches.rows(x, 0, n);
        INDArray yb = Batches.rows(y, 0, n);
        Tensor prediction;
        try (NoGrad scope = NoGrad.enter()) {
            try {
                prediction = model.apply(Tensor.of(xb), false);
            } catch (IllegalArgumentException e) {
                // the layer names its own expectation but sees only this first slice of x
                throw new IllegalArgumentException(where + ": x of shape " + Shapes.format(x.shape())
                        + " does not suit the model: " + e.getMessage(), e);
            }
            long[] yShape = y.shape().clone();
            long[] pShape = prediction.shape().clone();
            pShape[0] = x.size(0);
            compiled.loss().validateLabels(where, yShape, pShape, Tensor.of(y));   // each loss knows its labels
            try {
                compiled.loss().call(Tensor.of(yb), prediction);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the loss " + compiled.loss().name() + " cannot compare y of shape "
                        + Shapes.format(yShape) + " with the model's output of shape " + Shapes.format(pShape) + ": "
                        + e.getMessage(), e);
            }
            compiled = compiled.resolve(yb.shape(), prediction.shape());
        }
    }

    /** Per-sample weights from {@code classWeight}: the class is the label (binary, sparse) or its argmax (one-hot). */
    private INDArray classWeights(INDArray y, Map<Integer, Double> classWeight) {
        if (classWeight == null) {
            return null;
        }
        if (!(compiled.loss() instanceof LossFunctionWrapper<?>)) {
            throw new IllegalArgumentException("fit: classWeight needs a loss that takes sample weights (a LossFunctionWrapper), "
                    + "got " + compiled.loss().name());
        }
        long n = y.size(0);
        INDArray classes = y.rank() >= 2 && y.size(-1) > 1
                ? Nd4j.argMax(y.reshape(n, -1, y.size(-1)), 2).reshape(n, -1).getColumn(0)
                : y.reshape(n, -1).getColumn(0);
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) {
            int c = (int) Math.round(classes.getDouble(i));
            w[i] = classWeight.getOrDefault(c, 1.0);
        }
        return Nd4j.createFromArray(w).castTo(model.dtype());
    }

    /**
     * Inputs and labels in the model's floating type (integer labels become floats, as Keras casts y_true),
     * in a buffer of their own: ND4J 1.0.0-M2.1's interval {@code get} on a view (a column, a range of rows)
     * can return a wrong shape, a scalar for the last rows, so views are copied once before batching.
     */
    private static INDArray floating(INDArray a) {
        INDArray out = a.dataType().isFPType() ? a : a.castTo(DataType.FLOAT);
        return out.isView() ? out.dup('c') : out;
    }
}
