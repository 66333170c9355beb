package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** User-defined ops, anomaly mode, and graphs far deeper than the Java stack. */
class CustomOpAnomalyDeepGraphTest {

    /** x³ with its own gradient. */
    static final class Cube extends CustomOp {
        @Override
        protected INDArray forward(INDArray... x) {
            return x[0].mul(x[0]).muli(x[0]);
        }

        @Override
        protected Tensor[] backward(Tensor grad, Tensor output, Tensor... x) {
            return new Tensor[] {grad.mul(x[0].square().mul(3.0))};
        }
    }

    @Test
    void customOpRecordsAndDifferentiates() {
        Tensor x = Tensor.scalar(2f).requiresGrad(true);
        Tensor y = new Cube().apply(x);
        assertEquals("CubeBackward", y.gradFn().name());
        y.backward();
        assertEquals(12f, x.grad().item(), 1e-5f);
    }

    @Test
    void customOpPassesTheGradientCheckAndGivesSecondDerivatives() {
        double err = GradientCheck.check(in -> new Cube().apply(in.get(0)),
                List.of(Tensor.of(new double[] {-1.5, 0.3, 2.0}, DataType.DOUBLE)));
        assertTrue(err < 1e-6, "error " + err);
        Tensor x = Tensor.scalar(2f);
        GradientTape outer = GradientTape.open();
        Tensor dy;
        try (outer) {
            outer.watch(x);
            try (GradientTape inner = GradientTape.open()) {
                inner.watch(x);
                dy = inner.gradient(new Cube().apply(x), x);
            }
        }
        assertEquals(12f, outer.gradient(dy, x).item(), 1e-5f);
    }

    @Test
    void anomalyModeNamesTheOpAndItsForwardTrace() {
        Anomaly.enable(true);
        try {
            Tensor x = Tensor.of(new float[] {0f, 1f}).requiresGrad(true);
            Tensor y = x.sqrt().sum(); // d sqrt at 0 is inf
            AnomalyException e = assertThrows(AnomalyException.class, y::backward);
            assertEquals("SqrtBackward", e.op());
            assertTrue(e.getMessage().contains("SqrtBackward") && e.getMessage().contains("inf"), e.getMessage());
            assertNotNull(e.getCause());
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            assertTrue(trace.toString().contains("anomalyModeNamesTheOpAndItsForwardTrace"), trace.toString());
        } finally {
            Anomaly.enable(false);
        }
    }

    @Test
    void withoutAnomalyModeNaNFlowsSilently() {
        Tensor x = Tensor.of(new float[] {0f, 1f}).requiresGrad(true);
        x.sqrt().sum().backward();
        assertTrue(Float.isInfinite(x.grad().toFloatArray()[0]));
    }

    @Test
    void chainOf100000OpsDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.add(1e-5);
        }
        y.backward();
        assertEquals(1f, x.grad().item());
        assertEquals(2f, y.item(), 1e-2f);
    }
}
