/**
 * Keras 3's optimizers: {@link org.grad4j.optimizers.Optimizer} holds what every rule shares (iterations,
 * learning rate or {@link org.grad4j.optimizers.LearningRateSchedule}, clipping, decoupled weight decay,
 * per-variable slots); each rule ({@link org.grad4j.optimizers.SGD}, {@link org.grad4j.optimizers.Adam},
 * ...) adds its slots and its formula. {@link org.grad4j.optimizers.Optimizers} finds them by Keras name
 * or config.
 *
 * <p>Saving and restoring state: {@code config()} plus the values of {@code variables()}; to restore,
 * {@code Optimizers.fromConfig(className, config)}, {@code build(modelVariables)}, then assign each
 * saved value to {@code variables().get(i)} in order.
 */
package org.grad4j.optimizers;
