package org.grad4j.layers;

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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' MultiHeadAttention over sequences {@code query [batch, T, dq]}, {@code value [batch, S, dv]} and
 * {@code key [batch, S, dk]} (the key defaults to the value). Weights in Keras' per-head layouts and order:
 * {@code query/kernel [dq, heads, key_dim]}, {@code query/bias [heads, key_dim]}, the same for {@code key}, then
 * {@code value/kernel [dv, heads, value_dim]}, {@code value/bias}, {@code attention_output/kernel [heads, value_dim,
 * out]} and {@code attention_output/bias [out]}, where {@code out} is output_shape or else the query's last dimension.
 *
 * <p>Scores {@code [batch, heads, T, S]} are the projected query scaled by {@code 1/sqrt(key_dim)} times the
 * projected key, soft-maxed over S. An attention mask {@code [batch, T, S]} (true or 1 = may attend) and the causal
 * mask (key s only for query t >= s) push masked scores to -1e9 before the softmax and zero their probabilities
 * after it, as Keras' Softmax layer does. Dropout (default 0) drops attention probabilities while training.
 */
public class MultiHeadAttention extends Layer {
    /** Keras' large negative number for masked scores in float32. */
    private static final double MASKED = -1e9;

    private final int numHeads;
    private final int keyDim;
    private int valueDim;
    private double dropout;
    private Long seed;
    private SplittableRandom random;
    private boolean useBias = true;
    private Integer outputShape;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Variable queryKernel;
    private Variable queryBias;
    private Variable keyKernel;
    private Variable keyBias;
    private Variable valueKernel;
    private Variable valueBias;
    private Variable outputKernel;
    private Variable outputBias;

    /** {@code numHeads} heads of size {@code keyDim} for queries, keys and values. */
    public MultiHeadAttention(int numHeads, int keyDim) {
        if (numHeads <= 0 || keyDim <= 0) {
            throw invalidArgument("MultiHeadAttention: num_heads and key_dim must be positive integers, got num_heads="
                    + numHeads + ", key_dim=" + keyDim);
        }
        this.numHeads = numHeads;
        this.keyDim = keyDim;
        this.valueDim = keyDim;
        this.random = new SplittableRandom(Seeds.nextSeed());
        inputSpec(new InputSpec(3, 3, Map.of(), "(batch, steps, features)"));
    }

    /** The size of each value head (default key_dim). */
    public MultiHeadAttention valueDim(int valueDim) {
        requireNotBuilt("valueDim");
        if (valueDim <= 0) {
            throw new IllegalArgumentException(describe() + ": value_dim must be a positive integer, got " + valueDim);
        }
        this.valueDim = valueDim;
        return this;
    }

    /** The output's last dimension (default: the query's). */
    public MultiHeadAttention outputShape(int outputShape) {
        requireNotBuilt("outputShape");
        if (outputShape <= 0) {
            throw new IllegalArgumentException(describe() + ": output_shape must be a positive integer, got " + outputShape);
        }
        this.outputShape = outputShape;
        return this;
    }

    /** The rate at which attention probabilities are dropped while training (default 0), unseeded. */
    public MultiHeadAttention dropout(double rate) {
        return dropout(rate, null);
    }

