package org.grad4j.benchmarks;

import org.grad4j.models.FitOptions;
import org.grad4j.models.Model;

/**
 * grad4j trained the way its users do: {@code model.fit(x, y, ...)} with Keras' defaults (shuffled each
 * epoch), silent. A block of steps is a whole number of epochs in one {@code fit} call, so the per-call
 * checks are spread over many steps.
 */
final class Grad4jFit implements Trainee {
    private final String name;
    private final Model model;
    private final Data data;
    private final int batchSize;
    private final int stepsPerEpoch;

    /** @param model compiled, with its starting weights set */
    Grad4jFit(String name, Model model, Data data, int batchSize) {
        this.name = name;
        this.model = model;
        this.data = data;
        this.batchSize = batchSize;
        this.stepsPerEpoch = (int) ((data.samples() + batchSize - 1) / batchSize);
    }

    @Override
    public String name() {
        return name;
    }

    long samples() {
        return data.samples();
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public void run(int steps) {
        if (steps % stepsPerEpoch != 0) {
            throw new IllegalArgumentException(name + ": fit runs whole epochs of " + stepsPerEpoch + " steps, got " + steps);
        }
        model.fit(data.x(), data.y(), FitOptions.epochs(steps / stepsPerEpoch).batchSize(batchSize).verbose(0));
    }

    @Override
    public double loss() {
        return model.evaluate(data.x(), data.y(), (int) Math.min(data.samples(), 4096)).get("loss");
    }
}
