package org.grad4j.models;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.StepArrays;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.data.Dataset;
import org.grad4j.data.Element;
import org.grad4j.layers.Masks;
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

    static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();
    private static final String STEP_WORKSPACE_ID = "GRAD4J_TRAIN_STEP";
    private static final String TEST_WORKSPACE_ID = "GRAD4J_TEST_STEP";

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

    History fit(INDArray x, INDArray y, INDArray sampleWeight, FitOptions options) {
        requireOptions(options);
        Batches.checkPair("fit", "x", x, "y", y);
        refuseDatasetOnlyOptions("fit on arrays", options);
        INDArray wAll = SampleWeights.checked("fit", sampleWeight, x, compiled.loss(), model.dtype());
        SampleWeights.requireNotBoth("fit", wAll != null, options.classWeight());
        INDArray xTrain = floating(x);
        INDArray yTrain = floating(y);
        INDArray wTrain = wAll;
        Validation validation;
        if (options.xVal() == null && options.validationDataset() == null && options.validationSplit() > 0) {
            long n = x.size(0);
            long splitAt = (long) Math.floor(n * (1.0 - options.validationSplit()));
            if (splitAt <= 0 || splitAt >= n) {
                throw new IllegalArgumentException("fit: validationSplit " + options.validationSplit() + " of " + n
                        + " samples leaves " + splitAt + " for training and " + (n - splitAt) + " for validation; both need at least one");
            }
            INDArray xv = floating(Batches.rows(xTrain, splitAt, n));
            INDArray yv = floating(Batches.rows(yTrain, splitAt, n));
            // as Keras' train_validation_split: the weights are split with x and y
            INDArray wv = wAll == null ? null : floating(Batches.rows(wAll, splitAt, n));
            xTrain = floating(Batches.rows(xTrain, 0, splitAt));
            yTrain = floating(Batches.rows(yTrain, 0, splitAt));
            wTrain = wAll == null ? null : floating(Batches.rows(wAll, 0, splitAt));
            prepare("fit", xTrain, yTrain, options.batchSize());
            validation = () -> evaluateArrays(xv, yv, wv, options.batchSize(), null);
        } else {
            prepare("fit", xTrain, yTrain, options.batchSize());
            validation = validation(options);
        }
        INDArray weights = options.classWeight() == null ? wTrain
                : SampleWeights.fromClassWeight("fit", yTrain, options.classWeight(), compiled.loss(), model.dtype());
        int steps = (int) ((xTrain.size(0) + options.batchSize() - 1) / options.batchSize());
        long seed = options.seed() != null ? options.seed() : Seeds.nextSeed();
        Batches data = new Batches(xTrain, yTrain, weights);
        return loop(options, new BatchSource() {
            @Override
            public int steps() {
                return steps;
            }

            @Override
            public Iterator<Batch> epoch(int epoch) {
                return data.epoch(options.shuffle() ? new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))) : null,
                        options.batchSize());
            }

            @Override
            public void close() {
                data.close();
            }
        }, validation);
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
        refuseDatasetOnlyOptions("fit on an iterator", options);
        if (options.classWeight() != null) {
            throw new IllegalArgumentException("fit: classWeight is not supported with an iterator; weigh the samples with "
                    + "each DataSet's labels mask ([batch] or [batch, 1]: 0 leaves a sample out, 2 counts it twice) or pass arrays");
        }
        Nd4jBatches converter = new Nd4jBatches("fit", compiled.loss(), model.dtype());
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        if (!iterator.hasNext()) {
            throw new IllegalArgumentException("fit: the iterator has no data");
        }
        Batch firstBatch = converter.batchOf(iterator.next());
        prepare("fit", firstBatch.x(), firstBatch.y(), (int) firstBatch.x().size(0));
        Validation validation = validation(options);
        if (!iterator.resetSupported() && options.epochs() - options.initialEpoch() > 1) {
            throw new IllegalArgumentException("fit: the iterator cannot be reset, so it cannot serve "
                    + (options.epochs() - options.initialEpoch()) + " epochs");
        }
        return loop(options, new BatchSource() {
            @Override
            public int steps() {
                return -1;   // unknown for an iterator, as Keras leaves it None
            }

            @Override
            public Iterator<Batch> epoch(int epoch) {
                // the first batch, read to check shapes, is used rather than read again (a one-shot iterator cannot be)
                Batch[] pending = {firstBatch};
                if (iterator.resetSupported()) {
                    iterator.reset();
                    pending[0] = null;
                }
                return iteratorBatches(iterator, pending[0], converter);
            }

            @Override
            public void close() {
            }
        }, validation);
    }

    /** The batches of a DataSetIterator from where it is, {@code first} (if not null) before them. */
    private static Iterator<Batch> iteratorBatches(DataSetIterator iterator, Batch first, Nd4jBatches converter) {
        return new Iterator<>() {
            private Batch pending = first;

            @Override
            public boolean hasNext() {
                return pending != null || iterator.hasNext();
            }

            @Override
            public Batch next() {
                if (pending != null) {
                    Batch b = pending;
                    pending = null;
                    return b;
                }
                return converter.batchOf(iterator.next());
            }
        };
    }

    // ---------------------------------------------------------------- fit on a Dataset

    History fit(Dataset dataset, FitOptions options) {
        requireOptions(options);
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("fit: validationSplit does not apply to a Dataset (Keras takes it for arrays "
                    + "only); give validationData(Dataset), or split the arrays before building the datasets");
        }
        DatasetBatches.check("fit", dataset, options.stepsPerEpoch(), "give FitOptions.stepsPerEpoch(n)");
        if (options.validationDataset() == null && options.validationSteps() > 0) {
            throw new IllegalArgumentException("fit: validationSteps applies to a validation Dataset, and there is none");
        }
        DatasetBatches train = new DatasetBatches("fit", dataset, options.stepsPerEpoch(),
                (e, i) -> datasetBatch("fit", e, i, options.classWeight()));
        Validation validation;
        try {
            Batch first = train.first();
            prepare("fit", first.x(), first.y(), (int) first.x().size(0));
            validation = validation(options);
        } catch (RuntimeException e) {
            train.close();
            throw e;
        }
        return loop(options, train, validation);
    }

    /**
     * A batch of a Dataset for fit or evaluate: labels required, {@code sampleWeight} checked, {@code classWeight}
     * (training only) turned into weights per batch with the same helper as for arrays.
     */
    private Batch datasetBatch(String where, Element e, long index, Map<Integer, Double> classWeight) {
        String at = where + ": batch " + index + " of the dataset";
        if (e.y() == null) {
            throw new IllegalArgumentException(at + " has no labels (y); " + where + " needs (x, y) elements, e.g. "
                    + "Dataset.fromArrays(x, y).batch(32)");
        }
        INDArray x = floating(e.x());
        INDArray y = floating(e.y());
        Batches.checkPair(at, "x", x, "y", y);
        INDArray w = SampleWeights.checked(at, e.sampleWeight(), x, compiled.loss(), model.dtype());
        if (classWeight != null) {
            SampleWeights.requireNotBoth(at, w != null, classWeight);
            w = SampleWeights.fromClassWeight(at, y, classWeight, compiled.loss(), model.dtype());
        }
        return new Batch(x, y, w);
    }

    /** fit's validation on arrays or a Dataset, checked against the model now (before training), or null for none. */
    private Validation validation(FitOptions options) {
        if (options.validationDataset() != null) {
            return datasetValidation(options);
        }
        if (options.xVal() == null) {
            return null;
        }
        if (options.validationSteps() > 0) {
            throw new IllegalArgumentException("fit: validationSteps applies to a validation Dataset, not to arrays");
        }
        INDArray xVal = floating(options.xVal());
        INDArray yVal = floating(options.yVal());
        Batches.checkPair("fit: validationData", "x", xVal, "y", yVal);
        checkLabels("fit: validationData", xVal, yVal);
        return () -> evaluateArrays(xVal, yVal, null, options.batchSize(), null);
    }

    /** Each validation is a new pass (or its first validationSteps batches); its first batch is checked now. */
    private Validation datasetValidation(FitOptions options) {
        String where = "fit: validationData";
        Dataset val = options.validationDataset();
        int steps = options.validationSteps();
        DatasetBatches.check(where, val, steps, "give FitOptions.validationSteps(n)");
        DatasetBatches.Converter converter = (e, i) -> datasetBatch(where, e, i, null);
        try (DatasetBatches peek = new DatasetBatches(where, val, steps, converter)) {
            Batch first = peek.first();
            checkLabels(where, first.x(), first.y());
        }
        return () -> {
            try (DatasetBatches pass = new DatasetBatches(where, val, steps, converter)) {
                return evaluateBatches(pass.epoch(0), null);
            }
        };
    }

    private static void requireOptions(FitOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("fit: options are required, e.g. FitOptions.epochs(10)");
        }
    }

    /** stepsPerEpoch bounds a Dataset's pass; arrays and iterators have theirs, so it would be ignored silently. */
    private static void refuseDatasetOnlyOptions(String where, FitOptions options) {
        if (options.stepsPerEpoch() > 0) {
            throw new IllegalArgumentException(where + ": stepsPerEpoch applies to a Dataset; got stepsPerEpoch "
                    + options.stepsPerEpoch());
        }
    }

    // ---------------------------------------------------------------- the loop

    private interface Validation {
        Map<String, Double> run();
    }

    /** The one epoch loop of every fit; it closes {@code source} however it ends. */
    private History loop(FitOptions options, BatchSource source, Validation validation) {
        try (source) {
            return epochs(options, source, validation);
        }
    }

    private History epochs(FitOptions options, BatchSource source, Validation validation) {
        int steps = source.steps();
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
            params.put("steps", steps);   // unknown for an iterator or a Dataset of unknown size, as Keras leaves it None
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
            for (Iterator<Batch> batches = source.epoch(epoch); batches.hasNext(); ) {
                Batch batch = batches.next();
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
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, STEP_WORKSPACE_ID);
                StepArrays.Scope arrays = model.stepArrays().lend(ws)) {
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
        // the metrics read the output's mask (or each output's) too
        return computeMetrics(batch, loss.itemDouble(), y, OutputMask.carry(prediction, prediction.detach()), w);
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
        Tensor mask = OutputMask.combine(model, compiled.loss(), stepMask, Masks.of(prediction));
        Tensor loss = mask == null ? compiled.loss().call(y, prediction, w)
                : ((LossFunctionWrapper<?>) compiled.loss()).call(y, prediction, w, mask);   // type checked above
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
            // Keras' MeanMetricWrapper applies the output's mask only to given sample weights (apply_mask, "sum")
            weights = OutputMask.weigh(weights, Masks.of(prediction));
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

    Map<String, Double> evaluate(INDArray x, INDArray y, INDArray sampleWeight, int batchSize, List<Callback> callbacks) {
        Batches.checkPair("evaluate", "x", x, "y", y);
        Batches.checkBatchSize("evaluate", batchSize);
        INDArray w = SampleWeights.checked("evaluate", sampleWeight, x, compiled.loss(), model.dtype());
        INDArray xs = floating(x);
        INDArray ys = floating(y);
        prepare("evaluate", xs, ys, batchSize);
        return evaluateArrays(xs, ys, w, batchSize, callbacks);
    }

    /** Keras' {@code evaluate} on a batched Dataset: a new pass, or its first {@code steps} batches (0: all). */
    Map<String, Double> evaluate(Dataset dataset, int steps, List<Callback> callbacks) {
        DatasetBatches.check("evaluate", dataset, steps, "give the number of batches, evaluate(dataset, steps)");
        try (DatasetBatches data = new DatasetBatches("evaluate", dataset, steps,
                (e, i) -> datasetBatch("evaluate", e, i, null))) {
            Batch first = data.first();
            prepare("evaluate", first.x(), first.y(), (int) first.x().size(0));
            return evaluateBatches(data.epoch(0), callbacks);
        }
    }

    /** Keras' {@code evaluate} on every DataSet of an ND4J iterator (reset first when it can be). */
    Map<String, Double> evaluate(DataSetIterator iterator, List<Callback> callbacks) {
        if (iterator == null) {
            throw new IllegalArgumentException("evaluate: the iterator is null");
        }
        Nd4jBatches converter = new Nd4jBatches("evaluate", compiled.loss(), model.dtype());
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        if (!iterator.hasNext()) {
            throw new IllegalArgumentException("evaluate: the iterator has no data");
        }
        Batch first = converter.batchOf(iterator.next());
        prepare("evaluate", first.x(), first.y(), (int) first.x().size(0));
        return evaluateBatches(iteratorBatches(iterator, first, converter), callbacks);
    }

    private Map<String, Double> evaluateArrays(INDArray x, INDArray y, INDArray w, int batchSize, List<Callback> callbacks) {
        return evaluateBatches(new Batches(x, y, w).epoch(null, batchSize), callbacks);
    }

    /** The one evaluation loop: arrays, iterators, Datasets and fit's validation. */
    private Map<String, Double> evaluateBatches(Iterator<Batch> batches, List<Callback> callbacks) {
        CallbackList list = new CallbackList(callbacks == null ? List.of() : callbacks);
        list.setModel(model);
        resetMetrics();
        list.onTestBegin(new LinkedHashMap<>());
        int step = 0;
        Map<String, Double> logs = null;
        try (NoGrad scope = NoGrad.enter()) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                list.onTestBatchBegin(step, new LinkedHashMap<>());
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, TEST_WORKSPACE_ID);
                        StepArrays.Scope arrays = model.stepArrays().lend(ws)) {
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
        long[] passed = model.checkedInputs.prediction(model, compiled, x, y);
        if (passed != null) {
            // this signature's forward and loss passed before: only the labels' values are new
            passed[0] = x.size(0);
            compiled.loss().validateLabels(where, y.shape().clone(), passed, Tensor.of(y));
            return;
        }
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
            // a mask on the output must suit the loss too (before any step): a loss that takes masks, of its shape
            Tensor outputMask = OutputMask.combine(model, compiled.loss(), null, Masks.of(prediction));
            try {
                if (outputMask == null) {
                    compiled.loss().call(Tensor.of(yb), prediction);
                } else {
                    ((LossFunctionWrapper<?>) compiled.loss()).call(Tensor.of(yb), prediction, null, outputMask);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the loss " + compiled.loss().name() + " cannot compare y of shape "
                        + Shapes.format(yShape) + " with the model's output of shape " + Shapes.format(pShape) + ": "
                        + e.getMessage(), e);
            }
            compiled = compiled.resolve(yb.shape(), prediction.shape());
            if (outputMask == null) {
                model.checkedInputs.passed(model, compiled, x, y, prediction.shape());
            }
        }
    }

    /**
     * Inputs and labels in the model's floating type (integer labels become floats, as Keras casts y_true),
     * in a buffer of their own: ND4J 1.0.0-M2.1's interval {@code get} on a view (a column, a range of rows)
     * can return a wrong shape, a scalar for the last rows, so views are copied once before batching. Arrays in
     * another order are copied to row-major too (a Dataset's batches, stacked by {@code Nd4j.stack}, come out in
     * 'f' order): the kernels' fast paths and the row views of {@link Batches} want contiguous rows.
     */
    static INDArray floating(INDArray a) {
        INDArray out = a.dataType().isFPType() ? a : a.castTo(DataType.FLOAT);
        return out.isView() || out.ordering() != 'c' ? out.dup('c') : out;
    }
}
