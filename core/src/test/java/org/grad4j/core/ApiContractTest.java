package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The core section of shared/API.md, statement by statement, so that the contract keeps compiling. */
class ApiContractTest {

    @Test
    void coreSectionOfApiMd() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor s = Tensor.scalar(4f);
        INDArray someINDArray = Nd4j.ones(DataType.FLOAT, 2, 2);
        Tensor t = Tensor.of(someINDArray);
        INDArray a = x.array();
        long[] shape = x.shape();
        float v = s.item();
        assertEquals(4f, v);
        assertEquals(2, shape.length);
        assertTrue(a == x.array() && t.array() == someINDArray);

        Tensor y = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2);
        Tensor w = Tensor.ones(2, 2);
        List<Tensor> all = List.of(x.add(y), x.sub(y), x.mul(y), x.div(y), x.neg(), x.pow(3), x.square(), x.sqrt(),
                x.exp(), x.log(), x.abs(), x.matmul(w), x.sigmoid(), x.tanh(), x.relu(), x.softmax(-1),
                x.logSoftmax(-1), x.sum(), x.sum(true, 0), x.mean(), x.mean(false, 1), x.max(true, 1),
                x.reshape(4), x.transpose(), x.expandDims(0), x.clip(1.5, 3.5), x.maximum(y), x.minimum(y),
                x.add(1.0), x.mul(2.0));
        assertEquals(30, all.size());

        Tensor w4 = Tensor.scalar(4f).requiresGrad(true);
        Tensor y4 = w4.mul(w4);
        assertEquals("MulBackward", y4.gradFn().toString());
        y4.backward(true);
        assertEquals(8f, w4.grad().item());
        y4.backward(true);
        w4.zeroGrad();
        Tensor d = y4.detach();
        assertNull(d.gradFn());
        try (NoGrad scope = NoGrad.enter()) {
            assertNull(w4.mul(w4).gradFn());
        }

        Tensor xs = Tensor.scalar(1f);
        Tensor w1 = Tensor.scalar(2f);
        Tensor b1 = Tensor.scalar(1f);
        Tensor w2 = Tensor.scalar(2f);
        Tensor b2 = Tensor.scalar(1f);
        Tensor y1;
        Tensor y2;
        GradientTape tape = GradientTape.persistent();
        try (tape) {
            tape.watch(w1, b1);
            y1 = xs.mul(w1).add(b1);
            y2 = y1.mul(w2).add(b2);
        }
        Tensor dy2dy1 = tape.gradient(y2, y1);
        List<Tensor> grads = tape.gradient(y2, List.of(w1, b1));
        assertEquals(2f, dy2dy1.item());
        assertEquals(2f, grads.get(0).item());

        Variable bigA = new Variable("A", Nd4j.randn(DataType.FLOAT, 1), true);
        bigA.name();
        bigA.shape();
        bigA.trainable();
        bigA.assign(Nd4j.ones(DataType.FLOAT, 1));
        assertEquals(1f, bigA.value().item());

        double err = GradientCheck.check(in -> in.get(0).mul(in.get(0)), List.of(Tensor.of(new double[] {1, 2}, DataType.DOUBLE)));
        assertTrue(err < 1e-6);
        Anomaly.enable(true);
        Anomaly.enable(false);
        Seeds.set(42);
    }
}
