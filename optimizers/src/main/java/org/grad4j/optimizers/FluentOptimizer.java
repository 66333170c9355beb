package org.grad4j.optimizers;

/**
 * An {@link Optimizer} whose fluent setters return the rule's own type, so that the base setters and
 * the rule's own chain in any order: {@code new Adam(0.1).clipNorm(1).epsilon(0.1)}. Every built-in
 * rule extends it ({@code class Adam extends FluentOptimizer<Adam>}); code that holds a plain
 * {@code Optimizer} is unaffected. A rule of your own may extend {@code Optimizer} directly (its base
 * setters then return {@code Optimizer}) or this class, as {@code LossFunctionWrapper} does for losses.
 *
 * <p>The type parameter lives here rather than on {@code Optimizer} so that {@code Optimizer} stays a
 * plain type wherever it is stored or passed ({@code Model.compile}, callbacks, saved state).
 *
 * @param <SELF> the concrete rule
 */
public abstract class FluentOptimizer<SELF extends FluentOptimizer<SELF>> extends Optimizer {

    /** @see Optimizer#Optimizer(String, double) */
    protected FluentOptimizer(String name, double learningRate) {
        super(name, learningRate);
    }

    @Override
    public SELF name(String name) {
        super.name(name);
        return self();
    }

    @Override
    public SELF learningRate(double learningRate) {
        super.learningRate(learningRate);
        return self();
    }

    @Override
    public SELF learningRate(LearningRateSchedule schedule) {
        super.learningRate(schedule);
        return self();
    }

    @Override
    public SELF clipNorm(double clipNorm) {
        super.clipNorm(clipNorm);
        return self();
    }

    @Override
    public SELF clipValue(double clipValue) {
        super.clipValue(clipValue);
        return self();
    }

    @Override
    public SELF globalClipNorm(double clipNorm) {
        super.globalClipNorm(clipNorm);
        return self();
    }

    @Override
    public SELF weightDecay(double weightDecay) {
        super.weightDecay(weightDecay);
        return self();
    }

    /** This rule as its own type, for the setters' {@code return}. */
    @SuppressWarnings("unchecked")
    protected final SELF self() {
        return (SELF) this;
    }
}
