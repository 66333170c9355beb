package org.grad4j.core;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.SgdUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optimizer update rules that change a variable's array in place, beneath the same kernel seam as the ops: for
 * contiguous float32 arrays one Java pass over ND4J's memory that also updates the weights (see {@link FloatLoops};
 * none with {@code -Dgrad4j.kernels=nd4j}), otherwise libnd4j's fused updater op and a subtraction. Each rule's
 * formula is its optimizer's (the optimizers module holds the Keras conventions); here is only the arithmetic.
 */
public final class Updates {
    private Updates() {
    }

    /**
     * {@code w -= lr * g}, in place. {@code g} may be overwritten (with the update).
     *
     * @param g the gradient, the shape of {@code w}
     * @param w the weights
     */
    public static void sgd(INDArray g, INDArray w, double lr) {
        FloatBuffer[] buffers = FloatLoops.all(g, w);
        if (buffers == null) {
            Nd4j.exec(new SgdUpdater(g, lr));   // g <- lr * g
            w.subi(g);
            return;
        }
        // one pass over the weights, no dispatch (a seed-sized step is otherwise all dispatch)
        float rate = (float) lr;
        FloatBuffer gb = buffers[0];
        FloatBuffer wb = buffers[1];
        FloatLoops.forRange(wb.limit(), (from, to) -> {
            for (int i = from; i < to; i++) {
                wb.put(i, wb.get(i) - rate * gb.get(i));
            }
        });
    }

    /**
     * Adam, in place: {@code m = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g²},
     * {@code w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)} with {@code t = iteration + 1},
     * as libnd4j's {@code adam_updater} computes it in float32. {@code g} may be overwritten (with the update).
     *
     * @param iteration the 0-based step count
     */
    public static void adam(INDArray g, INDArray m, INDArray v, INDArray w, double lr, double beta1, double beta2,
            double epsilon, int iteration) {
        FloatBuffer[] buffers = FloatLoops.all(g, m, v, w);
        if (buffers == null) {
            Nd4j.exec(new AdamUpdater(g, v, m, lr, beta1, beta2, epsilon, iteration));
            w.subi(g);   // g now holds the update
            return;
        }
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        float b1Power = (float) Math.pow(b1, iteration + 1.0);
        float b2Power = (float) Math.pow(b2, iteration + 1.0);
        float rate = (float) lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
        FloatBuffer gb = buffers[0];
        FloatBuffer mb = buffers[1];
        FloatBuffer vb = buffers[2];
        FloatBuffer wb = buffers[3];
        FloatLoops.forRange(wb.limit(), (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = gb.get(i);
                float mi = b1 * mb.get(i) + gi * (1f - b1);
                float vi = b2 * vb.get(i) + gi * gi * (1f - b2);
                mb.put(i, mi);
                vb.put(i, vi);
                wb.put(i, wb.get(i) - mi * rate / ((float) Math.sqrt(vi) + eps));
            }
        });
    }
}
