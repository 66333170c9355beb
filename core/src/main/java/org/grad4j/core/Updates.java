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
        FloatLoops.inBlocks(buffers, new boolean[] {false, true}, (b, count) -> {
            float[] gs = b[0];
            float[] ws = b[1];
            for (int i = 0; i < count; i++) {
                ws[i] = ws[i] - rate * gs[i];
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
        float rate = biasCorrectedRate(lr, b1, b2, iteration);
        FloatLoops.inBlocks(buffers, new boolean[] {false, true, true, true}, (b, count) -> {
            float[] gs = b[0];
            float[] ms = b[1];
            float[] vs = b[2];
            float[] ws = b[3];
            for (int i = 0; i < count; i++) {
                float gi = gs[i];
                float mi = b1 * ms[i] + gi * (1f - b1);
                float vi = b2 * vs[i] + gi * gi * (1f - b2);
                ms[i] = mi;
                vs[i] = vi;
                ws[i] = ws[i] - mi * rate / ((float) Math.sqrt(vi) + eps);
            }
        });
    }

    /**
     * Adagrad, in place: {@code a += g²}, {@code w -= lr g / sqrt(a + epsilon)}. {@code g} may be overwritten.
     *
     * @param accumulator the running sum of squared gradients {@code a}
     */
    public static void adagrad(INDArray g, INDArray accumulator, INDArray w, double lr, double epsilon) {
        FloatBuffer[] buffers = FloatLoops.all(g, accumulator, w);
        if (buffers == null) {
            Nd4jUpdates.adagrad(g, accumulator, w, lr, epsilon);
            return;
        }
        float rate = (float) lr;
        float eps = (float) epsilon;
        FloatLoops.inBlocks(buffers, new boolean[] {false, true, true}, (b, count) -> {
            float[] gs = b[0];
            float[] as = b[1];
            float[] ws = b[2];
            for (int i = 0; i < count; i++) {
                float gi = gs[i];
                float ai = as[i] + gi * gi;
                as[i] = ai;
                ws[i] = ws[i] - gi * rate / (float) Math.sqrt(ai + eps);
            }
        });
    }

    /**
     * RMSprop, in place: {@code v = rho v + (1 - rho) g²}; centered, also {@code a = rho a + (1 - rho) g} and the
     * denominator {@code sqrt(v - a² + epsilon)}, else {@code sqrt(v + epsilon)}; the increment
     * {@code lr g / denominator} is subtracted, or with momentum {@code b = momentum b + increment} is.
     * {@code g} may be overwritten.
     *
     * @param averageGradient {@code a}, or null when not centered
     * @param momentumSlot    {@code b}, or null without momentum
     */
    public static void rmsprop(INDArray g, INDArray velocity, INDArray averageGradient, INDArray momentumSlot,
            INDArray w, double lr, double rho, double momentum, double epsilon) {
        FloatBuffer[] buffers = FloatLoops.all(g, velocity, w);
        FloatBuffer[] extra = FloatLoops.all(averageGradient == null ? w : averageGradient,
                momentumSlot == null ? w : momentumSlot, w);
        if (buffers == null || extra == null) {
            Nd4jUpdates.rmsprop(g, velocity, averageGradient, momentumSlot, w, lr, rho, momentum, epsilon);
            return;
        }
        float r = (float) rho;
        float oneMinusR = (float) (1 - rho);
        float rate = (float) lr;
        float mom = (float) momentum;
        float eps = (float) epsilon;
        boolean centered = averageGradient != null;
        boolean withMomentum = momentumSlot != null;
        // g, v, w, a, b: the slots that are absent stand in as w and are neither read nor written
        FloatBuffer[] all = {buffers[0], buffers[1], buffers[2], extra[0], extra[1]};
        FloatLoops.inBlocks(all, new boolean[] {false, true, true, centered, withMomentum}, (b, count) -> {
            float[] gs = b[0];
            float[] vs = b[1];
            float[] ws = b[2];
            float[] as = b[3];
            float[] bs = b[4];
            for (int i = 0; i < count; i++) {
                float gi = gs[i];
                float vi = vs[i] * r + gi * gi * oneMinusR;
                vs[i] = vi;
                float denominator;
                if (centered) {
                    float ai = as[i] * r + gi * oneMinusR;
                    as[i] = ai;
                    denominator = vi - ai * ai + eps;
                } else {
                    denominator = vi + eps;
                }
                float increment = gi * rate / (float) Math.sqrt(denominator);
                if (withMomentum) {
                    increment = bs[i] * mom + increment;
                    bs[i] = increment;
                }
                ws[i] = ws[i] - increment;
            }
        });
    }

    /**
     * Adamax, in place: {@code m += (g - m)(1 - beta1)}, {@code u = max(beta2 u, |g|)} (a NaN in either gives NaN,
     * as NumPy's maximum), {@code w -= rate * m / (u + epsilon)}. {@code g} may be overwritten.
     *
     * @param rate the learning rate with the bias correction folded in, {@code lr / (1 - beta1^t)}
     */
    public static void adamax(INDArray g, INDArray m, INDArray u, INDArray w, double beta1, double beta2,
            double epsilon, double rate) {
        FloatBuffer[] buffers = FloatLoops.all(g, m, u, w);
        if (buffers == null) {
            Nd4jUpdates.adamax(g, m, u, w, beta1, beta2, epsilon, rate);
            return;
        }
        float oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        float r = (float) rate;
        FloatLoops.inBlocks(buffers, new boolean[] {false, true, true, true}, (b, count) -> {
            float[] gs = b[0];
            float[] ms = b[1];
            float[] us = b[2];
            float[] ws = b[3];
            for (int i = 0; i < count; i++) {
                float gi = gs[i];
                float mi = ms[i];
                mi = mi + (gi - mi) * oneMinusB1;
                float ui = Math.max(us[i] * b2, Math.abs(gi));   // Math.max keeps a NaN from either side
                ms[i] = mi;
                us[i] = ui;
                ws[i] = ws[i] - mi / (ui + eps) * r;
            }
        });
    }

    /**
     * Nadam, in place: {@code m += (g - m)(1 - beta1)}, {@code v += (g² - v)(1 - beta2)},
     * {@code w -= lr (gradientScale g + momentumScale m) / (sqrt(v / velocityScale) + epsilon)}. The scales carry
     * the step's momentum schedule (see the optimizers module's {@code Nadam}). {@code g} may be overwritten.
     */
    public static void nadam(INDArray g, INDArray m, INDArray v, INDArray w, double lr, double beta1, double beta2,
            double epsilon, double gradientScale, double momentumScale, double velocityScale) {
        FloatBuffer[] buffers = FloatLoops.all(g, m, v, w);
        if (buffers == null) {
            Nd4jUpdates.nadam(g, m, v, w, lr, beta1, beta2, epsilon, gradientScale, momentumScale, velocityScale);
            return;
        }
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float rate = (float) lr;
        float gs = (float) gradientScale;
        float ms = (float) momentumScale;
        float vs = (float) velocityScale;
        FloatLoops.inBlocks(buffers, new boolean[] {false, true, true, true}, (b, count) -> {
            float[] gArr = b[0];
            float[] mArr = b[1];
            float[] vArr = b[2];
            float[] wArr = b[3];
            for (int i = 0; i < count; i++) {
                float gi = gArr[i];
                float mi = mArr[i];
                float vi = vArr[i];
                mi = mi + (gi - mi) * oneMinusB1;
                vi = vi + (gi * gi - vi) * oneMinusB2;
                mArr[i] = mi;
                vArr[i] = vi;
                float mHat = gi * gs + mi * ms;
                wArr[i] = wArr[i] - mHat * rate / ((float) Math.sqrt(vi / vs) + eps);
            }
        });
    }

    /**
     * Adam with AMSGrad, in place: as {@link #adam}, with {@code vHat = max(vHat, v)} in place of {@code v} in the
     * denominator, as libnd4j's {@code ams_grad_updater} computes it in float32. {@code g} may be overwritten.
     *
     * @param iteration the 0-based step count
     */
    public static void amsgrad(INDArray g, INDArray m, INDArray v, INDArray vHat, INDArray w, double lr, double beta1,
            double beta2, double epsilon, int iteration) {
        FloatBuffer[] buffers = FloatLoops.all(g, m, v, vHat, w);
        if (buffers == null) {
            Nd4jUpdates.amsgrad(g, m, v, vHat, w, lr, beta1, beta2, epsilon, iteration);
            return;
        }
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        float rate = biasCorrectedRate(lr, b1, b2, iteration);
        FloatLoops.inBlocks(buffers, new boolean[] {false, true, true, true, true}, (b, count) -> {
            float[] gs = b[0];
            float[] ms = b[1];
            float[] vs = b[2];
            float[] hs = b[3];
            float[] ws = b[4];
            for (int i = 0; i < count; i++) {
                float gi = gs[i];
                float mi = b1 * ms[i] + gi * (1f - b1);
                float vi = b2 * vs[i] + gi * gi * (1f - b2);
                float hi = hs[i];
                hi = hi > vi ? hi : vi;   // libnd4j's max, operand for operand
                ms[i] = mi;
                vs[i] = vi;
                hs[i] = hi;
                ws[i] = ws[i] - mi * rate / ((float) Math.sqrt(hi) + eps);
            }
        });
    }

    /** Adam's step size with both bias corrections, {@code lr sqrt(1 - beta2^t) / (1 - beta1^t)}, in libnd4j's float order. */
    private static float biasCorrectedRate(double lr, float b1, float b2, int iteration) {
        float b1Power = (float) Math.pow(b1, iteration + 1.0);
        float b2Power = (float) Math.pow(b2, iteration + 1.0);
        return (float) lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
    }
}
