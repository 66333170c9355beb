package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The kernel seam's switch, {@code -Dgrad4j.kernels=auto|nd4j}, and what each mode keeps where. */
class KernelsTest {
    @Test
    void modesAreReadByName() {
        assertEquals(Kernels.Mode.AUTO, Kernels.mode(null));
        assertEquals(Kernels.Mode.AUTO, Kernels.mode("auto"));
        assertEquals(Kernels.Mode.ND4J, Kernels.mode("nd4j"));
        assertEquals(Kernels.Mode.ND4J, Kernels.mode(" ND4J "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.mode("gpu"));
        assertTrue(e.getMessage().contains("\"gpu\"") && e.getMessage().contains("known: auto, nd4j"), e.getMessage());
    }

    @Test
    void theModeIsTheSystemProperty() {
        assertEquals(Kernels.mode(System.getProperty("grad4j.kernels")), Kernels.MODE);
        assertEquals(Kernels.MODE == Kernels.Mode.AUTO, Kernels.JAVA);
    }

    /** Small tensors made by every factory and by ops of each family, a forward and a backward. */
    private static List<Tensor> smallResults() {
        Tensor w = Tensor.of(new float[] {0.5f, -1f, 2f, 3f}, 2, 2).requiresGrad(true);
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor y = x.matmul(w).add(Tensor.scalar(1f)).relu().tanh().mul(2.0).pow(2).sum(false, 1)
                .sub(Tensor.ones(3)).clip(-1, 100).broadcastTo(2, 3).reshape(6);
        Tensor loss = y.sigmoid().exp().mean();
        loss.backward();
        return List.of(w, x, Tensor.scalar(1f), Tensor.scalar(2.0), Tensor.zeros(3), Tensor.onesLike(w), y, loss,
                w.grad(), NeuralNetOps.sigmoidCrossEntropyWithLogits(Tensor.zeros(2), Tensor.ones(2)));
    }

    @Test
    void autoKeepsSmallTensorsInJavaArrays() {
        assumeTrue(Kernels.JAVA, "-Dgrad4j.kernels=nd4j: this test is about the Java kernels of auto mode");
        for (Tensor t : smallResults()) {
            assertTrue(t.isSmallBacked(), "auto: a small float32 tensor should stay in a Java array: " + t.gradFn());
        }
    }

    @Test
    void columnMajorArraysAreReadInRowMajorOrder() {
        // Nd4j.stack, dup('f') and transposed views give 'f'-ordered arrays; their values must not be reordered
        float[] values = {1, 2, 3, 4, 5, 6};
        INDArray c = Nd4j.create(values, new long[] {3, 2}, 'c');
        INDArray f = c.dup('f');
        INDArray eye = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
        assertEquals(c, Tensor.of(f).matmul(Tensor.of(eye)).array());
        assertEquals(c.add(1), Tensor.of(f).add(Tensor.scalar(1f)).array());
        assertEquals(c.transpose().dup('c'), Tensor.of(c.transpose()).mul(1.0).array());
    }

    @Test
    void printingLeavesASmallTensorInJava() {
        assumeTrue(Kernels.JAVA, "-Dgrad4j.kernels=nd4j keeps no tensor in a Java array");
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertEquals("Tensor(" + Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 'c') + ")", t.toString());
        assertTrue(t.isSmallBacked());
    }

    @Test
    void nd4jRunsNoJavaKernel() {
        assumeTrue(!Kernels.JAVA, "-Dgrad4j.kernels=auto: this test is about nd4j mode");
        // no tensor ever lives in a Java array, so no Java kernel has values to loop over; and none reads ND4J's memory
        for (Tensor t : smallResults()) {
            assertFalse(t.isSmallBacked(), "nd4j: a tensor in a Java array: " + t.gradFn());
            assertFalse(Kernels.fits(t));
        }
        assertNull(FloatLoops.floats(Nd4j.ones(4)));
        assertFalse(Kernels.fusedDense(1000, 1000));
    }

    @Test
    void sumDoubleAccumulatesInDoubleOnEitherPath() {
        // 1 + 4096 * 2^-24: a float32 running sum drops every small term, a double one keeps them
        float[] values = new float[4097];
        java.util.Arrays.fill(values, 0x1p-24f);
        values[0] = 1f;
        double expected = 1.0 + 4096 * 0x1p-24;
        assertEquals(expected, Tensor.of(values, 4097).sumDouble());   // past SMALL: ND4J in both modes
        float[] few = java.util.Arrays.copyOf(values, 257);
        assertEquals(1.0 + 256 * 0x1p-24, Tensor.of(few, 257).sumDouble());   // Java in auto mode
        assertEquals(0.0, Tensor.of(new float[0], 0).sumDouble());
    }
}
