package org.grad4j.optimizers;

/**
 * Keras 3's {@code AdamW}: {@link Adam} with decoupled weight decay on by default (0.004). The decay
 * {@code w -= w * weightDecay * lr} runs in the base optimizer before the Adam step, as in Keras.
 */
public class AdamW extends Adam {

    public AdamW() {
        this(0.001);
    }

    public AdamW(double learningRate) {
        this(learningRate, 0.004);
    }

    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        name("adamw");
        weightDecay(weightDecay);
    }
}
