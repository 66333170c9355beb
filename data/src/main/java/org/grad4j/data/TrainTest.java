package org.grad4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dataset split into training and test parts, as {@code keras.datasets.*.load_data()} returns
 * {@code (x_train, y_train), (x_test, y_test)}.
 *
 * <p>For the MNIST family: {@code xTrain} is float32 {@code [60000, 28, 28]} with the raw pixel values 0..255
 * (scale them yourself, as the Keras tutorial does), {@code yTrain} float32 {@code [60000]} holding the class ids
 * 0..9; {@code xTest} and {@code yTest} the same for the 10,000 test images.
 */
public record TrainTest(INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest) {
}
