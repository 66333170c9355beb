package org.grad4j.benchmarks;

import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.optimizers.Optimizer;

/**
 * grad4j without a model: the hand-written loop a PyTorch or TensorFlow user writes for a seed-sized
 * problem. Each step draws one sample and calls {@code optimizer.minimize(loss, variables)} (a tape, its
 * gradients, one update). The samples are wrapped as tensors once, before the loop, as such a user would.
 */
final class TapeLoop implements Trainee {
    /** The loss of predictions for {@code x} against {@code y}, written with Tensor ops on the variables. */
    interface LossOf {
        Tensor of(Tensor x, Tensor y);
    }

    private final Optimizer optimizer;
    private final List<Variable> variables;
    private final LossOf loss;
    private final Tensor[] xs;
    private final Tensor[] ys;
    private final Tensor allX;
    private final Tensor allY;
    private final SplittableRandom random;

    TapeLoop(Optimizer optimizer, List<Variable> variables, LossOf loss, Data data, long seed) {
        this.optimizer = optimizer;
        this.variables = List.copyOf(variables);
        this.loss = loss;
        int n = Math.toIntExact(data.samples());
        xs = new Tensor[n];
        ys = new Tensor[n];
        for (int i = 0; i < n; i++) {
            xs[i] = Tensor.of(data.x().getRow(i, true).dup());
            ys[i] = Tensor.of(data.y().getRow(i, true).dup());
        }
        allX = Tensor.of(data.x());
        allY = Tensor.of(data.y());
        random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "grad4j_tape";
    }

    @Override
    public void run(int steps) {
        for (int s = 0; s < steps; s++) {
            int i = random.nextInt(xs.length);
            optimizer.minimize(() -> loss.of(xs[i], ys[i]), variables);
        }
    }

    @Override
    public double loss() {
        try (NoGrad scope = NoGrad.enter()) {
            return loss.of(allX, allY).itemDouble();
        }
    }
}
