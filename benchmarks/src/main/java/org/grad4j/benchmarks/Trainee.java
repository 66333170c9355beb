package org.grad4j.benchmarks;

/** A {@link Side} that trains a model, so its loss can be compared with the other framework's. */
interface Trainee extends Side {
    /** The loss of the current weights over the whole training set, as the side's own API computes it. */
    double loss();
}
