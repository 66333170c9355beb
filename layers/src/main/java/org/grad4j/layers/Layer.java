package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Graph;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.NativeDefaults;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Keras layer: {@link #build} creates the weights once the input shape is known, {@link #call} maps
 * inputs to outputs with {@link Tensor} ops (so gradients come for free). A custom layer overrides
 * {@code build} (weights via {@link #addWeight}, then {@code super.build(inputShape)}) and {@code call}.
 *
 * <p>Every layer gets a name, automatically {@code dense}, {@code dense_1}, ... per class as in Keras;
 * its weights are named {@code <layer>/<weight>:0}, e.g. {@code dense_1/kernel:0}. Errors start with
 * {@link #describe()}, e.g. {@code dense_1 (Dense): ...}.
 */
public abstract class Layer {
    static {
        NativeDefaults.apply();   // a model's first layer loads before ND4J
    }

    private final LayerNames.Issued autoName;
    private String name;
    private boolean autoNamed = true;
    private boolean built;
    private boolean trainable = true;
    private DataType dtype = DataType.FLOAT;
    private InputSpec inputSpec;
    private final LayerWeights weights = new LayerWeights();
    private final List<LayerNode> inboundNodes = new ArrayList<>();
    private static final System.Logger MASK_LOG = System.getLogger("org.grad4j.layers");
    private volatile boolean warnedMaskDropped;

    protected Layer() {
        autoName = LayerNames.issue(getClass());
        name = autoName.name();
    }

    /** Restarts the automatic names ({@code dense}, {@code dense_1}, ...) as Keras' {@code clear_session}. */
    public static void resetNameCounters() {
        LayerNames.reset();
    }

    // ---------------------------------------------------------------- identity

    /** The layer's name: automatic ({@code dense_1}) unless set with {@link #name(String)}. */
    public String name() {
        return name;
    }

    /** Names the layer explicitly; only before it is built, since its weights carry the name. */
    public Layer name(String name) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException(describe() + ": a layer name must be non-blank and contain no '/', got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        if (name.equals(this.name)) {
            return this;   // e.g. a config naming a model that its constructor already built
        }
        requireNotBuilt("name(\"" + name + "\")");
        giveBackAutoName();
        this.name = name;
        return this;
    }

    /** Keras' class name, e.g. {@code Dense}. */
    public String className() {
        return LayerNames.className(getClass());
    }

    /** {@code dense_1 (Dense)}: how messages name this layer. */
    public String describe() {
        return name + " (" + className() + ")";
    }

    /**
     * For a constructor that rejects its arguments: gives the automatic name back (so the failed
     * construction leaves the name counter as it was) and returns the exception to throw.
     */
    protected final IllegalArgumentException invalidArgument(String message) {
        giveBackAutoName();
        return new IllegalArgumentException(message);
    }

    private void giveBackAutoName() {
        if (autoNamed) {
            LayerNames.release(autoName);
            autoNamed = false;
        }
    }

    // ---------------------------------------------------------------- build and call

    /**
     * Creates the weights for inputs of {@code inputShape}, the batch shape (the batch dimension may be
     * -1 when unknown). Overrides create weights with {@link #addWeight}, may record an {@link InputSpec},
     * and end with {@code super.build(inputShape)}. Called by {@link #apply} on the first call; call it
     * directly only on a layer that is not built yet.
     */
    public void build(long... inputShape) {
        built = true;
    }

    /**
     * Keras' {@code call}: the forward pass; {@code training} switches layers such as Dropout and
     * BatchNormalization. Built-in layers begin with {@link #maybeBuild}, so calling them directly works.
     */
    public abstract Tensor call(Tensor inputs, boolean training);

    /** Keras' {@code __call__}: builds the layer on first use, checks the input and runs {@link #call}. */
    public final Tensor apply(Tensor inputs, boolean training) {
        Objects.requireNonNull(inputs, () -> describe() + ": the input is null");
        if (inputs instanceof KerasTensor symbolic) {
            maybeBuild(symbolic);   // builds for the unknown batch, and a rejected shape names the symbolic one
            return Symbolic.call(this, List.of(symbolic), CallKind.SINGLE).get(0);
        }
        Tensor x = inputs;
        // Keras casts inputs to the layer's dtype; only untracked ones, since a cast is not recorded
        if (convertsInputs() && x.dataType() != dtype && !(Graph.isRecording() && Graph.isTracked(x))
                && !(takesIntegerInputs() && x.dataType().isIntType())) {
            x = x.castTo(dtype);
        }
        Tensor mask = Masks.of(inputs);
        if (mask != null && x != inputs) {
            Masks.attach(x, mask);   // a nested model's first layer reads the mask from the cast input
        }
        maybeBuild(x);
        Tensor out = mask == null ? call(x, training) : call(x, mask, training);
        propagateMask(x, mask, out);
        return out;
    }

    /**
     * Keras' {@code call(inputs, mask=...)}: the forward pass given the input's mask ({@code [batch, steps]}, true
     * where a step is real), which {@link #apply} passes when the input carries one ({@link Masks#of}). Layers
     * that read masks (recurrent layers, GlobalAveragePooling1D) override it; this default ignores the mask.
     */
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        return call(inputs, training);
    }

    /**
     * Keras' {@code supports_masking}: whether a mask on the input goes on to the output through
     * {@link #computeMask}. A layer that does not support masking drops it, with a warning, as Keras 3 does.
     */
    public boolean supportsMasking() {
        return false;
    }

    /**
     * Keras' {@code compute_mask}: the output's mask for {@code inputs} carrying {@code mask} (null for none).
     * This default passes the mask on unchanged, right for layers that treat each step on its own.
     */
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return mask;
    }

    /**
     * Keras' {@code _set_mask_metadata}: attaches {@link #computeMask} to the output unless the call attached one
     * already; a layer that does not support masking drops a mask it is given, warning once.
     */
    final void propagateMask(Tensor inputs, Tensor mask, Tensor out) {
        if (supportsMasking()) {
            if (Masks.of(out) == null) {
                Tensor outMask = computeMask(inputs, mask);
                if (outMask != null) {
                    Masks.attach(out, outMask);
                }
            }
        } else if (mask != null && !warnedMaskDropped) {
            warnedMaskDropped = true;
            MASK_LOG.log(System.Logger.Level.WARNING, describe() + " was passed an input with a mask attached to it, "
                    + "but it does not support masking and drops the mask: downstream layers will not see it");
        }
    }

    /**
     * Whether {@link #apply} casts inputs to the layer's dtype (Keras' {@code _convert_input_args}). A layer that
     * reads its inputs as ids (CategoryEncoding) returns false, so that integer ids arrive exactly.
     */
    protected boolean convertsInputs() {
        return true;
    }

    /** Inference: {@code apply(inputs, false)}. */
    public final Tensor apply(Tensor inputs) {
        return apply(inputs, false);
    }

    /**
     * The one place for the lazy build and the input check: builds the layer from the input's shape if
     * needed (undoing a build that fails), then checks the input against the {@link InputSpec} and, for
     * a layer with weights, the data type. A failed check changes nothing.
     */
    protected final void maybeBuild(Tensor inputs) {
        long[] shape = inputs.shape();
        if (!built) {
            checkInput(shape);
            int before = weights.size();
            InputSpec specBefore = inputSpec;
            try {
                buildForInput(shape);
            } catch (RuntimeException e) {
                weights.truncate(before);
                inputSpec = specBefore;
                built = false;
                throw e;
            }
            built = true;
        }
        checkInput(shape);
        if (!weights.isEmpty() && inputs.dataType() != dtype && !(takesIntegerInputs() && inputs.dataType().isIntType())) {
            throw new IllegalArgumentException(describe() + ": the input is " + inputs.dataType() + " "
                    + Shapes.format(shape) + " but the weights are " + dtype + "; cast the input with castTo(DataType."
                    + dtype + ") or create the layer with dtype(DataType." + inputs.dataType() + ")");
        }
    }

    /**
     * Builds the layer for its first input, of batch shape {@code batchShape}: {@link #build} for a layer.
     * Models override it, since their public {@code build} takes the per-sample shape as Keras users write it.
     */
    protected void buildForInput(long[] batchShape) {
        build(batchShape);
    }

    /**
     * True for layers whose inputs are integer ids (Embedding): integer inputs then reach {@link #call} as they
     * are, neither cast to the layer's dtype nor checked against it (Keras' {@code autocast=False}).
     */
    protected boolean takesIntegerInputs() {
        return false;
    }

    public boolean isBuilt() {
        return built;
    }

    /** What the layer accepts, or null for anything. */
    public InputSpec inputSpec() {
        return inputSpec;
    }

    /** Records what the layer accepts; checked by {@link #maybeBuild} before build and before every call. */
    protected final void inputSpec(InputSpec spec) {
        this.inputSpec = spec;
    }

    /** Checks a (batch) shape against the input spec. */
    protected final void checkInput(long[] shape) {
        if (inputSpec != null) {
            inputSpec.check(this, shape);
        }
    }

    /**
     * The output's batch shape for inputs of {@code inputShape} (the batch dimension may be -1). This
     * default runs the layer on zeros (building it if needed), as Keras traces a symbolic call; layers
     * override it with the arithmetic.
     */
    public long[] computeOutputShape(long... inputShape) {
        long[] concrete = inputShape.clone();
        for (int i = 0; i < concrete.length; i++) {
            concrete[i] = concrete[i] == -1 ? 1 : concrete[i];
        }
        long[] out;
        try (NoGrad scope = NoGrad.enter()) {
            out = apply(Tensor.of(Nd4j.zeros(dtype, concrete)), false).shape();
        }
        if (inputShape.length > 0 && inputShape[0] == -1 && out.length > 0) {
            out[0] = -1;
        }
        return out;
    }

    /**
     * Keras' {@code _inbound_nodes}: every call of this layer on symbolic tensors, in call order. A functional
     * model runs the ones its graph uses.
     */
    public List<LayerNode> inboundNodes() {
        return List.copyOf(inboundNodes);
    }

    final void addInboundNode(LayerNode node) {
        inboundNodes.add(node);
    }

    // ---------------------------------------------------------------- weights

    /** As {@link #addWeight(String, long[], Initializer, boolean, Regularizer)} without a regularizer. */
    protected Variable addWeight(String name, long[] shape, Initializer initializer, boolean trainable) {
        return addWeight(name, shape, initializer, trainable, null);
    }

    /**
     * Creates a weight {@code <layer>/<name>:0} of the layer's dtype, initialized by {@code initializer};
     * its penalty (if a regularizer is given) appears in {@link #losses()}.
     */
    protected Variable addWeight(String name, long[] shape, Initializer initializer, boolean trainable,
            Regularizer regularizer) {
        return addWeight(name, shape, dtype, initializer, trainable, regularizer);
    }

    /**
     * A weight of another type than the layer's, as Keras' {@code add_weight(dtype=...)}: Normalization's int
     * {@code count}, say. Only a weight of the layer's floating type can be trainable.
     */
    protected Variable addWeight(String name, long[] shape, DataType type, Initializer initializer, boolean trainable) {
        return addWeight(name, shape, type, initializer, trainable, null);
    }

    private Variable addWeight(String name, long[] shape, DataType type, Initializer initializer, boolean trainable,
            Regularizer regularizer) {
        String fullName = this.name + "/" + name + ":0";
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(describe() + ": weight " + fullName + " needs a known shape, got "
                        + Shapes.format(shape));
            }
        }
        if (weights.contains(name)) {
            throw new IllegalStateException(describe() + ": a weight " + fullName + " already exists; was build() "
                    + "called twice? Build only a layer that is not built yet (isBuilt()), or let apply() build it");
        }
        if (trainable && type != dtype) {
            throw new IllegalArgumentException(describe() + ": weight " + fullName + " of " + type + " cannot be trainable; "
                    + "trainable weights have the layer's type " + dtype);
        }
        // before the initializer allocates: a shape from a file may ask for more than the machine has
        MemoryBudget.reserve(describe(), "weight " + fullName, shape, type);
        INDArray value = initializer.init(shape.clone(), type);
        if (!Arrays.equals(value.shape(), shape) || value.dataType() != type) {
            throw new IllegalStateException(describe() + ": initializer " + initializer.kerasName() + " returned "
                    + value.dataType() + " " + Shapes.format(value.shape()) + " for weight " + fullName + " of "
                    + type + " " + Shapes.format(shape));
        }
        Variable variable = new Variable(fullName, value, trainable && this.trainable);
        weights.add(name, variable, trainable, regularizer);
        return variable;
    }

    /** All weights: those created trainable first, then the others (Keras' order), each in creation order. */
    public List<Variable> weights() {
        return weights.ordered();
    }

    /** The weights an optimizer updates; none while the layer is frozen. */
    public List<Variable> trainableWeights() {
        return trainable ? weights().stream().filter(Variable::trainable).toList() : List.of();
    }

    /** The other weights (BatchNormalization's moving statistics; all of them while frozen). */
    public List<Variable> nonTrainableWeights() {
        return trainable ? weights().stream().filter(v -> !v.trainable()).toList() : weights();
    }

    /** Number of weight elements, trainable or not. */
    public long countParams() {
        if (!isBuilt()) {
            throw new IllegalStateException(describe() + ": countParams() needs a built layer; call build(inputShape) "
                    + "or apply the layer to an input first");
        }
        long n = 0;
        for (Variable v : weights()) {
            n += v.size();
        }
        return n;
    }

    public boolean trainable() {
        return trainable;
    }

    /**
     * Freezes ({@code false}) or unfreezes the layer. Frozen, every weight is non-trainable and is no
     * longer recorded on tapes; unfrozen, the weights created trainable become trainable again.
     */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        weights.setTrainable(trainable);
    }

    /**
     * The regularization penalties of the trainable weights, computed now from their current values
     * (call it inside a tape to differentiate them); empty when there are none.
     */
    public List<Tensor> losses() {
        return trainable ? weights.penalties() : new ArrayList<>();
    }

    // ---------------------------------------------------------------- dtype and config

    /** The data type of the weights (FLOAT unless set). */
    public DataType dtype() {
        return dtype;
    }

    /** Sets the weights' data type (FLOAT64 layers are for gradient checks); only before the layer is built. */
    public Layer dtype(DataType dtype) {
        DTypeNames.dtypeName(dtype);
        if (dtype == this.dtype) {
            return this;
        }
        requireNotBuilt("dtype(" + dtype + ")");
        this.dtype = dtype;
        return this;
    }

    /**
     * Keras' {@code get_config}: name, trainable and dtype, plus each layer's own arguments under their
     * Keras names. {@link Layers#fromConfig} rebuilds the layer from it.
     */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", trainable);
        config.put("dtype", DTypeNames.dtypeName(dtype));
        return config;
    }

    /** For setters of what build uses (initializers, sizes...): fails once the layer is built. */
    protected final void requireNotBuilt(String setting) {
        if (built) {
            throw new IllegalStateException(describe() + ": " + setting + " must be set before the layer is built");
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
