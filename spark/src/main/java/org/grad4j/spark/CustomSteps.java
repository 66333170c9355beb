package org.grad4j.spark;

import org.grad4j.core.Tensor;
import org.grad4j.models.Batch;
import org.grad4j.models.Model;

/**
 * A model that overrides {@code trainStep} or {@code computeLoss} defines its own step, which cannot be cut into
 * per-partition gradients the driver sums: the workers run the default step (compiled loss plus penalties).
 * Such a model is refused rather than trained with a different loss than the user wrote.
 */
final class CustomSteps {
    private CustomSteps() {
    }

    static void refuse(Model model) {
        for (Class<?> c = model.getClass(); c != null && c != Model.class; c = c.getSuperclass()) {
            String overridden = declared(c, "trainStep", Batch.class) ? "trainStep"
                    : declared(c, "computeLoss", Tensor.class, Tensor.class, Tensor.class, Tensor.class) ? "computeLoss"
                    : null;
            if (overridden != null) {
                throw new IllegalArgumentException("SparkTrainer: " + model.describe() + " overrides " + overridden + " in "
                        + c.getName() + "; the workers run the default step (compiled loss plus the layers' penalties), "
                        + "so a custom step cannot be distributed: express an extra term as a weight regularizer "
                        + "or train on one machine");
            }
        }
    }

    private static boolean declared(Class<?> c, String name, Class<?>... parameters) {
        try {
            c.getDeclaredMethod(name, parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
