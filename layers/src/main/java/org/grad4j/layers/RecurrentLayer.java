package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What Keras' RNN wrapper does for {@link SimpleRNN}, {@link LSTM} and {@link GRU}: inputs {@code [batch, steps,
 * features]}, weights {@code kernel [features, k*units]}, {@code recurrent_kernel [units, k*units]} and {@code bias}
 * in Keras' layouts (k gate blocks side by side), zero initial states, and the options {@code return_sequences},
 * {@code return_state} and {@code go_backwards}. Each subclass writes one time step with {@link Tensor} ops, so
 * gradients are exact; the input projection of all steps is one GEMM and each step adds one GEMM for the recurrence.
 *
 * <p>With {@code go_backwards} the steps are consumed from last to first and a returned sequence stays in processing
 * order, as Keras returns it. A mask ({@code [batch, steps]}, true or 1 where a step is real) makes a masked step
 * carry the previous states and output over unchanged, as Keras' RNN does.
 *
 * @param <L> the concrete layer, so that the fluent setters return it
 */
public abstract class RecurrentLayer<L extends RecurrentLayer<L>> extends Layer {
    protected final int units;
    protected final ActivationFunction activation;
    private boolean useBias = true;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean unroll;
    private boolean zeroOutputForMask;
    private double dropout;
    private Long seed;
    private SplittableRandom random = new SplittableRandom(Seeds.nextSeed());
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer recurrentInitializer = Initializers.orthogonal();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;
    private Variable kernel;
    private Variable recurrentKernel;
    private Variable bias;

    protected RecurrentLayer(int units, ActivationFunction activation) {
        if (units <= 0) {
            throw invalidArgument(className() + ": units must be a positive integer, got " + units);
        }
        this.units = units;
        this.activation = activation == null ? Activations.LINEAR : activation;
        inputSpec(new InputSpec(3, 3, Map.of(), "(batch, steps, features)"));
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    // ---------------------------------------------------------------- options

    /** Whether to add biases (default true). */
    public L useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return self();
    }

    /** Return the output of every step {@code [batch, steps, units]} (true) or of the last one {@code [batch, units]}. */
    public L returnSequences(boolean returnSequences) {
        this.returnSequences = returnSequences;
        return self();
    }

    /** Whether a Keras model gets the final states besides the output (see {@link #callWithState}). */
    public L returnState(boolean returnState) {
        this.returnState = returnState;
        return self();
    }

    /** Consume the steps from last to first; a returned sequence stays in processing order, as in Keras. */
    public L goBackwards(boolean goBackwards) {
        this.goBackwards = goBackwards;
        return self();
    }

    /** Kept for Keras configs; it changes nothing here, where the loop is always over eager steps. */
    public L unroll(boolean unroll) {
        this.unroll = unroll;
        return self();
    }

    /**
     * Whether a returned sequence holds zeros at masked steps (true) or repeats the previous output there (false,
     * the default). Only a returned sequence with a mask is affected; {@link Bidirectional} sets it as Keras does.
     */
    public L zeroOutputForMask(boolean zeroOutputForMask) {
        this.zeroOutputForMask = zeroOutputForMask;
        return self();
    }

    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /**
     * Keras' {@code dropout}: while training, each call drops input features at this rate (one mask per sample and
     * feature, the same for every step, the kept ones scaled by {@code 1/(1-rate)}). Default 0; unseeded.
     */
    public L dropout(double rate) {
        return dropout(rate, null);
    }

