package org.grad4j.optimizers;

import java.util.Map;
import org.grad4j.core.FloatLoops;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.AmsGradUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam as Keras 3 (adam.py): {@code m += (g - m)(1 - beta1)}, {@code v += (g² - v)(1 - beta2)},
 * {@code w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)}: bias correction folded into
 * the rate, epsilon uncorrected. With {@code amsgrad}, {@code vhat = max(vhat, v)} replaces v. Defaults:
 * lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. libnd4j's fused {@code adam_updater} and
 * {@code ams_grad_updater} compute exactly this (t = iteration + 1); for contiguous float32 arrays the same
 * arithmetic runs as one Java pass that also updates the weights (see {@link FloatLoops}).
 */
public class Adam extends FluentOptimizer<Adam> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private boolean amsgrad;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        super("adam", learningRate);
    }

    public Adam beta1(double beta1) {
        this.beta1 = Check.fraction(describe(), "beta_1", beta1);
        return this;
    }

    public Adam beta2(double beta2) {
        this.beta2 = Check.fraction(describe(), "beta_2", beta2);
        return this;
    }

    public Adam epsilon(double epsilon) {
        this.epsilon = Check.nonNegative(describe(), "epsilon", epsilon);
        return this;
    }

    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    @Override
    protected void build(Variable variable) {
        addSlot(variable, "momentum", 0);
        addSlot(variable, "velocity", 0);
        if (amsgrad) {
            addSlot(variable, "velocity_hat", 0);
        }
    }

    @Override
    protected void updateStep(INDArray g, Variable variable, double lr, long step) {
        INDArray m = slot(variable, "momentum");
        INDArray v = slot(variable, "velocity");
        int iteration = (int) Math.min(step - 1, Integer.MAX_VALUE);   // libnd4j raises the betas to iteration + 1
        if (amsgrad) {
            INDArray vHat = addSlot(variable, "velocity_hat", 0);
            Nd4j.exec(new AmsGradUpdater(g, v, m, vHat, lr, beta1, beta2, epsilon, iteration));
        } else {
            java.nio.FloatBuffer[] buffers = FloatLoops.all(g, m, v, variable.array());
            if (buffers != null) {
                updateInOnePass(buffers, lr, iteration);
                return;
            }
            Nd4j.exec(new AdamUpdater(g, v, m, lr, beta1, beta2, epsilon, iteration));
        }
        variable.array().subi(g);   // g now holds the update
    }

    /** The same float32 arithmetic as libnd4j's adam_updater, with the weights updated in the same pass. */
    private void updateInOnePass(java.nio.FloatBuffer[] gmvw, double lr, int iteration) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        float b1Power = (float) Math.pow(b1, iteration + 1.0);
        float b2Power = (float) Math.pow(b2, iteration + 1.0);
        float rate = (float) lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
        java.nio.FloatBuffer g = gmvw[0];
        java.nio.FloatBuffer m = gmvw[1];
        java.nio.FloatBuffer v = gmvw[2];
        java.nio.FloatBuffer w = gmvw[3];
        FloatLoops.forRange(w.limit(), (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g.get(i);
                float mi = b1 * m.get(i) + gi * (1f - b1);
                float vi = b2 * v.get(i) + gi * gi * (1f - b2);
                m.put(i, mi);
                v.put(i, vi);
                w.put(i, w.get(i) - mi * rate / ((float) Math.sqrt(vi) + eps));
            }
        });
    }

    @Override
    protected Map<String, Object> ruleConfig() {
        return entries("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon, "amsgrad", amsgrad);
    }
}
