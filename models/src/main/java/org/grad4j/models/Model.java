package org.grad4j.models;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Shapes;
import org.grad4j.core.StepArrays;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.data.Dataset;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;
import org.grad4j.losses.Loss;
import org.grad4j.losses.Losses;
import org.grad4j.metrics.Metric;
import org.grad4j.models.saving.ModelFormats;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.Optimizers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' {@code Model}: a {@link Layer} that owns layers and can be trained with {@link #compile} and
 * {@link #fit}. Subclass it and override {@link #call}; the layers it uses are found automatically when
 * they are fields, or registered with {@link #track}:
 *
 * <pre>{@code
 * class TwoLayer extends Model {
 *     final Dense hidden = track(new Dense(16, "relu")), out = track(new Dense(1));
 *     public Tensor call(Tensor x, boolean training) { return out.call(hidden.call(x, training), training); }
 * }
 * }</pre>
 * For a plain stack of layers use {@link Sequential}.
 *
 * <p><b>Threads.</b> Separate models may train and predict in separate threads at the same time. One model
 * is used by one thread at a time while it trains: while {@link #fit}, {@link #trainOnBatch},
 * {@link #evaluate}, {@link #compile}, {@link #setWeights} or {@link #loadWeights} runs, a call of any of
 * these or of {@link #predict}, {@link #save}, {@link #saveWeights} or {@link #getWeights} from another
 * thread fails at once with an {@link IllegalStateException} naming that thread, rather than interleaving
 * two trainings' updates or reading weights in the middle of a step. The training thread itself may call
 * them, e.g. from a callback. When nothing trains, several threads may {@code predict} with a built model
 * at once. Other methods ({@code add}, {@code summary}, {@code setTrainable}, the layers' own) are not
 * guarded: do not call them while another thread trains the model.
 */
public class Model extends Layer {
    static {
        Layers.register("Sequential", Sequential::fromConfig);
    }

    private final List<Layer> tracked = new ArrayList<>();
    private long[] buildInputShape;
    private Compiled compiled;
    private boolean stopTraining;
    private History history;
    private final ThreadGuard guard = new ThreadGuard();
    /**
     * The Java arrays of a step's small tensors, lent again to the next step (train and test steps alike): one per
     * model rather than per call, so that a loop of {@code trainOnBatch} calls or of short {@code fit}s reuses them
     * too. Training holds the model on one thread at a time ({@link ThreadGuard}).
     */
    private final StepArrays stepArrays = new StepArrays();
    /** Input signatures whose check before the first step passed (see {@link CheckedInputs}). */
    final CheckedInputs checkedInputs = new CheckedInputs();
    /** The loop running now (fit, evaluate, trainOnBatch), which the step methods below work with; else null. */
    private Trainer trainer;

    protected Model() {
    }

    /**
     * Keras' {@code keras.Model(inputs, outputs)}: a {@link Functional} model over the graph of layer calls from the
     * symbolic {@code inputs} ({@link Input#of}) to {@code outputs}.
     */
    public static Model of(List<? extends Tensor> inputs, List<? extends Tensor> outputs) {
        return new Functional(inputs, outputs);
    }

    /** A functional model of one input and one output. */
    public static Model of(Tensor input, Tensor output) {
        return new Functional(input, output);
    }

    // ---------------------------------------------------------------- layers

    /** Registers a layer as part of this model (its weights become the model's) and returns it. */
    protected final <L extends Layer> L track(L layer) {
        Objects.requireNonNull(layer, () -> describe() + ".track: the layer is null");
        if (layer == this) {
            throw new IllegalArgumentException(describe() + ".track: a model cannot contain itself");
        }
        if (tracked.stream().noneMatch(l -> l == layer)) {
            tracked.add(layer);
        }
        return layer;
    }

    /**
     * The layers of the model: those registered with {@link #track} in that order, then the layer fields
     * of subclasses not registered, in declaration order.
     */
    public List<Layer> layers() {
        Set<Layer> all = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Layer> out = new ArrayList<>();
        for (Layer l : tracked) {
            if (all.add(l)) {
                out.add(l);
            }
        }
        for (Layer l : layerFields()) {
            if (all.add(l)) {
                out.add(l);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private List<Layer> layerFields() {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = getClass(); c != null && c != Model.class && c != Sequential.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<Layer> out = new ArrayList<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                try {
                    if (Layer.class.isAssignableFrom(f.getType())) {
                        f.setAccessible(true);
                        Object value = f.get(this);
                        if (value != null && value != this) {
                            out.add((Layer) value);
                        }
                    } else if (List.class.isAssignableFrom(f.getType())) {
                        f.setAccessible(true);
                        if (f.get(this) instanceof List<?> list) {
                            for (Object item : list) {
                                if (item instanceof Layer layer && layer != this) {
                                    out.add(layer);
                                }
                            }
                        }
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException(describe() + ": cannot read field " + f.getName() + " to find its "
                            + "layers (" + e + "); register the layers with track(...) instead", e);
                }
            }
        }
        return out;
    }

    /** The layer called {@code name}. */
    public Layer getLayer(String name) {
        for (Layer layer : layers()) {
            if (layer.name().equals(name)) {
                return layer;
            }
        }
        throw new IllegalArgumentException(describe() + ".getLayer: no layer named \"" + name + "\" (layers: "
                + String.join(", ", layers().stream().map(Layer::name).toList()) + ")");
    }

    /** The layer at {@code index} (from 0). */
    public Layer getLayer(int index) {
        List<Layer> layers = layers();
        if (index < 0 || index >= layers.size()) {
            throw new IllegalArgumentException(describe() + ".getLayer: index " + index + " is out of range; the model "
                    + "has " + layers.size() + " layers");
        }
        return layers.get(index);
    }

    // ---------------------------------------------------------------- forward and build

    /** The forward pass; a subclassed model overrides it, calling its layers. */
    @Override
    public Tensor call(Tensor inputs, boolean training) {
        throw new UnsupportedOperationException(describe() + ": a subclassed Model must override call(Tensor, boolean)");
    }

    /**
     * Builds the model for inputs of {@code inputShape}: the per-sample shape (Keras' {@code build((None, 9))}
     * is {@code build(9)} here) or, with a leading -1, the batch shape. Every layer creates its weights.
     */
    @Override
    public void build(long... inputShape) {
        if (!isBuilt()) {
            buildBatch(batchShape(inputShape));
        }
    }

    /** The first input builds the model for its shape with an unknown batch size. */
    @Override
    protected void buildForInput(long[] batchShape) {
        long[] shape = batchShape.clone();
        if (shape.length > 0) {
            shape[0] = -1;
        }
        buildBatch(shape);
    }

    /**
     * Builds for {@code batchShape} (batch dimension -1): runs the forward pass once on zeros, without
     * recording, so every layer creates its weights. Sequential overrides it to build layer by layer.
     */
    protected void buildBatch(long[] batchShape) {
        long[] concrete = batchShape.clone();
        concrete[0] = 1;
        for (int i = 1; i < concrete.length; i++) {
            if (concrete[i] < 0) {
                throw new IllegalArgumentException(describe() + ".build: every dimension but the batch must be known, got "
                        + Shapes.format(batchShape));
            }
        }
        try (NoGrad scope = NoGrad.enter()) {
            call(Tensor.of(Nd4j.zeros(dtype(), concrete)), false);
        }
        markBuilt(batchShape);
    }

    /** Records the batch shape the model was built for and marks it built. */
    protected final void markBuilt(long[] batchShape) {
        this.buildInputShape = batchShape.clone();
        super.build(batchShape);
    }

    /** A per-sample shape gets the unknown batch dimension; a shape starting with -1 is already a batch shape. */
    static long[] batchShape(long... inputShape) {
        if (inputShape == null || inputShape.length == 0) {
            throw new IllegalArgumentException("build: an input shape is required, e.g. build(9) for 9 features");
        }
        if (inputShape[0] == -1) {
            return inputShape.clone();
        }
        long[] out = new long[inputShape.length + 1];
        out[0] = -1;
        System.arraycopy(inputShape, 0, out, 1, inputShape.length);
        return out;
    }

    /** The batch shape the model was built for ({@code [-1, 9]}), or null if it was built by a call only. */
    public long[] buildInputShape() {
        return buildInputShape == null ? null : buildInputShape.clone();
    }

    // ---------------------------------------------------------------- weights

    @Override
    public List<Variable> weights() {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Variable> out = new ArrayList<>();
        for (Variable v : super.weights()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Layer layer : layers()) {
            for (Variable v : layer.weights()) {
                if (seen.add(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    @Override
    public List<Variable> trainableWeights() {
        // a frozen layer has already switched its variables' flags off (Layer.setTrainable)
        return trainable() ? weights().stream().filter(Variable::trainable).toList() : List.of();
    }

    @Override
    public List<Variable> nonTrainableWeights() {
        return trainable() ? weights().stream().filter(v -> !v.trainable()).toList() : weights();
    }

    /** Keras' {@code trainable_variables}: what the optimizer updates, in layer order. */
    public List<Variable> trainableVariables() {
        return trainableWeights();
    }

    /** Keras' {@code non_trainable_variables}: frozen weights and statistics such as BatchNormalization's. */
    public List<Variable> nonTrainableVariables() {
        return nonTrainableWeights();
    }

    /** Keras' {@code variables}: all weights, in layer order. */
    public List<Variable> variables() {
        return weights();
    }

    @Override
    public long countParams() {
        if (!isBuilt()) {
            throw new IllegalStateException(describe() + ": countParams() needs a built model; call build(inputShape) "
                    + "or fit/predict it first");
        }
        long n = 0;
        for (Variable v : weights()) {
            n += v.size();
        }
        return n;
    }

    /** Freezes or unfreezes the model and, as in Keras, every layer in it. */
    @Override
    public void setTrainable(boolean trainable) {
        super.setTrainable(trainable);
        for (Layer layer : layers()) {
            layer.setTrainable(trainable);
        }
    }

    /** The regularization penalties of every layer, for the training loss. */
    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        if (trainable()) {
            for (Layer layer : layers()) {
                out.addAll(layer.losses());
            }
        }
        return out;
    }

    /** Keras' {@code get_weights}: copies of every weight's value, in {@link #variables()} order. */
    public List<INDArray> getWeights() {
        try (ThreadGuard.Use use = guard.shared("getWeights")) {
            return weights().stream().map(v -> v.array().dup()).toList();
        }
    }

    /**
     * Keras' {@code set_weights}: assigns values in {@link #variables()} order. Counts and shapes are
     * checked first, so a mismatch changes nothing.
     */
    public void setWeights(List<INDArray> values) {
        try (ThreadGuard.Use use = guard.exclusive("setWeights")) {
            assignWeights(values);
        }
    }

    private void assignWeights(List<INDArray> values) {
        List<Variable> weights = weights();
        if (values == null || values.size() != weights.size()) {
            throw new IllegalArgumentException(describe() + ".setWeights: the model has " + weights.size()
                    + " weights but " + (values == null ? "null" : values.size() + " values") + " were given");
        }
        for (int i = 0; i < weights.size(); i++) {
            INDArray value = values.get(i);
            if (value == null || !Arrays.equals(value.shape(), weights.get(i).shape())) {
                throw new IllegalArgumentException(describe() + ".setWeights: weight " + weights.get(i).name() + " has shape "
                        + Shapes.format(weights.get(i).shape()) + " but value " + i + " has shape "
                        + (value == null ? "null" : Shapes.format(value.shape())));
            }
        }
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).assign(values.get(i));
        }
    }

    // ---------------------------------------------------------------- summary

    /** Prints {@link #summaryString()} to standard output. */
    public void summary() {
        System.out.print(summaryString());
    }

    /**
     * Keras 3's summary table: {@code Layer (type)}, {@code Output Shape}, {@code Param #} per layer, then the
     * total, trainable and non-trainable parameter counts with their sizes in bytes (and the optimizer's
     * once it has state).
     */
    public String summaryString() {
        return Summary.of(this);
    }

    // ---------------------------------------------------------------- compile

    /**
     * Keras' {@code compile}: the optimizer, the loss and the metrics to report. Metrics are {@link Metric}s or
     * Keras names; {@code "accuracy"} ({@code "acc"}) becomes binary, categorical or sparse categorical
     * accuracy to suit the loss, as in Keras. Returns this model, for {@code compile(...).fit(...)}.
     */
    public Model compile(Optimizer optimizer, Loss loss, Object... metrics) {
        try (ThreadGuard.Use use = guard.exclusive("compile")) {
            this.compiled = Compiled.of(this, optimizer, loss, metrics);
        }
        return this;
    }

    /** {@code compile} by Keras names: {@code compile("adam", "mse", "mae")}. */
    public Model compile(String optimizer, String loss, String... metrics) {
        Compiled.requireBoth(this, optimizer, loss);
        return compile(Optimizers.get(optimizer), Losses.get(loss), (Object[]) metrics);
    }

    /** {@code compile} with a named optimizer and a loss object. */
    public Model compile(String optimizer, Loss loss, Object... metrics) {
        Compiled.requireBoth(this, optimizer, loss);
        return compile(Optimizers.get(optimizer), loss, metrics);
    }

    /** {@code compile} with an optimizer object and a named loss. */
    public Model compile(Optimizer optimizer, String loss, Object... metrics) {
        Compiled.requireBoth(this, optimizer, loss);
        return compile(optimizer, Losses.get(loss), metrics);
    }

    public boolean isCompiled() {
        return compiled != null;
    }

    /** The compiled optimizer. */
    public Optimizer optimizer() {
        return requireCompiled("optimizer()").optimizer();
    }

    /** The compiled loss. */
    public Loss loss() {
        return requireCompiled("loss()").loss();
    }

    /** The compiled metrics, with the names they log under. */
    public List<Metric> metrics() {
        return requireCompiled("metrics()").metrics();
    }

    Compiled compiled() {
        return compiled;
    }

    /** The compile state with "accuracy" decided from the first batch's shapes. */
    void compiled(Compiled compiled) {
        this.compiled = compiled;
    }

    Compiled requireCompiled(String what) {
        if (compiled == null) {
            throw new IllegalStateException(describe() + "." + what + ": the model must be compiled first, e.g. "
                    + "model.compile(new Adam(0.001), new MeanSquaredError())");
        }
        return compiled;
    }

    // ---------------------------------------------------------------- train, evaluate, predict

    /**
     * Keras' {@code fit}: trains on {@code x} and {@code y} (same number of samples) as {@code options} say.
     * Each step's arrays are allocated in an ND4J workspace that the next step reuses, and the Java arrays of its
     * small tensors are lent again to the next step too; a custom layer that keeps a value it computed in
     * {@code call} beyond the step must copy it out: {@code INDArray.detach()}, or {@code Tensor.copyArray()} for
     * a tensor ({@code Tensor.detach()} shares the values).
     */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        return fit(x, y, null, options);
    }

    /**
     * {@code fit} with Keras' {@code sample_weight}: one weight per sample, {@code [N]} (or {@code [N, 1]}), finite
     * and {@code >= 0}, shuffled with {@code x} and {@code y} and split with them by {@code validationSplit}. Each
     * sample's loss is multiplied by its weight before the loss' reduction, so with the default
     * {@code sum_over_batch_size} a batch's loss is {@code sum(w * loss) / batch size}: weight 0 leaves a sample
     * out of the gradient, weight 2 counts it twice. Weighted metrics see the weights too. As in Keras 3,
     * {@code classWeight} cannot be given as well. {@code sampleWeight} may be null.
     */
    public History fit(INDArray x, INDArray y, INDArray sampleWeight, FitOptions options) {
        try (ThreadGuard.Use use = guard.exclusive("fit")) {
            Trainer t = new Trainer(this, requireCompiled("fit"));
            history = running(t, () -> t.fit(x, y, sampleWeight, options));
            return history;
        }
    }

    /** {@code fit} for {@code epochs} epochs of batches of {@code batchSize}, otherwise Keras' defaults. */
    public History fit(INDArray x, INDArray y, int epochs, int batchSize) {
        return fit(x, y, FitOptions.epochs(epochs).batchSize(batchSize));
    }

    /**
     * {@code fit} on an ND4J iterator of {@code DataSet}s (features and labels); its batches are used as they
     * come, so {@code batchSize}, {@code shuffle} and {@code validationSplit} do not apply. It is reset before
     * each epoch.
     *
     * <p>A DataSet's per-sample labels mask ({@code [batch]} or {@code [batch, 1]}) is honoured as in DL4J: a
     * sample masked 0 counts for nothing in the loss, its gradient or the metrics, whatever its labels hold,
     * and the loss is the mean over the others (Keras' masked mean); other values {@code >= 0} weigh samples.
     * Masked samples still go through the layers, so a layer that mixes samples (BatchNormalization while
     * training) still sees them. Per-timestep or per-output labels masks, and a features mask that is not all
     * ones, are refused: a DL4J features mask is not carried into the layers (Keras masks come from the model's
     * own {@code Embedding(maskZero)} or {@code Masking} layers). Masks need a
     * {@link org.grad4j.losses.LossFunctionWrapper} loss.
     */
    public History fit(DataSetIterator iterator, FitOptions options) {
        try (ThreadGuard.Use use = guard.exclusive("fit")) {
            Trainer t = new Trainer(this, requireCompiled("fit"));
            history = running(t, () -> t.fit(iterator, options));
            return history;
        }
    }

    /**
     * {@code fit} on a {@link Dataset} of batches, {@code (x, y[, sampleWeight])} each, as Keras takes a
     * {@code tf.data.Dataset}: the dataset must be batched ({@code .batch(n)}), and it brings its own batches and
     * order, so {@code batchSize} and {@code shuffle} are ignored and {@code validationSplit} is refused. Each
     * epoch is a new pass to the end, unless {@link FitOptions#stepsPerEpoch(int)} is given: then each epoch takes
     * that many batches and the next continues the same pass (required for an infinite, {@code repeat()}ed,
     * dataset). With an unknown size the progress bar shows no total. An element's {@code sampleWeight}
     * ({@code [batch]}) weighs the loss and the weighted metrics as {@link #fit(INDArray, INDArray, INDArray,
     * FitOptions)} describes; {@code classWeight} is applied batch by batch. Every pass opened is closed, also
     * when training stops early or fails. Validation data may be arrays or another Dataset
     * ({@link FitOptions#validationData(Dataset)}).
     */
    public History fit(Dataset dataset, FitOptions options) {
        try (ThreadGuard.Use use = guard.exclusive("fit")) {
            Trainer t = new Trainer(this, requireCompiled("fit"));
            history = running(t, () -> t.fit(dataset, options));
            return history;
        }
    }

    /** The History of the last {@code fit}, or null. */
    public History history() {
        return history;
    }

    /** Keras' {@code evaluate} in batches of 32: {@code loss} and each metric over all of {@code x}. */
    public Map<String, Double> evaluate(INDArray x, INDArray y) {
        return evaluate(x, y, 32);
    }

    /** Keras' {@code evaluate}: the loss and metrics over all samples, in batches of {@code batchSize}. */
    public Map<String, Double> evaluate(INDArray x, INDArray y, int batchSize) {
        try (ThreadGuard.Use use = guard.exclusive("evaluate")) {   // it updates the compiled metrics
            Trainer t = new Trainer(this, requireCompiled("evaluate"));
            return running(t, () -> t.evaluate(x, y, null, batchSize, List.of()));
        }
    }

    /**
     * Keras' {@code evaluate} with {@code sample_weight} ({@code [N]}, may be null): each sample's loss and metric
     * contributions are weighted as in {@link #fit(INDArray, INDArray, INDArray, FitOptions)}.
     */
    public Map<String, Double> evaluate(INDArray x, INDArray y, INDArray sampleWeight, int batchSize) {
        try (ThreadGuard.Use use = guard.exclusive("evaluate")) {
            Trainer t = new Trainer(this, requireCompiled("evaluate"));
            return running(t, () -> t.evaluate(x, y, sampleWeight, batchSize, List.of()));
        }
    }

    /** Keras' {@code evaluate} on a batched {@link Dataset} of {@code (x, y[, sampleWeight])}: one full pass. */
    public Map<String, Double> evaluate(Dataset dataset) {
        return evaluate(dataset, 0);
    }

    /** Keras' {@code evaluate(steps=...)}: the first {@code steps} batches of a new pass (0: all of it). */
    public Map<String, Double> evaluate(Dataset dataset, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("evaluate: steps must be > 0 (or 0 for a full pass), got " + steps);
        }
        try (ThreadGuard.Use use = guard.exclusive("evaluate")) {
            Trainer t = new Trainer(this, requireCompiled("evaluate"));
            return running(t, () -> t.evaluate(dataset, steps, List.of()));
        }
    }

    /**
     * Keras' {@code evaluate} on every DataSet of an ND4J iterator (reset first when it can be); labels masks act
     * as in {@link #fit(DataSetIterator, FitOptions)}.
     */
    public Map<String, Double> evaluate(DataSetIterator iterator) {
        try (ThreadGuard.Use use = guard.exclusive("evaluate")) {
            Trainer t = new Trainer(this, requireCompiled("evaluate"));
            return running(t, () -> t.evaluate(iterator, List.of()));
        }
    }

    /** Keras' {@code predict} in batches of 32, in inference mode, recording no graph. */
    public INDArray predict(INDArray x) {
        return predict(x, 32);
    }

    /** Keras' {@code predict} in batches of {@code batchSize}. */
    public INDArray predict(INDArray x, int batchSize) {
        try (ThreadGuard.Use use = guard.shared("predict")) {
            return Predictor.predict(this, x, batchSize);
        }
    }

    /**
     * Keras' {@code predict} on a batched {@link Dataset}: the model's outputs for the {@code x} of every element,
     * concatenated along the batch axis; labels and weights are ignored.
     */
    public INDArray predict(Dataset dataset) {
        return predict(dataset, 0);
    }

    /** Keras' {@code predict(steps=...)}: the first {@code steps} batches of a new pass (0: all of it). */
    public INDArray predict(Dataset dataset, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("predict: steps must be > 0 (or 0 for a full pass), got " + steps);
        }
        try (ThreadGuard.Use use = guard.shared("predict")) {
            return Predictor.predict(this, dataset, steps);
        }
    }

    /** Keras' {@code predict} on the features of every DataSet of an ND4J iterator (reset first when it can be). */
    public INDArray predict(DataSetIterator iterator) {
        try (ThreadGuard.Use use = guard.shared("predict")) {
            return Predictor.predict(this, iterator);
        }
    }

    /** Keras' {@code train_on_batch}: one step on one batch; returns the loss and metrics of that batch. */
    public Map<String, Double> trainOnBatch(INDArray x, INDArray y) {
        try (ThreadGuard.Use use = guard.exclusive("trainOnBatch")) {
            Trainer t = new Trainer(this, requireCompiled("trainOnBatch"));
            return running(t, () -> t.trainOnBatch(x, y));
        }
    }

    /** Runs {@code body} with {@code t} as the running loop; a nested one (evaluate from a callback) restores the outer. */
    private <R> R running(Trainer t, Supplier<R> body) {
        Trainer outer = trainer;
        trainer = t;
        try {
            return body.get();
        } finally {
            trainer = outer;
        }
    }

    /** The arrays this model's steps lend to each other (see {@link StepArrays}). */
    StepArrays stepArrays() {
        return stepArrays;
    }

    // ---------------------------------------------------------------- the steps fit and evaluate call

    /**
     * Keras' {@code train_step}: one training step on one batch, called by {@link #fit} and {@link #trainOnBatch}
     * for every batch; returns the logs that callbacks, the progress bar and {@link History} receive (the last
     * step's logs are the epoch's). The default runs the model under a {@link org.grad4j.core.GradientTape},
     * takes {@link #computeLoss}, applies the gradients with the compiled optimizer and returns
     * {@link #computeMetrics}. Override it for a custom step, and add keys of your own to the logs:
     *
     * <pre>{@code
     * @Override protected Map<String, Double> trainStep(Batch b) {
     *     Tensor x = Tensor.of(b.x()), y = Tensor.of(b.y());
     *     List<Variable> vars = trainableVariables();
     *     GradientTape tape = GradientTape.open();
     *     Tensor yPred, penalty, loss;
     *     try (tape) {
     *         yPred = apply(x, true);
     *         penalty = yPred.square().mean().mul(0.01);
     *         loss = computeLoss(x, y, yPred, null).add(penalty);
     *     }
     *     optimizer().applyGradients(tape.gradient(loss, vars), vars);
     *     Map<String, Double> logs = computeMetrics(b, loss.itemDouble(), y, yPred.detach(), null);
     *     logs.put("penalty", penalty.itemDouble());
     *     return logs;
     * }
     * }</pre>
     * It runs inside the step's ND4J workspace, after the optimizer's slots for {@link #trainableVariables()} are
     * built, and lends its small tensors' Java arrays to the next step: copy out any value kept beyond the step
     * ({@code INDArray.detach()}, {@code Tensor.copyArray()}).
     */
    protected Map<String, Double> trainStep(Batch batch) {
        return runningTrainer("trainStep").defaultTrainStep(batch);
    }

    /**
     * Keras' {@code test_step}: one evaluation step on one batch, called by {@link #evaluate} and for
     * {@code fit}'s validation, without recording gradients; returns the logs (the last batch's are the result).
     * The default runs the model in inference mode and returns {@link #computeMetrics} of {@link #computeLoss}.
     */
    protected Map<String, Double> testStep(Batch batch) {
        return runningTrainer("testStep").defaultTestStep(batch);
    }

    /**
     * Keras' {@code compute_loss}: the loss a step minimises. The default is the compiled loss of {@code y} and
     * {@code yPred} with {@code sampleWeight} (and the batch's labels mask, if any) plus the layers' penalties
     * ({@link #losses()}); override it to change the loss of the default steps.
     *
     * @param x            the inputs {@code [batch, ...]}, for losses that need them
     * @param y            the targets {@code [batch, ...]}
     * @param yPred        the model's outputs {@code [batch, ...]}
     * @param sampleWeight per-sample weights {@code [batch]}, or null
     * @return a scalar tensor, recorded on the step's tape when training
     */
    protected Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight) {
        return runningTrainer("computeLoss").defaultLoss(y, yPred, sampleWeight);
    }

    /**
     * Keras' {@code compute_metrics}: adds this batch to the running loss (weighted by its samples) and to the
     * compiled metrics, and returns the running values: a new map of {@code loss} and each metric's name, to
     * which a custom step may add keys.
     *
     * @param loss the batch's loss, e.g. {@code computeLoss(...).itemDouble()}
     */
    protected Map<String, Double> computeMetrics(Batch batch, double loss, Tensor y, Tensor yPred, Tensor sampleWeight) {
        return runningTrainer("computeMetrics").computeMetrics(batch, loss, y, yPred, sampleWeight);
    }

    private Trainer runningTrainer(String what) {
        if (trainer == null) {
            throw new IllegalStateException(describe() + "." + what + ": is called by fit, evaluate and trainOnBatch, "
                    + "not on its own");
        }
        return trainer;
    }

    /** Keras' {@code stop_training}: set by a callback to end {@code fit} after the current epoch. */
    public boolean stopTraining() {
        return stopTraining;
    }

    public void stopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    // ---------------------------------------------------------------- config and files

    /**
     * Keras' {@code get_config}: name, trainable flag and dtype. {@link #save} records a subclass' Java class
     * beside it; a subclass whose constructor takes arguments adds them here and registers a factory that reads
     * them, {@code Layers.register("MyModel", config -> new MyModel(...))}, so that {@link #load} can rebuild it.
     */
    @Override
    public Map<String, Object> config() {
        return super.config();
    }

    /** Keras' {@code get_build_config}: {@code {"input_shape": [null, ...]}}, or null when not built for a known shape. */
    public Map<String, Object> buildConfig() {
        return ModelConfigs.buildConfig(this);
    }

    /** Keras' {@code build_from_config}: builds the model for the shape {@link #buildConfig()} wrote. */
    public void buildFromConfig(Map<String, ?> buildConfig) {
        build(ModelConfigs.inputShape(buildConfig));
    }

    /**
     * Keras' {@code get_compile_config}: the optimizer and loss as {@code {"class_name", "config"}} and the metrics,
     * or null when the model is not compiled. The optimizer's state is not part of it.
     */
    public Map<String, Object> compileConfig() {
        return compiled == null ? null : CompileConfig.of(compiled);
    }

    /** Keras' {@code compile_from_config}: compiles the model as {@link #compileConfig()} describes, with a fresh optimizer. */
    public void compileFromConfig(Map<String, ?> compileConfig) {
        CompileConfig.compile(this, compileConfig);
    }

    /**
     * Saves the architecture, the weights and the compile state (optimizer with its slots, loss, metrics) to
     * one {@code .g4j} zip file or, for a name ending in {@code .keras}, to a Keras 3 file (Sequential models). The
     * file is written next to {@code path} and moved into place, so a failure leaves an existing file as it was.
     */
    public void save(Path path) {
        try (ThreadGuard.Use use = guard.shared("save")) {
            ModelFormats.save(this, path);
        }
    }

    /**
     * Reads a model written by {@link #save}: same architecture, weights and, if compiled, optimizer state. A
     * subclassed model is recreated by the factory registered with {@code Layers.register(className, config -> ...)}
     * or else by its no-argument constructor, then built for the saved input shape. Keras files load too, told
     * apart by their first bytes: Keras 3 {@code .keras} and Keras 2 / tf.keras {@code .h5} full models (Sequential
     * and Functional),
     * with their compile config and optimizer state where present.
     *
     * @throws IllegalArgumentException naming the file and the problem when it is missing, damaged or not a model
     *         file, or uses a layer or option grad4j does not support
     */
    public static Model load(Path path) {
        return ModelFormats.load(path, true);
    }

    /**
     * Keras' {@code load_model(path, compile=False)} when {@code compile} is false: architecture and weights only,
     * for a model whose loss or optimizer cannot be rebuilt from its config (compile it again yourself).
     */
    public static Model load(Path path, boolean compile) {
        return ModelFormats.load(path, compile);
    }

    /**
     * Writes this model as an ONNX file (opset 13, float32) that ONNX Runtime and other ONNX tools run for
     * inference; Sequential models of Dense, Activation, Dropout, Flatten, Rescaling, Conv2D, MaxPooling2D,
     * AveragePooling2D and BatchNormalization layers only. An unsupported layer is reported before the file is
     * touched; the file is replaced atomically.
     */
    public void exportOnnx(Path path) {
        try (ThreadGuard.Use use = guard.shared("exportOnnx")) {
            ModelFormats.exportOnnx(this, path);
        }
    }

    /** Saves only the weights (one {@code .npy} per variable in an {@code .npz} zip), atomically. */
    public void saveWeights(Path path) {
        try (ThreadGuard.Use use = guard.shared("saveWeights")) {
            ModelFormats.saveWeights(this, path);
        }
    }

    /** Loads weights written by {@link #saveWeights} into this (built) model; all are checked before any is set. */
    public void loadWeights(Path path) {
        try (ThreadGuard.Use use = guard.exclusive("loadWeights")) {
            ModelFormats.loadWeights(this, path);
        }
    }

    /** The names of the layers, for messages. */
    String layerNames() {
        return String.join(", ", new LinkedHashSet<>(layers().stream().map(Layer::name).toList()));
    }

    /** A model passes masks to its layers, which attach the output's own mask. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /**
     * None beyond what the model's layers attached to its output: the last layer decides, as in Keras where a
     * model's mask is its output layer's.
     */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return null;
    }
}
