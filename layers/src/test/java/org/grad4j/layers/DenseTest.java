package org.grad4j.layers;

import static org.grad4j.layers.LayerTesting.GRADIENT_BOUND;
import static org.grad4j.layers.LayerTesting.assertNames;
import static org.grad4j.layers.LayerTesting.assertShape;
import static org.grad4j.layers.LayerTesting.normal;
import static org.grad4j.layers.LayerTesting.normal64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.GradientCheck;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class DenseTest {

    @BeforeEach
    void resetNames() {
        Layer.resetNameCounters();
    }

    @Test
    void aKernelLargerThanMemoryIsRefusedBeforeItIsAllocated() {
        // 400 GB: once an ArithmeticException from the initializer, or an OutOfMemoryError for a smaller one
        Dense huge = new Dense(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> huge.apply(normal(1, 1, 1_000_000)));

        assertTrue(e.getMessage().startsWith("dense (Dense): weight dense/kernel:0 [1000000, 100000] FLOAT needs "
                + "400,000,000,000 bytes"), e.getMessage());
        assertFalse(huge.isBuilt());
        assertTrue(huge.weights().isEmpty());
    }

    @Test
    void contract() {
        Dense dense = new Dense(64, "relu");
        Tensor y = dense.apply(normal(1, 32, 9));

        assertShape(new long[] {32, 64}, y);
        assertArrayEquals(y.shape(), dense.computeOutputShape(32, 9));
        assertArrayEquals(new long[] {-1, 64}, dense.computeOutputShape(-1, 9));
        assertEquals(9 * 64 + 64, dense.countParams());
        assertNames(List.of("dense/kernel:0 [9, 64]", "dense/bias:0 [64]"), dense.weights());
        assertEquals(dense.weights(), dense.trainableWeights());
        assertTrue(dense.nonTrainableWeights().isEmpty());
        assertEquals("dense_1", new Dense(1).name());
    }

    @Test
    void forwardIsMatmulPlusBiasThenActivation() {
        Dense dense = new Dense(3, Activations.RELU);
        Tensor x = normal(2, 4, 5);
        Tensor y = dense.apply(x);
        INDArray expected = Transforms.relu(x.array().mmul(dense.kernel().array()).addRowVector(dense.bias().array()), true);
        assertArrayEquals(Tensor.of(expected).toFloatArray(), y.toFloatArray(), 1e-6f);
    }

    @Test
    void rank3InputIsTransformedAlongTheLastAxis() {
        Dense dense = new Dense(4).biasInitializer(Initializers.constant(0.5));
        Tensor x = normal(3, 2, 5, 6);
        Tensor y = dense.apply(x);

        assertShape(new long[] {2, 5, 4}, y);
        assertArrayEquals(new long[] {-1, 5, 4}, dense.computeOutputShape(-1, 5, 6));
        INDArray rows = x.array().reshape(10, 6).mmul(dense.kernel().array()).addi(0.5);
        assertArrayEquals(Tensor.of(rows).toFloatArray(), y.toFloatArray(), 1e-5f);
    }

    @Test
    void withoutBiasThereIsOnlyAKernel() {
        Dense dense = new Dense(10).useBias(false).kernelInitializer(Initializers.heNormal(42));
        dense.build(-1, 9);
        assertNames(List.of("dense/kernel:0 [9, 10]"), dense.weights());
        assertNull(dense.bias());
        assertEquals(90, dense.countParams());
        assertFalse((Boolean) dense.config().get("use_bias"));
    }

    @Test
    void oneGradientDescentStepLowersTheLoss() {
        Dense dense = new Dense(2, "tanh").kernelInitializer(Initializers.glorotUniform(7));
        Tensor x = normal(4, 16, 3);
        Tensor y = normal(5, 16, 2).mul(0.5);
        double before = LayerTesting.descend(dense, x, y, 0.1);
        double after = LayerTesting.loss(dense, x, y).itemDouble();
        assertTrue(after < before, "loss " + before + " -> " + after);
    }

    @Test
    void gradientsOfInputsAndWeightsPassTheCheck() {
        Dense dense = new Dense(3, "tanh").dtype(DataType.DOUBLE).biasInitializer(Initializers.randomNormal(0, 0.5, 3));
        dense.build(-1, 4);
        double inputError = GradientCheck.check(in -> dense.call(in.get(0), true), List.of(normal64(6, 5, 4)));
        assertTrue(inputError < GRADIENT_BOUND, "inputs: " + inputError);

        Tensor x = normal64(7, 5, 4);
        double weightError = GradientCheck.checkVariables(() -> dense.call(x, true).square().sum(), dense.trainableWeights());
        assertTrue(weightError < GRADIENT_BOUND, "weights: " + weightError);
    }

    @Test
    void theSameSeedGivesTheSameKernel() {
        Dense a = new Dense(5).kernelInitializer(Initializers.heNormal(42));
        Dense b = new Dense(5).kernelInitializer(Initializers.heNormal(42));
        a.build(-1, 3);
        b.build(-1, 3);
        assertEquals(a.kernel().array(), b.kernel().array());

        Seeds.set(42);
        Dense c = new Dense(5);
        c.build(-1, 3);
        Seeds.set(42);
        Dense d = new Dense(5);
        d.build(-1, 3);
        assertEquals(c.kernel().array(), d.kernel().array());
    }

    @Test
    void nonPositiveUnitsAreRejectedWithoutUsingAName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        assertEquals("Dense: units must be a positive integer, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(-3, "relu"));
        assertEquals("dense", new Dense(1).name());
    }

    @Test
    void wrongInputWidthNamesTheLayerAndBothShapesAndChangesNothing() {
        Dense dense = new Dense(64);
        new Dense(64);
        Dense second = new Dense(64);
        second.apply(normal(1, 32, 9));
        INDArray kernelBefore = second.kernel().array().dup();

        var e = assertThrows(IllegalArgumentException.class, () -> second.apply(normal(2, 32, 8)));
        assertEquals("dense_2 (Dense): input last dimension must be 9 (kernel [9, 64]), got shape [32, 8]", e.getMessage());
        assertEquals(kernelBefore, second.kernel().array());
        assertEquals(2, second.weights().size());

        // an unbuilt layer given a bad input stays unbuilt
        var rank = assertThrows(IllegalArgumentException.class, () -> dense.call(normal(3, 5), false));
        assertEquals("dense (Dense): input must have rank >= 2, got shape [5]", rank.getMessage());
        assertFalse(dense.isBuilt());
        assertTrue(dense.weights().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> dense.computeOutputShape(5));
    }

    @Test
    void settingsThatShapeTheWeightsAreFixedOnceBuilt() {
        Dense dense = new Dense(2);
        dense.build(-1, 3);
        var e = assertThrows(IllegalStateException.class, () -> dense.kernelInitializer(Initializers.zeros()));
        assertEquals("dense (Dense): kernelInitializer must be set before the layer is built", e.getMessage());
        assertThrows(IllegalStateException.class, () -> dense.useBias(false));
        assertThrows(IllegalStateException.class, () -> dense.dtype(DataType.DOUBLE));
        assertThrows(IllegalStateException.class, () -> dense.name("renamed"));
    }

    @Test
    void untrackedInputsAreCastToTheLayerDtypeAndTrackedOnesMustMatch() {
        Dense dense = new Dense(2);
        Tensor doubles = Tensor.of(Nd4j.create(new double[][] {{1, 2, 3}}));
        assertEquals(DataType.FLOAT, dense.apply(doubles).dataType());

        Tensor tracked = Tensor.of(Nd4j.create(new double[][] {{1, 2, 3}})).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> dense.apply(tracked));
        assertEquals("dense (Dense): the input is DOUBLE [1, 3] but the weights are FLOAT; cast the input with "
                + "castTo(DataType.FLOAT) or create the layer with dtype(DataType.DOUBLE)", e.getMessage());
    }

    @Test
    void buildingFromTheBatchShapeWithUnknownBatch() {
        Dense dense = new Dense(8);
        dense.build(-1, 3);
        assertTrue(dense.isBuilt());
        assertShape(new long[] {3, 8}, dense.kernel());
        var e = assertThrows(IllegalArgumentException.class, () -> new Dense(2).build(-1, -1));
        assertEquals("dense_1 (Dense): the input's last dimension must be known to build, got shape [-1, -1]", e.getMessage());
    }
}
