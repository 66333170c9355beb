/**
 * Helpers the losses and metrics share (Keras' rank alignment of labels, predictions and weights). Not API: they
 * may change or go in any release, the way Keras keeps {@code keras.src}.
 */
package org.grad4j.losses.internal;
