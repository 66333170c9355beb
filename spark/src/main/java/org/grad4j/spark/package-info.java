/**
 * Data-parallel training of a compiled grad4j {@link org.grad4j.models.Model} on Apache Spark (provided by the
 * user's cluster): {@link org.grad4j.spark.SparkTrainer#synchronous} (gradients of each global batch summed by a
 * tree aggregation, one optimizer step on the driver) and {@link org.grad4j.spark.SparkTrainer#averaging}
 * (k local steps per partition, then weights and optimizer state averaged). {@link
 * org.grad4j.spark.SparkStepBenchmark} measures what Spark adds per step.
 */
package org.grad4j.spark;
