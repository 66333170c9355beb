package org.grad4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KerasNamesTest {

    @Test
    void snakeCaseFollowsKeras() {
        assertEquals("dense", KerasNames.snakeCase("Dense"));
        assertEquals("batch_normalization", KerasNames.snakeCase("BatchNormalization"));
        assertEquals("input_layer", KerasNames.snakeCase("InputLayer"));
        assertEquals("lstm_cell", KerasNames.snakeCase("LSTMCell"));
        assertEquals("conv2d_transpose", KerasNames.snakeCase("Conv2DTranspose"));
        assertEquals("mean_squared_error", KerasNames.snakeCase("MeanSquaredError"));
        assertEquals("auc_curve", KerasNames.snakeCase("AUCCurve"));
    }
}
