package org.grad4j.core;

import java.util.Arrays;

/**
 * The geometry of sliding windows over a channels_last input {@code [batch, height, width, channels]}, shared by
 * convolution and pooling: window size, strides, dilation, the padding before each spatial axis and the output
 * size. A 1-D input {@code [batch, steps, channels]} is the 2-D case with height 1.
 *
 * <p>Keras' output sizes: {@code valid} gives {@code floor((n - d*(k-1) - 1) / s) + 1}; {@code same} gives
 * {@code ceil(n / s)} with total padding {@code max((out-1)*s + d*(k-1) + 1 - n, 0)}, of which {@code total / 2}
 * goes before and the rest after: an odd cell goes at the end, TensorFlow's rule (PyTorch pads symmetrically).
 *
 * @param batch    the batch size
 * @param height   input height (1 for a 1-D input)
 * @param width    input width (steps for a 1-D input)
 * @param channels input channels
 * @param kernelH  window height
 * @param kernelW  window width
 * @param strideH  vertical stride
 * @param strideW  horizontal stride
 * @param dilationH vertical dilation
 * @param dilationW horizontal dilation
 * @param padTop   padded rows before the input
 * @param padLeft  padded columns before the input
 * @param outH     output height
 * @param outW     output width
 */
public record Windows(int batch, int height, int width, int channels, int kernelH, int kernelW, int strideH, int strideW,
        int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW) {

    /**
     * The windows of {@code size} over an input of {@code inputShape} ({@code [batch, steps, channels]} with one
     * spatial size, or {@code [batch, height, width, channels]} with two).
     *
     * @param op       names the caller in errors, e.g. {@code conv2d_1 (Conv2D)}
     * @param size     window size per spatial axis
     * @param strides  stride per spatial axis
     * @param dilation dilation per spatial axis
     * @param same     {@code same} padding (else {@code valid})
     * @throws IllegalArgumentException for a rank that does not match the window's, non-positive sizes, or a
     *                                  window larger than the (padded) input
     */
    public static Windows of(String op, long[] inputShape, int[] size, int[] strides, int[] dilation, boolean same) {
        int spatial = size.length;
        if (spatial < 1 || spatial > 2 || strides.length != spatial || dilation.length != spatial) {
            throw new IllegalArgumentException(op + ": windows need 1 or 2 spatial axes with one size, stride and "
                    + "dilation each, got size " + Arrays.toString(size) + ", strides " + Arrays.toString(strides)
                    + ", dilation " + Arrays.toString(dilation));
        }
        if (inputShape.length != spatial + 2) {
            throw new IllegalArgumentException(op + ": input must have rank " + (spatial + 2) + " ([batch, "
                    + (spatial == 1 ? "steps" : "height, width") + ", channels], channels_last), got shape "
                    + Shapes.format(inputShape));
        }
        for (int i = 0; i < spatial; i++) {
            if (size[i] < 1 || strides[i] < 1 || dilation[i] < 1) {
                throw new IllegalArgumentException(op + ": window size, strides and dilation must be positive, got size "
                        + Arrays.toString(size) + ", strides " + Arrays.toString(strides) + ", dilation "
                        + Arrays.toString(dilation));
            }
        }
        for (long d : inputShape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": input shape " + Shapes.format(inputShape)
                        + " must be known and fit in an int");
            }
        }
        int[] in = new int[2];
        int[] k = {1, 1};
        int[] s = {1, 1};
        int[] d = {1, 1};
        in[0] = 1;
        for (int i = 0; i < spatial; i++) {
            int axis = 2 - spatial + i;
            in[axis] = (int) inputShape[1 + i];
            k[axis] = size[i];
            s[axis] = strides[i];
            d[axis] = dilation[i];
        }
        int[] out = new int[2];
        int[] before = new int[2];
        for (int a = 0; a < 2; a++) {
            int span = d[a] * (k[a] - 1) + 1;
            if (same) {
                out[a] = (in[a] + s[a] - 1) / s[a];
                int total = Math.max((out[a] - 1) * s[a] + span - in[a], 0);
                before[a] = total / 2;
            } else {
                if (span > in[a]) {
                    throw new IllegalArgumentException(op + ": the window " + Arrays.toString(size) + " (dilation "
                            + Arrays.toString(dilation) + ", spanning " + span + ") is larger than the input's "
                            + (spatial == 1 ? "steps" : a == 0 ? "height" : "width") + " " + in[a] + " of shape "
                            + Shapes.format(inputShape) + " with 'valid' padding");
                }
                out[a] = (in[a] - span) / s[a] + 1;
            }
        }
        return new Windows((int) inputShape[0], in[0], in[1], (int) inputShape[spatial + 1], k[0], k[1], s[0], s[1],
                d[0], d[1], before[0], before[1], out[0], out[1]);
    }

    /**
     * The windows of a transposed convolution over an input of {@code inputShape}: those of the convolution whose
     * gradient it is, which maps the transposed convolution's output ({@link #transposeOutputSize}, here the
     * windows' input) back onto {@code inputShape} (here the windows' output). Its padding is TensorFlow's for that
     * convolution, {@code total = max((m - 1)*s + d*(k-1) + 1 - n, 0)} with {@code total / 2} before, which is also
     * what Keras' JAX backend computes; Keras' torch backend differs by one cell in some odd cases (its own warning).
     *
     * @param op            names the caller in errors
     * @param inputShape    {@code [batch, steps, in]} or {@code [batch, height, width, in]}
     * @param filters       the output channels (the windows' channels)
     * @param outputPadding per spatial axis, each in {@code [0, stride)}, or null for Keras' default (None)
     * @throws IllegalArgumentException for a rank that does not match the window's, non-positive sizes, an output
     *                                  padding out of range, or an empty output
     */
    public static Windows transposed(String op, long[] inputShape, long filters, int[] size, int[] strides,
            int[] dilation, boolean same, int[] outputPadding) {
        int spatial = size.length;
        Windows forward = of(op, inputShape, size, strides, dilation, true);   // checks rank, sizes and known shape
        if (outputPadding != null) {
            if (outputPadding.length != spatial) {
                throw new IllegalArgumentException(op + ": output_padding needs " + spatial + " values, got "
                        + Arrays.toString(outputPadding));
            }
            for (int i = 0; i < spatial; i++) {
                if (outputPadding[i] < 0 || outputPadding[i] >= strides[i]) {
                    throw new IllegalArgumentException(op + ": output_padding must be >= 0 and < strides (as in Keras), "
                            + "got output_padding " + Arrays.toString(outputPadding) + " and strides " + Arrays.toString(strides));
                }
            }
        }
        if (filters < 1 || filters > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": filters must be a positive int, got " + filters);
        }
        int[] n = {1, 1};
        int[] before = {0, 0};
        int[] m = {forward.height(), forward.width()};
        for (int i = 0; i < spatial; i++) {
            int axis = 2 - spatial + i;
            long length = transposeOutputSize(m[axis], size[i], strides[i], dilation[i], same,
                    outputPadding == null ? null : outputPadding[i]);
            if (length < 1 || length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": the output would have " + length + " cells along "
                        + (spatial == 1 ? "steps" : axis == 0 ? "height" : "width") + " for input " + Shapes.format(inputShape)
                        + ", kernel " + Arrays.toString(size) + ", strides " + Arrays.toString(strides) + " and output_padding "
                        + Arrays.toString(outputPadding) + "; use a larger output_padding or 'valid' padding");
            }
            n[axis] = (int) length;
            if (same) {
                int span = dilation[i] * (size[i] - 1) + 1;
                before[axis] = (int) (Math.max((long) (m[axis] - 1) * strides[i] + span - length, 0) / 2);
            }
        }
        return new Windows(forward.batch(), n[0], n[1], (int) filters, forward.kernelH(), forward.kernelW(),
                forward.strideH(), forward.strideW(), forward.dilationH(), forward.dilationW(), before[0], before[1],
                m[0], m[1]);
    }

    /**
     * Output size along one spatial axis of a transposed convolution, as Keras computes it ({@code -1} stays
     * unknown). With span {@code d*(k-1) + 1}: {@code valid} gives {@code (n-1)*s + span + p}, {@code p} defaulting
     * to {@code max(span, s) - span}; {@code same} gives {@code n*s}, or {@code (n-1)*s + span % 2 + p} when an
     * output padding {@code p} is given.
     *
     * @param outputPadding the output padding, or null for Keras' None
     */
    public static long transposeOutputSize(long n, int size, int stride, int dilation, boolean same, Integer outputPadding) {
        if (n < 0) {
            return -1;
        }
        long span = (long) dilation * (size - 1) + 1;
        if (!same) {
            long extra = outputPadding == null ? Math.max(span, stride) - span : outputPadding;
            return (n - 1) * stride + span + extra;
        }
        return outputPadding == null ? n * stride : (n - 1) * stride + span % 2 + outputPadding;
    }

    /** Output size along one spatial axis, as Keras computes it ({@code -1} stays unknown). */
    public static long outputSize(long n, int size, int stride, int dilation, boolean same) {
        if (n < 0) {
            return -1;
        }
        if (same) {
            return (n + stride - 1) / stride;
        }
        long span = (long) dilation * (size - 1) + 1;
        return n < span ? 0 : (n - span) / stride + 1;
    }

    /** Cells in one window: {@code kernelH * kernelW}. */
    public int windowCells() {
        return kernelH * kernelW;
    }

    /** Output positions over the batch: {@code batch * outH * outW}. */
    public int positions() {
        return batch * outH * outW;
    }

    /** True if some window reaches past the input (then the padding value matters). */
    boolean padded() {
        return padTop > 0 || padLeft > 0 || (outH - 1) * strideH + dilationH * (kernelH - 1) + 1 > height
                || (outW - 1) * strideW + dilationW * (kernelW - 1) + 1 > width;
    }

    /** The 4-D input shape {@code [batch, height, width, channels]}. */
    long[] inputShape() {
        return new long[] {batch, height, width, channels};
    }

    /** The windows' shape {@code [batch, outH, outW, kernelH * kernelW, channels]}. */
    long[] windowsShape() {
        return new long[] {batch, outH, outW, windowCells(), channels};
    }
}