    /** As {@link #dropout(double)}, the masks drawn from the layer's own generator seeded with {@code seed}. */
    public L dropout(double rate, Long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(describe() + ": dropout must be in [0, 1), got " + rate);
        }
        this.dropout = rate;
        this.seed = seed;
        this.random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        return self();
    }

    public double dropout() {
        return dropout;
    }

    /** Initial kernel {@code [features, k*units]} (default glorot_uniform). */
    public L kernelInitializer(Initializer initializer) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(initializer, "kernelInitializer");
        return self();
    }

    /** Initial recurrent kernel {@code [units, k*units]} (default orthogonal). */
    public L recurrentInitializer(Initializer initializer) {
        requireNotBuilt("recurrentInitializer");
        this.recurrentInitializer = Objects.requireNonNull(initializer, "recurrentInitializer");
        return self();
    }

    /** Initial bias (default zeros). */
    public L biasInitializer(Initializer initializer) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(initializer, "biasInitializer");
        return self();
    }

    public L kernelRegularizer(Regularizer regularizer) {
        requireNotBuilt("kernelRegularizer");
        this.kernelRegularizer = regularizer;
        return self();
    }

    public L recurrentRegularizer(Regularizer regularizer) {
        requireNotBuilt("recurrentRegularizer");
        this.recurrentRegularizer = regularizer;
        return self();
    }

    public L biasRegularizer(Regularizer regularizer) {
        requireNotBuilt("biasRegularizer");
        this.biasRegularizer = regularizer;
        return self();
    }

    @Override
    public L name(String name) {
        super.name(name);
        return self();
    }

    @Override
    public L dtype(DataType dtype) {
        super.dtype(dtype);
        return self();
    }

    public int units() {
        return units;
    }

    public ActivationFunction activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    /** The kernel {@code [features, k*units]}, or null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The recurrent kernel {@code [units, k*units]}, or null before build. */
    public Variable recurrentKernel() {
        return recurrentKernel;
    }

    /** The bias, or null before build or without bias. */
    public Variable bias() {
        return bias;
    }

    // ---------------------------------------------------------------- what a subclass defines

    /** The number of gate blocks k: 1 for SimpleRNN, 4 for LSTM, 3 for GRU. */
    protected abstract int gates();

    /** The number of states: 2 for LSTM (h, c), else 1 (h). */
    protected int stateCount() {
        return 1;
    }

    /** The bias shape: {@code [k*units]} unless the cell keeps two rows (GRU with reset_after). */
    protected long[] biasShape() {
        return new long[] {(long) gates() * units};
    }

    /** The bias initializer as the cell uses it (LSTM's unit_forget_bias wraps it). */
    protected Initializer effectiveBiasInitializer() {
        return biasInitializer;
    }

    /** The bias added to the input projection of all steps at once, {@code [k*units]}; null for none. */
    protected Tensor projectionBias() {
        return bias;
    }

    /** One step of the cell: the new states from the step's projected input {@code [batch, k*units]}. */
    protected interface Step {
        /** The states after the step; the first one (h) is the step's output. */
        List<Tensor> apply(Tensor projected, List<Tensor> states);
    }

    /** The step for one call, holding whatever it cuts from the weights once per call rather than per step. */
    protected abstract Step step();

    // ---------------------------------------------------------------- build and call

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        long features = inputShape[2];
        if (features <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's last dimension (features) must be known to build, "
                    + "got shape " + Shapes.format(inputShape));
        }
        long width = (long) gates() * units;
        kernel = addWeight("kernel", new long[] {features, width}, kernelInitializer, true, kernelRegularizer);
        recurrentKernel = addWeight("recurrent_kernel", new long[] {units, width}, recurrentInitializer, true,
                recurrentRegularizer);
        bias = useBias ? addWeight("bias", biasShape(), effectiveBiasInitializer(), true, biasRegularizer) : null;
        inputSpec(new InputSpec(3, 3, Map.of(-1, features), "(kernel " + Shapes.format(kernel.shape()) + ")"));
        super.build(inputShape);
    }

    /** The output: {@code [batch, units]}, or {@code [batch, steps, units]} with return_sequences. */
    @Override
    public Tensor call(Tensor inputs, boolean training) {
        return run(inputs, null, training).get(0);
    }

    /** The output with a mask {@code [batch, steps]} (BOOL, or numbers with 1 = real step); null for none. */
    @Override
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        return run(inputs, mask, training).get(0);
    }

    /**
     * Keras' call with {@code return_state}: {@code [output, h]}, or {@code [output, h, c]} for LSTM, each state
     * {@code [batch, units]}. Returns the states whatever {@link #returnState()} says.
     */
    public List<Tensor> callWithState(Tensor inputs, boolean training) {
        if (inputs instanceof KerasTensor symbolic) {
            return List.copyOf(Symbolic.call(this, List.of(symbolic), CallKind.STATE));
        }
        Tensor mask = Masks.of(inputs);
        List<Tensor> out = run(inputs, mask, training);
        propagateMask(inputs, mask, out.get(0));
        return out;
    }

    /** Keras' RNN masks: they reach every step. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** Keras' RNN {@code compute_mask}: a returned sequence keeps the input's mask; a last output has none. */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return returnSequences ? mask : null;
    }

    /** {@link #callWithState(Tensor, boolean)} with a mask (see {@link #call(Tensor, Tensor, boolean)}). */
    public List<Tensor> callWithState(Tensor inputs, Tensor mask, boolean training) {
        return run(inputs, null, mask, training);
    }

    /**
     * Keras' call with {@code initial_state}: the states to start from instead of zeros ({@code [h]}, or {@code [h, c]}
     * for LSTM, each {@code [batch, units]}; gradients flow into them), e.g. an encoder's final states for a decoder.
     * Returns {@code [output, states...]}; the mask may be null.
     */
    public List<Tensor> callWithState(Tensor inputs, List<Tensor> initialState, Tensor mask, boolean training) {
        return run(inputs, Objects.requireNonNull(initialState, "initialState"), mask, training);
    }

    /** The output, starting from {@code initialState} (see {@link #callWithState(Tensor, List, Tensor, boolean)}). */
    public Tensor call(Tensor inputs, List<Tensor> initialState, Tensor mask, boolean training) {
        return callWithState(inputs, initialState, mask, training).get(0);
    }

    private List<Tensor> run(Tensor inputs, Tensor mask, boolean training) {
        return run(inputs, null, mask, training);
    }

    private List<Tensor> run(Tensor inputs, List<Tensor> initialState, Tensor mask, boolean training) {
        Objects.requireNonNull(inputs, () -> describe() + ": the input is null");
        long[] shape = inputs.shape();
        checkInput(shape);
        checkMask(this, mask, shape);   // before the lazy build: a bad mask changes nothing
        maybeBuild(inputs);
        int batch = Math.toIntExact(shape[0]);
        int steps = Math.toIntExact(shape[1]);
        if (steps == 0) {
            throw new IllegalArgumentException(describe() + ": the input has no time steps, shape " + Shapes.format(shape));
        }
        Tensor maskValues = maskValues(mask, shape);
        checkInitialState(initialState, batch);
        Tensor x = training && dropout > 0 ? inputs.mul(dropMask(batch, shape[2])) : inputs;
        Tensor projected = x.matmul(kernel);   // [batch, steps, k*units]: one GEMM for every step
        Tensor inputBias = projectionBias();
        if (inputBias != null) {
            projected = projected.add(inputBias);
        }
        List<Tensor> perStep = projected.unstack(1);
        List<Tensor> maskPerStep = maskValues == null ? null : maskValues.unstack(1);
        List<Tensor> states = new ArrayList<>(stateCount());
        for (int i = 0; i < stateCount(); i++) {
            states.add(initialState != null ? initialState.get(i) : Tensor.of(Nd4j.zeros(dtype(), batch, units)));
        }
        Step step = step();
        List<Tensor> outputs = new ArrayList<>(returnSequences ? steps : 1);
        for (int k = 0; k < steps; k++) {
            int t = goBackwards ? steps - 1 - k : k;
            List<Tensor> next = step.apply(perStep.get(t), states);
            Tensor output = next.get(0);
            if (maskPerStep != null) {
                next = carryMasked(maskPerStep.get(t), next, states);
                output = zeroOutputForMask ? output.mul(maskPerStep.get(t).expandDims(1)) : next.get(0);
            }
            states = next;
            if (returnSequences) {
                outputs.add(output);
            }
        }
        List<Tensor> result = new ArrayList<>(1 + states.size());
        result.add(returnSequences ? Tensor.stack(outputs, 1) : states.get(0));
        result.addAll(states);
        return result;
    }

    /**
     * {@code m * next + (1 - m) * previous} per sample: a masked step keeps the previous states, and with them the
     * previous output, which is the first state (Keras' {@code where(mask, new, previous)}, as arithmetic so that
     * the gradient flows through the kept values).
     */
    private static List<Tensor> carryMasked(Tensor m, List<Tensor> next, List<Tensor> previous) {
        Tensor column = m.expandDims(1);
        Tensor keep = column.rsub(1.0);
        List<Tensor> out = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
            out.add(next.get(i).mul(column).add(previous.get(i).mul(keep)));
        }
        return out;
    }

    private void checkInitialState(List<Tensor> initialState, int batch) {
        if (initialState == null) {
            return;
        }
        String expected = stateCount() + " state" + (stateCount() == 1 ? "" : "s") + " of " + dtype() + " ["
                + batch + ", " + units + "]";
        boolean ok = initialState.size() == stateCount();
        for (int i = 0; ok && i < initialState.size(); i++) {
            Tensor s = initialState.get(i);
            ok = s != null && s.dataType() == dtype() && Arrays.equals(s.shape(), new long[] {batch, units});
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": initial_state must be " + expected + ", got "
                    + initialState.stream().map(s -> s == null ? "null" : s.dataType() + " " + Shapes.format(s.shape())).toList());
        }
    }

    /** One dropout mask {@code [batch, 1, features]}: 0 or {@code 1/(1-rate)}, shared by every step. */
    private Tensor dropMask(int batch, long features) {
        double scale = 1.0 / (1.0 - dropout);
        double[] m = new double[Math.toIntExact(batch * features)];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() >= dropout ? scale : 0.0;
        }
        return Tensor.of(Nd4j.create(m, new long[] {batch, 1, features}, 'c').castTo(dtype()));
    }

    /**
     * Checks that a mask (null for none) is {@code [batch, steps]} of inputs of {@code inputShape} (rank 3, already
     * checked), naming {@code owner} and both shapes.
     */
    static void checkMask(Layer owner, Tensor mask, long[] inputShape) {
        if (mask == null) {
            return;
        }
        long[] expected = {inputShape[0], inputShape[1]};
        if (!Arrays.equals(mask.shape(), expected)) {
            throw new IllegalArgumentException(owner.describe() + ": the mask must have shape [batch, steps] = "
                    + Shapes.format(expected) + " for inputs " + Shapes.format(inputShape) + ", got " + Shapes.format(mask.shape()));
        }
    }

    /** The mask as 0/1 values of the layer's dtype, after checking its shape. */
    private Tensor maskValues(Tensor mask, long[] inputShape) {
        if (mask == null) {
            return null;
        }
        checkMask(this, mask, inputShape);
        org.nd4j.linalg.api.ndarray.INDArray values = mask.array();
        return Tensor.of((values.dataType() == DataType.BOOL ? values : values.neq(0)).castTo(dtype()));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return returnSequences ? new long[] {inputShape[0], inputShape[1], units} : new long[] {inputShape[0], units};
    }

    // ---------------------------------------------------------------- config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("units", units);
        config.put("activation", activation.kerasName());
        putCellConfig(config);
        config.put("use_bias", useBias);
        config.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        config.put("recurrent_initializer", Initializers.serialize(recurrentInitializer));
        config.put("bias_initializer", Initializers.serialize(biasInitializer));
        config.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        config.put("recurrent_regularizer", Regularizers.serialize(recurrentRegularizer));
        config.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        config.put("dropout", dropout);
        config.put("recurrent_dropout", 0.0);
        config.put("seed", seed);
        config.put("return_sequences", returnSequences);
        config.put("return_state", returnState);
        config.put("go_backwards", goBackwards);
        config.put("stateful", false);
        config.put("unroll", unroll);
        config.put("zero_output_for_mask", zeroOutputForMask);
        return config;
    }

    /** The cell's own keys (recurrent_activation, unit_forget_bias, reset_after), after the activation. */
    protected void putCellConfig(Map<String, Object> config) {
    }

    /** The Keras activation named by {@code key}, {@code fallback} when absent; null in a config means linear. */
    static ActivationFunction activation(Map<String, Object> config, String key, String fallback) {
        if (!config.containsKey(key)) {
            return Activations.get(fallback);
        }
        Object value = config.get(key);
        return Activations.get(value == null ? null : value.toString());
    }

    /**
     * Applies the keys every recurrent layer shares to a layer made from the cell's own. Recurrent dropout and
     * stateful layers are not implemented: a config asking for them fails rather than training differently.
     */
    static <L extends RecurrentLayer<L>> L readCommon(L layer, Map<String, Object> config) {
        String owner = layer.className() + ".fromConfig";
        ConfigReader read = new ConfigReader(owner, config);
        if (read.number("recurrent_dropout", 0.0) != 0.0) {
            throw new IllegalArgumentException(owner + ": recurrent_dropout = " + read.number("recurrent_dropout")
                    + " is not supported (only 0.0); remove it from the config, or use dropout (on the inputs) instead");
        }
        layer.dropout(read.number("dropout", 0.0), read.optionalWhole("seed"));
        if (read.bool("stateful", false)) {
            throw new IllegalArgumentException(owner + ": stateful = true is not supported (only false)");
        }
        layer.useBias(read.bool("use_bias", true))
                .returnSequences(read.bool("return_sequences", false))
                .returnState(read.bool("return_state", false))
                .goBackwards(read.bool("go_backwards", false))
                .unroll(read.bool("unroll", false))
                .zeroOutputForMask(read.bool("zero_output_for_mask", false))
                .kernelRegularizer(Regularizers.deserialize(config.get("kernel_regularizer")))
                .recurrentRegularizer(Regularizers.deserialize(config.get("recurrent_regularizer")))
                .biasRegularizer(Regularizers.deserialize(config.get("bias_regularizer")));
        if (config.get("kernel_initializer") != null) {
            layer.kernelInitializer(Initializers.deserialize(config.get("kernel_initializer")));
        }
        if (config.get("recurrent_initializer") != null) {
            layer.recurrentInitializer(Initializers.deserialize(config.get("recurrent_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            layer.biasInitializer(Initializers.deserialize(config.get("bias_initializer")));
        }
        return layer;
    }
}
