package org.grad4j.layers;

import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Embedding: integer ids of any shape to rows of {@code embeddings [input_dim, output_dim]}, giving
 * {@code ids.shape + [output_dim]}. Ids come as an INT32 tensor, passed as they are; a float tensor of whole numbers is cast
 * to int32, as Keras does. The gradient of a row adds the incoming rows of every occurrence of its id. With
 * {@code maskZero}, id 0 is padding and {@link #computeMask} marks it.
 */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private boolean maskZero;
    private Initializer embeddingsInitializer = Initializers.randomUniform(-0.05, 0.05);
    private Regularizer embeddingsRegularizer;
    private Variable embeddings;

    /** A table of {@code inputDim} ids (vocabulary size) by {@code outputDim} features. */
    public Embedding(int inputDim, int outputDim) {
        if (inputDim <= 0 || outputDim <= 0) {
            throw invalidArgument("Embedding: input_dim and output_dim must be positive integers, got input_dim "
                    + inputDim + ", output_dim " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /** Whether id 0 is padding to be masked (default false). */
    public Embedding maskZero(boolean maskZero) {
        requireNotBuilt("maskZero");
        this.maskZero = maskZero;
        return this;
    }

    /** Initial rows (default uniform in [-0.05, 0.05], Keras' {@code "uniform"}). */
    public Embedding embeddingsInitializer(Initializer initializer) {
        requireNotBuilt("embeddingsInitializer");
        this.embeddingsInitializer = Objects.requireNonNull(initializer, "embeddingsInitializer");
        return this;
    }

    public Embedding embeddingsRegularizer(Regularizer regularizer) {
        requireNotBuilt("embeddingsRegularizer");
        this.embeddingsRegularizer = regularizer;
        return this;
    }

    @Override
    public Embedding name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Embedding dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    public boolean maskZero() {
        return maskZero;
    }

    /** The table {@code [input_dim, output_dim]}, or null before build. */
    public Variable embeddings() {
        return embeddings;
    }

    @Override
    public void build(long... inputShape) {
        embeddings = addWeight("embeddings", new long[] {inputDim, outputDim}, embeddingsInitializer, true,
                embeddingsRegularizer);
        super.build(inputShape);
    }

    @Override
    protected boolean takesIntegerInputs() {
        return true;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        Tensor ids = inputs.dataType().isIntType() ? inputs : inputs.castTo(DataType.INT32);
        try {
            return embeddings.take(ids);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": ids " + Shapes.format(inputs.shape()) + " must lie in [0, "
                    + inputDim + "): " + e.getMessage(), e);
        }
    }

    /** Keras' {@code compute_mask}: a BOOL tensor of the ids' shape, false where the id is 0; null without maskZero. */
    public Tensor computeMask(Tensor inputs) {
        if (!maskZero) {
            return null;
        }
        return Tensor.of(inputs.array().neq(0).castTo(DataType.BOOL));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        long[] out = java.util.Arrays.copyOf(inputShape, inputShape.length + 1);
        out[inputShape.length] = outputDim;
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("input_dim", inputDim);
        config.put("output_dim", outputDim);
        config.put("embeddings_initializer", Initializers.serialize(embeddingsInitializer));
        config.put("embeddings_regularizer", Regularizers.serialize(embeddingsRegularizer));
        config.put("activity_regularizer", null);
        config.put("embeddings_constraint", null);
        config.put("mask_zero", maskZero);
        return config;
    }

    static Embedding fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("Embedding.fromConfig", config);
        Embedding layer = new Embedding(read.integer("input_dim"), read.integer("output_dim"))
                .maskZero(read.bool("mask_zero", false))
                .embeddingsRegularizer(Regularizers.deserialize(config.get("embeddings_regularizer")));
        if (config.get("embeddings_initializer") != null) {
            layer.embeddingsInitializer(Initializers.deserialize(config.get("embeddings_initializer")));
        }
        return layer;
    }

    /** With maskZero the layer makes a mask (Keras sets {@code supports_masking = mask_zero}). */
    @Override
    public boolean supportsMasking() {
        return maskZero;
    }

    /** Keras' {@code compute_mask(inputs, mask)}: the ids' own mask ({@link #computeMask(Tensor)}). */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return computeMask(inputs);
    }
}
