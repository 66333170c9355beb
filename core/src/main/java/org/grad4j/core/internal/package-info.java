/**
 * grad4j's own helpers that other grad4j modules share (reading Keras configs, Keras' naming rules). Not API: they
 * may change or go in any release, the way Keras keeps {@code keras.src}. Public only because Java packages
 * cannot be shared between modules otherwise.
 */
package org.grad4j.core.internal;
