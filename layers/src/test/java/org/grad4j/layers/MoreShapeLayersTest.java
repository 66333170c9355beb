package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** DepthwiseConv2D, ZeroPadding2D, UpSampling2D, Permute and RepeatVector: values, gradients, configs. */
class MoreShapeLayersTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    private static void assertGradients(Layer layer, Tensor x64) {
        double inputError = GradientCheck.check(in -> layer.call(in.get(0), true), List.of(x64));
        assertTrue(inputError < GRADIENT_BOUND, layer.describe() + ": input gradient error " + inputError);
        if (!layer.trainableWeights().isEmpty()) {
            double weightError = GradientCheck.checkVariables(() -> layer.call(x64, true).square().sum(), layer.trainableWeights());
            assertTrue(weightError < GRADIENT_BOUND, layer.describe() + ": weight gradient error " + weightError);
        }
    }

    private static void roundTrip(Layer layer) {
        assertEquals(layer.config(), Layers.fromConfig(layer.className(), layer.config()).config(), layer.describe());
    }

    @Test
    void depthwiseConvolvesEachChannelWithItsOwnFilters() {
        DepthwiseConv2D depthwise = new DepthwiseConv2D(3).depthMultiplier(2).padding("same").strides(2).dtype(DataType.DOUBLE);
        Tensor x = normal64(1, 2, 5, 6, 3);
        Tensor y = depthwise.apply(x);
        assertShape(new long[] {2, 3, 3, 6}, y);
        assertNames(List.of("depthwise_conv2d/kernel:0 [3, 3, 3, 2]", "depthwise_conv2d/bias:0 [6]"), depthwise.weights());
        depthwise.weights().get(1).assign(normal64(2, 6).array());
        y = depthwise.apply(x);
        double[] bias = depthwise.weights().get(1).toDoubleArray();
        for (int c = 0; c < 3; c++) {
            for (int m = 0; m < 2; m++) {
                // channel c, filter m: a plain one-channel convolution
                Tensor kernel = depthwise.kernel().slice(2, c, c + 1).slice(3, m, m + 1);
                double[] expected = ConvolutionOps.conv(x.slice(3, c, c + 1), kernel, null, false, new int[] {2, 2}, true,
                        new int[] {1, 1}, 1).toDoubleArray();
                double[] actual = y.slice(3, c * 2 + m, c * 2 + m + 1).toDoubleArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i] + bias[c * 2 + m], actual[i], 1e-12, "channel " + c + " filter " + m);
                }
            }
        }
        assertGradients(depthwise, x);
        roundTrip(depthwise);
    }

    @Test
    void zeroPaddingAddsZerosOnEachSide() {
        ZeroPadding2D pad = new ZeroPadding2D(1, 0, 2, 1);
        Tensor y = pad.apply(Tensor.ones(1, 2, 2, 1));
        assertShape(new long[] {1, 3, 5, 1}, y);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0}, y.toFloatArray());
        assertArrayEquals(new long[] {-1, 3, 5, 4}, pad.computeOutputShape(-1, 2, 2, 4));
        assertEquals(List.of(List.of(1, 0), List.of(2, 1)), pad.config().get("padding"));
        roundTrip(pad);
        assertGradients(new ZeroPadding2D(), normal64(3, 1, 2, 3, 2));
    }

    @Test
    void upSamplingRepeatsRowsAndColumns() {
        UpSampling2D up = new UpSampling2D(2, 3);
        Tensor y = up.apply(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1));
        assertShape(new long[] {1, 4, 6, 1}, y);
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, y.toFloatArray());
        roundTrip(up);
        assertGradients(new UpSampling2D(), normal64(4, 2, 2, 3, 2));
    }

    @Test
    void permuteAndRepeatVector() {
        Permute permute = new Permute(2, 1);
        permute.dtype(DataType.DOUBLE);
        Tensor x = normal64(5, 2, 3, 4);
        Tensor y = permute.apply(x);
        assertShape(new long[] {2, 4, 3}, y);
        assertEquals(x.toDoubleArray()[1 * 12 + 2 * 4 + 3], y.toDoubleArray()[1 * 12 + 3 * 3 + 2], 0.0);
        assertArrayEquals(new long[] {-1, 4, 3}, permute.computeOutputShape(-1, 3, 4));
        roundTrip(permute);
        assertGradients(permute, x);
        assertThrows(IllegalArgumentException.class, () -> new Permute(0, 1));
        RepeatVector repeat = new RepeatVector(3);
        Tensor r = repeat.apply(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertShape(new long[] {2, 3, 2}, r);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, r.toFloatArray());
        roundTrip(repeat);
        assertGradients(repeat, normal64(6, 2, 5));
    }
}
