package org.grad4j.spark;

import java.io.Serializable;

/**
 * Code an executor runs before it first rebuilds the model of a fit, e.g. registering a custom layer or loss by
 * name ({@code Layers.register("MyLayer", MyLayer::fromConfig)}), which the executors' JVMs would otherwise never
 * have seen. It must be serializable and may run more than once per executor (once per fit, and again when a new
 * model instance is read), so it should be idempotent.
 */
@FunctionalInterface
public interface ExecutorSetup extends Serializable {
    void run();
}