    /** As {@link #dropout(double)} with a seed for the layer's own generator. */
    public MultiHeadAttention dropout(double rate, Long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(describe() + ": dropout must be in [0, 1), got " + rate);
        }
        this.dropout = rate;
        this.seed = seed;
        this.random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        return this;
    }

    public MultiHeadAttention useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    public MultiHeadAttention kernelInitializer(Initializer initializer) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(initializer, "kernelInitializer");
        return this;
    }

    public MultiHeadAttention biasInitializer(Initializer initializer) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(initializer, "biasInitializer");
        return this;
    }

    @Override
    public MultiHeadAttention name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public MultiHeadAttention dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    public int numHeads() {
        return numHeads;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    // ---------------------------------------------------------------- build

    /** Self-attention shapes: query, value and key all of {@code inputShape}. */
    @Override
    public void build(long... inputShape) {
        build(inputShape, inputShape, inputShape);
    }

    /** Builds for {@code [batch, T, dq]} queries, {@code [batch, S, dv]} values and {@code [batch, S, dk]} keys. */
    public void build(long[] queryShape, long[] valueShape, long[] keyShape) {
        requireNotBuilt("build");
        long[] key = keyShape == null ? valueShape : keyShape;
        checkShapes(queryShape, valueShape, key);
        long dq = queryShape[2];
        long out = outputShape != null ? outputShape : dq;
        queryKernel = addWeight("query/kernel", new long[] {dq, numHeads, keyDim}, kernelInitializer, true);
        queryBias = useBias ? addWeight("query/bias", new long[] {numHeads, keyDim}, biasInitializer, true) : null;
        keyKernel = addWeight("key/kernel", new long[] {key[2], numHeads, keyDim}, kernelInitializer, true);
        keyBias = useBias ? addWeight("key/bias", new long[] {numHeads, keyDim}, biasInitializer, true) : null;
        valueKernel = addWeight("value/kernel", new long[] {valueShape[2], numHeads, valueDim}, kernelInitializer, true);
        valueBias = useBias ? addWeight("value/bias", new long[] {numHeads, valueDim}, biasInitializer, true) : null;
        outputKernel = addWeight("attention_output/kernel", new long[] {numHeads, valueDim, out}, kernelInitializer, true);
        outputBias = useBias ? addWeight("attention_output/bias", new long[] {out}, biasInitializer, true) : null;
        inputSpec(new InputSpec(3, 3, Map.of(-1, dq), "(query/kernel " + Shapes.format(queryKernel.shape()) + ")"));
        super.build(queryShape);
    }

    /** Ranks, known feature sizes, one batch, S shared by value and key; before anything changes. */
    private void checkShapes(long[] query, long[] value, long[] key) {
        for (long[] shape : List.of(query, value, key)) {
            if (shape.length != 3 || shape[2] <= 0) {
                throw new IllegalArgumentException(describe() + ": query, value and key must be [batch, steps, features] "
                        + "with known features, got query " + Shapes.format(query) + ", value " + Shapes.format(value)
                        + ", key " + Shapes.format(key));
            }
        }
        if (value[1] != key[1] || !sameOrUnknown(query[0], value[0]) || !sameOrUnknown(value[0], key[0])) {
            throw new IllegalArgumentException(describe() + ": value and key must have the same batch and steps as each "
                    + "other (and the query's batch), got query " + Shapes.format(query) + ", value " + Shapes.format(value)
                    + ", key " + Shapes.format(key));
        }
    }

    private static boolean sameOrUnknown(long a, long b) {
        return a == b || a == -1 || b == -1;
    }

    /** Checks the shapes against the built weights (and builds on first use). */
    private void prepare(Tensor query, Tensor value, Tensor key) {
        if (!isBuilt()) {
            build(query.shape(), value.shape(), key.shape());
        }
        checkShapes(query.shape(), value.shape(), key.shape());
        long[][] expected = {
            {queryKernel.shape()[0], query.shape()[2]}, {valueKernel.shape()[0], value.shape()[2]},
            {keyKernel.shape()[0], key.shape()[2]}};
        for (int i = 0; i < 3; i++) {
            if (expected[i][0] != expected[i][1]) {
                String which = i == 0 ? "query" : i == 1 ? "value" : "key";
                throw new IllegalArgumentException(describe() + ": " + which + " last dimension must be " + expected[i][0]
                        + " (" + which + "/kernel), got query " + Shapes.format(query.shape()) + ", value "
                        + Shapes.format(value.shape()) + ", key " + Shapes.format(key.shape()));
            }
        }
        for (Tensor t : List.of(query, value, key)) {
            if (t.dataType() != dtype()) {
                throw new IllegalArgumentException(describe() + ": the inputs must be " + dtype() + " like the weights, got "
                        + t.dataType() + " " + Shapes.format(t.shape()));
            }
        }
    }

    // ---------------------------------------------------------------- call

    /** Self-attention: query, value and key are all {@code inputs}. */
    @Override
    public Tensor call(Tensor inputs, boolean training) {
        return call(inputs, inputs, null, null, training, false);
    }

    /** Attention of {@code query} over {@code value} (also the key). */
    public Tensor call(Tensor query, Tensor value) {
        return call(query, value, null, null, false, false);
    }

    public Tensor call(Tensor query, Tensor value, Tensor key) {
        return call(query, value, key, null, false, false);
    }

    public Tensor call(Tensor query, Tensor value, Tensor key, Tensor attentionMask) {
        return call(query, value, key, attentionMask, false, false);
    }

    public Tensor call(Tensor query, Tensor value, Tensor key, Tensor attentionMask, boolean training) {
        return call(query, value, key, attentionMask, training, false);
    }

    /**
     * The attention output {@code [batch, T, out]}.
     *
     * @param key           {@code [batch, S, dk]}, or null for the value
     * @param attentionMask {@code [batch, T, S]}, true (or nonzero) where query t may attend to key s; null for none
     * @param useCausalMask also hide every key after the query's own position
     */
    public Tensor call(Tensor query, Tensor value, Tensor key, Tensor attentionMask, boolean training,
            boolean useCausalMask) {
        if (query instanceof KerasTensor) {
            if (attentionMask != null || useCausalMask) {
                throw new IllegalArgumentException(describe() + ": a functional model cannot record an attention mask "
                        + "or a causal mask yet; call it on query, value and key only");
            }
            List<Tensor> args = key == null ? List.of(query, value) : List.of(query, value, key);
            return Symbolic.call(this, Symbolic.all(this, args), CallKind.ATTENTION).get(0);
        }
        return attend(query, value, key, attentionMask, training, useCausalMask)[0];
    }

    /** Keras' {@code return_attention_scores=True}: {@code [output, scores]}, the scores {@code [batch, heads, T, S]}. */
    public List<Tensor> callWithScores(Tensor query, Tensor value, Tensor key, Tensor attentionMask, boolean training,
            boolean useCausalMask) {
        return List.of(attend(query, value, key, attentionMask, training, useCausalMask));
    }

    private Tensor[] attend(Tensor query, Tensor value, Tensor keyOrNull, Tensor attentionMask, boolean training,
            boolean useCausalMask) {
        Objects.requireNonNull(query, () -> describe() + ": the query is null");
        Objects.requireNonNull(value, () -> describe() + ": the value is null");
        Tensor key = keyOrNull == null ? value : keyOrNull;
        checkShapes(query.shape(), value.shape(), key.shape());
        long batch = query.shape()[0];
        long t = query.shape()[1];
        long s = value.shape()[1];
        Tensor queryMask = Masks.of(query);
        Tensor keyMask = keyOrNull == null || keyOrNull == value ? null : Masks.of(keyOrNull);
        // every mask is checked before the lazy build: a bad one changes nothing
        Tensor mask = mask(attentionMask, useCausalMask, batch, t, s);
        INDArray fromInputs = inputMasks(queryMask, Masks.of(value), keyMask, batch, t, s);
        if (fromInputs != null) {
            Tensor m = Tensor.of(fromInputs.castTo(dtype()).reshape(batch, 1, t, s));
            mask = mask == null ? m : mask.mul(m);   // Keras ANDs the inputs' masks with the given and causal ones
        }
        prepare(query, value, key);

        Tensor q = heads(query, queryKernel, queryBias, keyDim).mul(1.0 / Math.sqrt(keyDim));
        Tensor k = heads(key, keyKernel, keyBias, keyDim);
        Tensor v = heads(value, valueKernel, valueBias, valueDim);
        Tensor scores = q.matmul(k, false, true);   // [batch, heads, T, S]
        if (mask != null) {
            scores = scores.add(mask.rsub(1.0).mul(MASKED));
        }
        Tensor probabilities = scores.softmax(-1);
        if (mask != null) {
            probabilities = probabilities.mul(mask);
        }
        Tensor attended = training && dropout > 0 ? probabilities.mul(dropMask(probabilities.shape())) : probabilities;
        Tensor o = attended.matmul(v).transpose(0, 2, 1, 3).reshape(batch, t, (long) numHeads * valueDim);
        long out = outputKernel.shape()[2];
        Tensor y = o.matmul(outputKernel.reshape((long) numHeads * valueDim, out));
        if (outputBias != null) {
            y = y.add(outputBias);
        }
        if (queryMask != null) {
            Masks.attach(y, queryMask);   // Keras: the output keeps the query's mask
        }
        return new Tensor[] {y, probabilities};
    }

    /**
     * Keras' {@code _compute_attention_mask} from the inputs' own masks: query t may attend to key s when both are
     * real steps ({@code query_mask[:, :, None] & value_mask[:, None, :]}, and the key's when a distinct key has
     * one); {@code [batch, T, S]} of 0/1 floats, or null when no input carries a mask.
     */
    private INDArray inputMasks(Tensor queryMask, Tensor valueMask, Tensor keyMask, long batch, long t, long s) {
        if (queryMask == null && valueMask == null && keyMask == null) {
            return null;
        }
        INDArray out = Nd4j.ones(DataType.FLOAT, batch, t, s);
        if (queryMask != null) {
            out = out.mul(steps(queryMask, "query", batch, t).reshape(batch, t, 1).broadcast(batch, t, s));
        }
        if (valueMask != null) {
            out = out.mul(steps(valueMask, "value", batch, s).reshape(batch, 1, s).broadcast(batch, t, s));
        }
        if (keyMask != null) {
            out = out.mul(steps(keyMask, "key", batch, s).reshape(batch, 1, s).broadcast(batch, t, s));
        }
        return out;
    }

    private INDArray steps(Tensor mask, String which, long batch, long steps) {
        long[] expected = {batch, steps};
        if (!Arrays.equals(mask.shape(), expected)) {
            throw new IllegalArgumentException(describe() + ": the " + which + "'s mask must have shape [batch, steps] = "
                    + Shapes.format(expected) + ", got " + Shapes.format(mask.shape()));
        }
        return Masks.bool(mask).castTo(DataType.FLOAT);
    }

    /** {@code x [batch, steps, d]} projected per head: {@code [batch, heads, steps, size]}, one GEMM. */
    private Tensor heads(Tensor x, Variable kernel, Variable bias, int size) {
        long width = (long) numHeads * size;
        Tensor p = x.matmul(kernel.reshape(kernel.shape()[0], width));
        if (bias != null) {
            p = p.add(bias.reshape(width));
        }
        long[] shape = x.shape();
        return p.reshape(shape[0], shape[1], numHeads, size).transpose(0, 2, 1, 3);
    }

    /** The combined mask as 0/1 values {@code [batch, 1, T, S]} (or {@code [1, 1, T, S]}), or null for none. */
    private Tensor mask(Tensor attentionMask, boolean causal, long batch, long t, long s) {
        Tensor combined = null;
        if (attentionMask != null) {
            long[] expected = {batch, t, s};
            if (!Arrays.equals(attentionMask.shape(), expected)) {
                throw new IllegalArgumentException(describe() + ": attention_mask must have shape [batch, T, S] = "
                        + Shapes.format(expected) + ", got " + Shapes.format(attentionMask.shape()));
            }
            INDArray m = attentionMask.array();
            combined = Tensor.of((m.dataType() == DataType.BOOL ? m : m.neq(0)).castTo(dtype()).reshape(batch, 1, t, s));
        }
        if (causal) {
            double[] lower = new double[Math.toIntExact(t * s)];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s && j <= i; j++) {
                    lower[i * (int) s + j] = 1;
                }
            }
            Tensor c = Tensor.of(Nd4j.create(lower, new long[] {1, 1, t, s}, 'c').castTo(dtype()));
            combined = combined == null ? c : combined.mul(c);
        }
        return combined;
    }

    private Tensor dropMask(long[] shape) {
        double scale = 1.0 / (1.0 - dropout);
        double[] m = new double[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() >= dropout ? scale : 0.0;
        }
        return Tensor.of(Nd4j.create(m, shape, 'c').castTo(dtype()));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        out[2] = outputShape != null ? outputShape : isBuilt() ? outputKernel.shape()[2] : inputShape[2];
        return out;
    }

    // ---------------------------------------------------------------- config

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("num_heads", numHeads);
        config.put("key_dim", keyDim);
        config.put("value_dim", valueDim);
        config.put("dropout", dropout);
        config.put("use_bias", useBias);
        config.put("output_shape", outputShape);
        config.put("attention_axes", null);
        config.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        config.put("bias_initializer", Initializers.serialize(biasInitializer));
        config.put("seed", seed);
        return config;
    }

    static MultiHeadAttention fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("MultiHeadAttention.fromConfig", config);
        MultiHeadAttention mha = new MultiHeadAttention(read.integer("num_heads"), read.integer("key_dim"));
        Integer valueDim = read.integer("value_dim", null);
        if (valueDim != null) {
            mha.valueDim(valueDim);
        }
        Object out = config.get("output_shape");
        if (out instanceof List<?> list) {
            if (list.size() != 1 || !(list.get(0) instanceof Number)) {
                throw new IllegalArgumentException("MultiHeadAttention.fromConfig: output_shape must be one size (the last "
                        + "dimension), got " + list);
            }
            mha.outputShape(((Number) list.get(0)).intValue());
        } else if (out != null) {
            mha.outputShape(read.integer("output_shape"));
        }
        if (config.get("attention_axes") != null) {
            throw new IllegalArgumentException("MultiHeadAttention.fromConfig: attention_axes = " + config.get("attention_axes")
                    + " is not supported (only None: attention over the steps axis)");
        }
        mha.useBias(read.bool("use_bias", true));
        mha.dropout(read.number("dropout", 0.0), read.optionalWhole("seed"));
        if (config.get("kernel_initializer") != null) {
            mha.kernelInitializer(Initializers.deserialize(config.get("kernel_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            mha.biasInitializer(Initializers.deserialize(config.get("bias_initializer")));
        }
        return mha;
    }
}
