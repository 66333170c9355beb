package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Bidirectional: the recurrent layer runs forward and, as a copy with go_backwards flipped, backward over
 * the steps; the backward sequence is flipped back to time order and the two outputs merged: {@code concat} (the
 * default, along the last axis), {@code sum}, {@code mul}, {@code ave}, or none (see {@link #callWithState}). As in
 * Keras both are rebuilt from the given layer's config, named {@code forward_<name>} and {@code backward_<name>}, and
 * the weights are the forward layer's, then the backward layer's.
 */
public class Bidirectional extends Layer {
    /** Keras' merge modes; {@code NONE} keeps both outputs. */
    public enum MergeMode {
        CONCAT, SUM, MUL, AVE, NONE;

        /** The Keras name ({@code "concat"}), or null for NONE as Keras writes it. */
        public String kerasName() {
            return this == NONE ? null : name().toLowerCase(Locale.ROOT);
        }

        /** The mode of a Keras name; null means NONE. */
        public static MergeMode of(String name) {
            if (name == null || name.equalsIgnoreCase("none")) {
                return NONE;
            }
            for (MergeMode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Bidirectional: unknown merge_mode \"" + name
                    + "\" (known: concat, sum, mul, ave, None)");
        }
    }

    private final RecurrentLayer<?> forward;
    private final RecurrentLayer<?> backward;
    private final MergeMode mergeMode;

    /** Concatenates the two directions' outputs along the last axis. */
    public Bidirectional(RecurrentLayer<?> layer) {
        this(layer, MergeMode.CONCAT);
    }

    /** With a merge mode by Keras name ({@code "concat"}, {@code "sum"}, {@code "mul"}, {@code "ave"}; null for none). */
    public Bidirectional(RecurrentLayer<?> layer, String mergeMode) {
        this(layer, MergeMode.of(mergeMode));
    }

    public Bidirectional(RecurrentLayer<?> layer, MergeMode mergeMode) {
        this(layer, mergeMode, null);
    }

    /**
     * With the backward layer's config given (Keras' {@code backward_layer}, as a saved Bidirectional holds it);
     * null derives it from {@code layer} with go_backwards on.
     */
    Bidirectional(RecurrentLayer<?> layer, MergeMode mergeMode, Map<String, Object> backwardConfig) {
        if (layer == null || layer.isBuilt()) {
            throw invalidArgument("Bidirectional: needs a recurrent layer that is not built yet, got "
                    + (layer == null ? "null" : layer.describe() + " (built)"));
        }
        boolean backwards = backwardConfig == null || new ConfigReader("Bidirectional", backwardConfig)
                .bool("go_backwards", false);
        if (layer.goBackwards() || !backwards) {
            throw invalidArgument("Bidirectional: the forward layer and the backward layer must have different go_backwards "
                    + "values; got forward " + layer.goBackwards() + " and backward " + backwards);
        }
        this.mergeMode = Objects.requireNonNull(mergeMode, "mergeMode");
        this.forward = copy(layer.className(), layer.config(), "forward_", layer.name());
        String backwardName = backwardConfig == null ? layer.name() : String.valueOf(backwardConfig.get("name"));
        Map<String, Object> backwardBase = new LinkedHashMap<>(backwardConfig == null ? layer.config() : backwardConfig);
        backwardBase.put("go_backwards", true);
        this.backward = copy(layer.className(), backwardBase, "backward_", backwardName);
        // Keras: a returned sequence holds zeros at masked steps, so the two directions merge cleanly
        forward.zeroOutputForMask(forward.returnSequences());
        backward.zeroOutputForMask(backward.returnSequences());
        dtype(layer.dtype());
        inputSpec(forward.inputSpec());   // so that a wrong rank names the Bidirectional before it builds
    }

    private static RecurrentLayer<?> copy(String className, Map<String, Object> config, String prefix, String name) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put("name", prefix + (name.startsWith(prefix) ? name.substring(prefix.length()) : name));
        return (RecurrentLayer<?>) Layers.fromConfig(className, c);
    }

    public RecurrentLayer<?> forwardLayer() {
        return forward;
    }

    public RecurrentLayer<?> backwardLayer() {
        return backward;
    }

    public MergeMode mergeMode() {
        return mergeMode;
    }

    @Override
    public Bidirectional dtype(DataType dtype) {
        super.dtype(dtype);
        forward.dtype(dtype);
        backward.dtype(dtype);
        return this;
    }

    @Override
    public Bidirectional name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public void build(long... inputShape) {
        forward.build(inputShape);
        backward.build(inputShape);
        inputSpec(forward.inputSpec());
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        return call(inputs, null, training);
    }

    /** The merged output with a mask {@code [batch, steps]} for both directions (null for none). */
    @Override
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        if (mergeMode == MergeMode.NONE) {
            throw new IllegalStateException(describe() + ": merge_mode None gives two outputs; use callWithState");
        }
        return callWithState(inputs, mask, training).get(0);
    }

    /**
     * Keras' call with return_state: {@code [output, forward states..., backward states...]}; with merge mode none,
     * {@code [forward output, backward output, forward states..., backward states...]}.
     */
    public List<Tensor> callWithState(Tensor inputs, boolean training) {
        if (inputs instanceof KerasTensor symbolic) {
            return List.copyOf(Symbolic.call(this, List.of(symbolic), CallKind.STATE));
        }
        Tensor mask = Masks.of(inputs);
        List<Tensor> out = callWithState(inputs, mask, training);
        Tensor outMask = computeMask(inputs, mask);
        int outputs = mergeMode == MergeMode.NONE ? 2 : 1;
        for (int i = 0; outMask != null && i < outputs; i++) {
            Masks.attach(out.get(i), outMask);
        }
        return out;
    }

    /** Keras' Bidirectional passes masks to both directions. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** Keras' Bidirectional {@code compute_mask}: the input's mask on a returned sequence, none on a last output. */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return forward.returnSequences() ? mask : null;
    }

    /** {@link #callWithState(Tensor, boolean)} with a mask {@code [batch, steps]} (null for none). */
    public List<Tensor> callWithState(Tensor inputs, Tensor mask, boolean training) {
        Objects.requireNonNull(inputs, () -> describe() + ": the input is null");
        checkInput(inputs.shape());
        RecurrentLayer.checkMask(this, mask, inputs.shape());   // before the lazy build: a bad mask changes nothing
        maybeBuild(inputs);
        List<Tensor> f = forward.callWithState(inputs, mask, training);
        List<Tensor> b = backward.callWithState(inputs, mask, training);
        Tensor fOut = f.get(0);
        Tensor bOut = b.get(0);
        if (forward.returnSequences()) {
            // the backward layer returns its steps in processing order: flip them back to time order
            List<Tensor> steps = new ArrayList<>(bOut.unstack(1));
            Collections.reverse(steps);
            bOut = Tensor.stack(steps, 1);
        }
        List<Tensor> out = new ArrayList<>();
        switch (mergeMode) {
            case CONCAT -> out.add(Tensor.concat(List.of(fOut, bOut), -1));
            case SUM -> out.add(fOut.add(bOut));
            case MUL -> out.add(fOut.mul(bOut));
            case AVE -> out.add(fOut.add(bOut).mul(0.5));
            case NONE -> {
                out.add(fOut);
                out.add(bOut);
            }
        }
        out.addAll(f.subList(1, f.size()));
        out.addAll(b.subList(1, b.size()));
        return out;
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        long[] out = forward.computeOutputShape(inputShape);
        if (mergeMode == MergeMode.CONCAT) {
            out[out.length - 1] *= 2;
        }
        return out;
    }

    // ---------------------------------------------------------------- weights of both directions

    @Override
    public List<Variable> weights() {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Variable> out = new ArrayList<>();
        for (Variable v : super.weights()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Layer layer : List.of(forward, backward)) {
            for (Variable v : layer.weights()) {
                if (seen.add(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    @Override
    public void setTrainable(boolean trainable) {
        super.setTrainable(trainable);
        forward.setTrainable(trainable);
        backward.setTrainable(trainable);
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        if (trainable()) {
            out.addAll(forward.losses());
            out.addAll(backward.losses());
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        // as Keras: the forward layer's own config, which a rebuilt Bidirectional names forward_<name> again
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("class_name", forward.className());
        layer.put("config", forward.config());
        config.put("layer", layer);
        config.put("merge_mode", mergeMode.kerasName());
        Map<String, Object> backwardLayer = new LinkedHashMap<>();
        backwardLayer.put("class_name", backward.className());
        backwardLayer.put("config", backward.config());
        config.put("backward_layer", backwardLayer);
        return config;
    }

    @SuppressWarnings("unchecked")
    static Bidirectional fromConfig(Map<String, Object> config) {
        new ConfigReader("Bidirectional.fromConfig", config);
        if (!(config.get("layer") instanceof Map<?, ?> layer)) {
            throw new IllegalArgumentException("Bidirectional.fromConfig: \"layer\" must be a {class_name, config} map, got "
                    + config.get("layer"));
        }
        Layer inner = Layers.deserialize((Map<String, Object>) layer);
        if (!(inner instanceof RecurrentLayer<?> rnn)) {
            throw new IllegalArgumentException("Bidirectional.fromConfig: the layer must be SimpleRNN, LSTM or GRU, got "
                    + inner.describe());
        }
        Object mode = config.containsKey("merge_mode") ? config.get("merge_mode") : "concat";
        Map<String, Object> backwardConfig = null;
        if (config.get("backward_layer") instanceof Map<?, ?> backward) {
            Object backwardInner = backward.get("config");
            if (!(backwardInner instanceof Map<?, ?>) || !rnn.className().equals(backward.get("class_name"))) {
                throw new IllegalArgumentException("Bidirectional.fromConfig: \"backward_layer\" must be a {class_name, config} "
                        + "map of the layer's class " + rnn.className() + ", got " + backward);
            }
            backwardConfig = (Map<String, Object>) backwardInner;
        }
        return new Bidirectional(rnn, MergeMode.of(mode == null ? null : mode.toString()), backwardConfig);
    }
}
