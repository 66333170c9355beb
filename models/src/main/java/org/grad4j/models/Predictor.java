package org.grad4j.models;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.data.Dataset;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' {@code predict} on arrays, a {@link Dataset} or an ND4J iterator: one loop that runs each batch forward
 * in inference mode without recording a graph, in a workspace the next batch reuses, and concatenates the
 * outputs along the batch axis. It needs no compiled model and changes no state, so several threads may
 * predict with one model at once.
 */
final class Predictor {
    private static final String WORKSPACE_ID = "GRAD4J_PREDICT_STEP";

    private Predictor() {
    }

    static INDArray predict(Model model, INDArray x, int batchSize) {
        if (x == null) {
            throw new IllegalArgumentException(model.describe() + ".predict: x is null");
        }
        Batches.checkBatchSize("predict", batchSize);
        if (x.rank() == 0 || x.size(0) == 0) {
            throw new IllegalArgumentException(model.describe() + ".predict: x needs at least one sample, got shape "
                    + Shapes.format(x.shape()));
        }
        INDArray xs = Trainer.floating(x);
        return predictBatches(model, new Batches(xs, null, null).epoch(null, batchSize), "x");
    }

    /** Keras' {@code predict} on a batched Dataset: the x of each element (labels are ignored), concatenated. */
    static INDArray predict(Model model, Dataset dataset, int steps) {
        String where = model.describe() + ".predict";
        DatasetBatches.check(where, dataset, steps, "give the number of batches, predict(dataset, steps)");
        try (DatasetBatches data = new DatasetBatches(where, dataset, steps, (e, i) -> new Batch(Trainer.floating(e.x()), null, null))) {
            return predictBatches(model, data.epoch(0), "the dataset");
        }
    }

    /** Keras' {@code predict} on the features of every DataSet of an ND4J iterator (reset first when it can be). */
    static INDArray predict(Model model, DataSetIterator iterator) {
        if (iterator == null) {
            throw new IllegalArgumentException(model.describe() + ".predict: the iterator is null");
        }
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        Iterator<Batch> batches = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public Batch next() {
                return new Batch(Trainer.floating(iterator.next().getFeatures()), null, null);
            }
        };
        return predictBatches(model, batches, "the iterator");
    }

    /** The one prediction loop: each batch forward in inference mode, the outputs concatenated along the batch axis. */
    private static INDArray predictBatches(Model model, Iterator<Batch> batches, String source) {
        List<INDArray> outputs = new ArrayList<>();
        try (NoGrad scope = NoGrad.enter()) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(Trainer.STEP_WORKSPACE, WORKSPACE_ID)) {
                    outputs.add(model.apply(Tensor.of(batch.x()), false).array().detach());   // copied out of the workspace
                }
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(model.describe() + ".predict: " + source + " has no data");
        }
        return outputs.size() == 1 ? outputs.get(0) : Nd4j.concat(0, outputs.toArray(INDArray[]::new));
    }
}
