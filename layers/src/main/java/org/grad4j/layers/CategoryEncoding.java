package org.grad4j.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' CategoryEncoding: integer ids in {@code [0, numTokens)} to vectors of {@code numTokens} values, for rank-1
 * and rank-2 inputs, as Keras 3 does it:
 * <ul>
 * <li>{@code "one_hot"}: each id becomes a one-hot vector; {@code [n]} gives {@code [n, numTokens]}, {@code [b, 1]}
 *     gives {@code [b, numTokens]}, and {@code [b, n]} (n &gt; 1) gives {@code [b, n, numTokens]};
 * <li>{@code "multi_hot"} (the default): a 1 for each id present in a sample; the last axis is the sample, so
 *     {@code [b, n]} gives {@code [b, numTokens]} and {@code [n]} (one sample) gives {@code [numTokens]};
 * <li>{@code "count"}: as multi_hot, with how often each id occurs, or the sum of the ids' weights with
 *     {@link #call(Tensor, Tensor)} (Keras' {@code count_weights}).
 * </ul>
 * Ids may come as integer or floating tensors (whole values); the output has the layer's floating type. The output
 * is not differentiable with respect to the ids (TensorFlow's gradient through {@code one_hot} is None): it is a
 * constant on any tape, so a gradient with respect to the ids is null (unconnected). No weights.
 */
public class CategoryEncoding extends Layer {
    /** The output modes, by their Keras names. */
    public static final List<String> OUTPUT_MODES = List.of("one_hot", "multi_hot", "count");

    private final int numTokens;
    private final String outputMode;

    /** Multi-hot encoding of ids in {@code [0, numTokens)}. */
    public CategoryEncoding(int numTokens) {
        this(numTokens, "multi_hot");
    }

    /** {@code outputMode}: {@code "one_hot"}, {@code "multi_hot"} or {@code "count"} (Keras' {@code "binary"} is multi_hot). */
    public CategoryEncoding(int numTokens, String outputMode) {
        String mode = outputMode == null ? null : outputMode.toLowerCase(Locale.ROOT);
        if ("binary".equals(mode)) {
            mode = "multi_hot";   // Keras' deprecated name
        }
        if (mode == null || !OUTPUT_MODES.contains(mode)) {
            throw invalidArgument("CategoryEncoding: unknown output mode " + (outputMode == null ? "null" : "\"" + outputMode
                    + "\"") + " (known: " + String.join(", ", OUTPUT_MODES) + ")");
        }
        if (numTokens < 1) {
            throw invalidArgument("CategoryEncoding: numTokens must be >= 1, got " + numTokens);
        }
        this.numTokens = numTokens;
        this.outputMode = mode;
        inputSpec(new InputSpec(1, 2, Map.of(), ""));
    }

    public int numTokens() {
        return numTokens;
    }

    public String outputMode() {
        return outputMode;
    }

    @Override
    public CategoryEncoding name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public CategoryEncoding dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    /** Ids are read exactly as they come; casting int64 ids to float32 first could change large ones. */
    @Override
    protected boolean convertsInputs() {
        return false;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        long[] inShape = inputs.shape();
        long[] outShape = computeOutputShape(inShape);
        long[] ids = ids(inputs);
        // one_hot writes one row per id; multi_hot and count fold each sample (the last axis) into one row
        int perRow = outputMode.equals("one_hot") ? 1 : Math.toIntExact(inShape[inShape.length - 1]);
        double[] out = new double[Math.toIntExact(Shapes.size(outShape))];
        for (int i = 0; i < ids.length; i++) {
            int at = (i / perRow) * numTokens + (int) ids[i];
            out[at] = outputMode.equals("count") ? out[at] + 1 : 1;
        }
        INDArray encoded = Nd4j.create(out, outShape, 'c');
        return Tensor.of(dtype() == DataType.DOUBLE ? encoded : encoded.castTo(dtype()));
    }

    /**
     * Keras' {@code layer(inputs, count_weights=...)}, for the {@code "count"} mode: each occurrence of an id adds
     * its weight ({@code countWeights} has the ids' shape and the layer's type) instead of 1. The result is
     * differentiable with respect to the weights, as in Keras, and not with respect to the ids.
     */
    public Tensor call(Tensor inputs, Tensor countWeights) {
        Objects.requireNonNull(countWeights, () -> describe() + ": countWeights is null");
        if (!outputMode.equals("count")) {
            throw new IllegalArgumentException(describe() + ": countWeights are used only in \"count\" mode, not \""
                    + outputMode + "\"");
        }
        if (!Arrays.equals(inputs.shape(), countWeights.shape()) || countWeights.dataType() != dtype()) {
            throw new IllegalArgumentException(describe() + ": countWeights must have the ids' shape "
                    + Shapes.format(inputs.shape()) + " and the layer's type " + dtype() + ", got "
                    + countWeights.dataType() + " " + Shapes.format(countWeights.shape()));
        }
        maybeBuild(inputs);
        long[] ids = ids(inputs);
        long[] oneHotShape = Arrays.copyOf(inputs.shape(), inputs.rank() + 1);
        oneHotShape[inputs.rank()] = numTokens;
        double[] oneHot = new double[Math.toIntExact(Shapes.size(oneHotShape))];
        for (int i = 0; i < ids.length; i++) {
            oneHot[i * numTokens + (int) ids[i]] = 1;
        }
        Tensor encoded = Tensor.of(Nd4j.create(oneHot, oneHotShape, 'c').castTo(dtype()));
        // one weighted one-hot row per id, summed over each sample (the last axis of the ids)
        return encoded.mul(countWeights.expandDims(-1)).sum(false, inputs.rank() - 1);
    }

    /** The ids in row-major order, each checked to be a whole number in {@code [0, numTokens)}. */
    private long[] ids(Tensor inputs) {
        DataType type = inputs.dataType();
        long[] ids;
        if (type.isIntType()) {
            ids = inputs.array().dup('c').data().asLong();
        } else if (type.isFPType()) {
            double[] values = inputs.toDoubleArray();
            ids = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != Math.rint(values[i]) || Double.isInfinite(values[i])) {
                    throw new IllegalArgumentException(describe() + ": ids must be whole numbers, got " + values[i]
                            + " at index " + i + " of an input of shape " + Shapes.format(inputs.shape()));
                }
                ids[i] = (long) values[i];
            }
        } else {
            throw new IllegalArgumentException(describe() + ": ids must be an integer or floating tensor, got "
                    + type + " " + Shapes.format(inputs.shape()));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= numTokens) {
                throw new IllegalArgumentException(describe() + ": id " + ids[i] + " (at index " + i + " of an input of "
                        + "shape " + Shapes.format(inputs.shape()) + ") is outside [0, numTokens) with numTokens = "
                        + numTokens);
            }
        }
        return ids;
    }

    /** Keras' {@code compute_output_shape}, for rank-1 and rank-2 inputs. */
    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        int rank = inputShape.length;
        if (outputMode.equals("one_hot") && (inputShape[rank - 1] != 1 || rank == 1)) {
            long[] out = Arrays.copyOf(inputShape, rank + 1);
            out[rank] = numTokens;
            return out;
        }
        long[] out = inputShape.clone();
        out[rank - 1] = numTokens;
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("num_tokens", numTokens);
        config.put("output_mode", outputMode);
        return config;
    }

    static CategoryEncoding fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("CategoryEncoding.fromConfig", config);
        if (read.bool("sparse", false)) {
            throw new IllegalArgumentException("CategoryEncoding.fromConfig: sparse outputs are not supported");
        }
        return new CategoryEncoding(read.integer("num_tokens"), read.string("output_mode", "multi_hot"));
    }
}
