package org.grad4j.optimizers;

/**
 * Keras 3's {@code AdamW}: {@link Adam} with decoupled weight decay on by default (0.004). The decay
 * {@code w -= w * weightDecay * lr} runs in the base optimizer before the Adam step, as in Keras.
 *
 * <p>It extends {@code Adam}, whose setters return {@code Adam}; the overrides below only narrow their
 * return type to {@code AdamW}, so that chains such as {@code new AdamW().clipNorm(1).amsgrad(true)}
 * keep the type in any order.
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

    @Override
    public AdamW beta1(double beta1) {
        super.beta1(beta1);
        return this;
    }

    @Override
    public AdamW beta2(double beta2) {
        super.beta2(beta2);
        return this;
    }

    @Override
    public AdamW epsilon(double epsilon) {
        super.epsilon(epsilon);
        return this;
    }

    @Override
    public AdamW amsgrad(boolean amsgrad) {
        super.amsgrad(amsgrad);
        return this;
    }

    @Override
    public AdamW name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public AdamW learningRate(double learningRate) {
        super.learningRate(learningRate);
        return this;
    }

    @Override
    public AdamW learningRate(LearningRateSchedule schedule) {
        super.learningRate(schedule);
        return this;
    }

    @Override
    public AdamW clipNorm(double clipNorm) {
        super.clipNorm(clipNorm);
        return this;
    }

    @Override
    public AdamW clipValue(double clipValue) {
        super.clipValue(clipValue);
        return this;
    }

    @Override
    public AdamW globalClipNorm(double clipNorm) {
        super.globalClipNorm(clipNorm);
        return this;
    }

    @Override
    public AdamW weightDecay(double weightDecay) {
        super.weightDecay(weightDecay);
        return this;
    }
}
