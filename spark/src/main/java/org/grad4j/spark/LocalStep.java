package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.models.Model;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch on a worker, the way {@code Model.fit}'s default step does it: the forward pass in training mode under
 * a tape, the compiled loss plus the layers' penalties, the gradients of the trainable variables; then either the
 * gradients are handed back (synchronous averaging: the driver applies them) or the model's optimizer applies them
 * (parameter averaging). Temporaries live in an ND4J workspace the next batch reuses; what leaves the step is
 * copied to Java arrays first.
 */
final class LocalStep {
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();
    private static final String WORKSPACE_ID = "GRAD4J_SPARK_STEP";

    private LocalStep() {
    }

    /**
     * Adds to {@code totals} the loss of batch {@code (x, y)} times its size and its gradients times {@code share}
     * (its part of the global batch, so that the sum over partitions is the gradient of the global batch's mean
     * loss); how far the forward pass moved non-trainable weights (moving statistics) is added times {@code share}
     * too, as a change, so that weights nothing moved stay bit for bit what they were.
     */
    static void gradients(Model model, INDArray x, INDArray y, double share, int step, int partition,
            boolean keepPredictions, StepTotals totals) {
        List<Variable> trainable = model.trainableVariables();
        List<Variable> frozen = model.nonTrainableVariables();
        ArrayValues frozenBefore = frozen.isEmpty() ? null : ArrayValues.ofVariables(frozen);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
            Forward f = forward(model, x, y, trainable);
            List<INDArray> grads = new ArrayList<>(f.gradients.size());
            for (Tensor g : f.gradients) {
                grads.add(g == null ? null : g.array());
            }
            StepTotals mine = new StepTotals();
            mine.samples = x.size(0);
            mine.lossSum = f.loss * x.size(0);
            mine.sums = ArrayValues.of(grads, share);
            if (!frozen.isEmpty()) {
                mine.extraSums = ArrayValues.ofVariables(frozen).subtractInPlace(frozenBefore).scaleInPlace(share);
            }
            if (keepPredictions) {
                mine.predictions.add(new StepTotals.Prediction(step, partition, ArrayValues.of(List.of(y, f.prediction), 1.0)));
            }
            totals.add(mine);
        }
    }

    /** One optimizer step of the model's own optimizer on {@code (x, y)}; adds the loss and, if asked, the predictions. */
    static void train(Model model, INDArray x, INDArray y, int step, int partition, boolean keepPredictions,
            StepTotals totals) {
        List<Variable> trainable = model.trainableVariables();
        if (!trainable.isEmpty()) {
            model.optimizer().build(trainable);   // slots outlive the step's workspace
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
            Forward f = forward(model, x, y, trainable);
            if (!trainable.isEmpty()) {
                model.optimizer().applyGradientsInPlace(f.gradients, trainable);
            }
            totals.samples += x.size(0);
            totals.lossSum += f.loss * x.size(0);
            if (keepPredictions) {
                totals.predictions.add(new StepTotals.Prediction(step, partition, ArrayValues.of(List.of(y, f.prediction), 1.0)));
            }
        }
    }

    private record Forward(double loss, INDArray prediction, List<Tensor> gradients) {
    }

    private static Forward forward(Model model, INDArray x, INDArray y, List<Variable> trainable) {
        Tensor xt = Tensor.of(x);
        Tensor yt = Tensor.of(y);
        Tensor prediction;
        Tensor loss;
        GradientTape tape = GradientTape.open();
        try (tape) {
            prediction = model.apply(xt, true);
            loss = model.loss().call(yt, prediction);
            for (Tensor penalty : model.losses()) {
                loss = loss.add(penalty);
            }
        }
        List<Tensor> gradients = trainable.isEmpty() ? List.of() : tape.gradient(loss, trainable);
        return new Forward(loss.itemDouble(), prediction.array(), gradients);
    }
}
