package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.layers.Conv2D;
import org.grad4j.layers.Embedding;
import org.grad4j.layers.GRU;
import org.grad4j.layers.LSTM;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conv2D, Embedding, LSTM and GRU(reset_after) from a Keras 3 {@code .keras} file ({@code mixed_keras3*.keras},
 * written by {@code src/test/keras-fixtures/make_mixed_keras.py} with h5py in Keras' weight layout; expected
 * outputs computed there with numpy from Keras' equations). With mask_zero the Embedding's mask skips the padded
 * steps in the LSTM and GRU, as in Keras; both files load and match their references.
 */
class KerasMixedLayersTest {
    /** float32 through a conv, 6 LSTM and 6 GRU steps against a float64 reference of |y| ~ 2. */
    static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void convEmbeddingLstmAndGruFromAKeras3FileMatchNumpy() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("mixed_keras3.reference.json");
        Functional model = assertInstanceOf(Functional.class,
                Model.load(KerasReferenceFilesTest.resource(dir, "mixed_keras3_unmasked.keras")));
        assertInstanceOf(Conv2D.class, model.getLayer("conv2d"));
        assertInstanceOf(Embedding.class, model.getLayer("embedding"));
        assertInstanceOf(LSTM.class, model.getLayer("lstm"));
        assertEquals(true, assertInstanceOf(GRU.class, model.getLayer("gru")).config().get("reset_after"));

        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        INDArray image = KerasReferenceFilesTest.nested(inputs.get("image")).castTo(DataType.FLOAT);
        // an int32 Keras input: grad4j reads the ids as float32
        INDArray tokens = KerasReferenceFilesTest.nested(inputs.get("tokens")).castTo(DataType.FLOAT);
        INDArray expected = KerasReferenceFilesTest.nested(ref.get("expected_output_unmasked")).castTo(DataType.DOUBLE);
        INDArray actual = model.predictAll(List.of(image, tokens)).get(0).castTo(DataType.DOUBLE);
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Nd4j.math().abs(actual.sub(expected)).maxNumber().doubleValue();
        System.out.println("mixed_keras3_unmasked.keras: max |predict - numpy| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);

        // and grad4j writes it back in the same layout, reading back bit for bit
        Path again = dir.resolve("again.keras");
        model.save(again);
        Functional back = assertInstanceOf(Functional.class, Model.load(again));
        assertArrayEquals(model.predictAll(List.of(image, tokens)).get(0).dup('c').data().asFloat(),
                back.predictAll(List.of(image, tokens)).get(0).dup('c').data().asFloat());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMaskedFileSkipsPaddedStepsAsKerasDoes() throws IOException {
        Map<String, Object> ref = KerasReferenceFilesTest.reference("mixed_keras3.reference.json");
        Functional model = assertInstanceOf(Functional.class,
                Model.load(KerasReferenceFilesTest.resource(dir, "mixed_keras3.keras")));
        assertEquals(true, assertInstanceOf(Embedding.class, model.getLayer("embedding")).maskZero());
        Map<String, Object> inputs = (Map<String, Object>) ref.get("inputs");
        INDArray image = KerasReferenceFilesTest.nested(inputs.get("image")).castTo(DataType.FLOAT);
        INDArray tokens = KerasReferenceFilesTest.nested(inputs.get("tokens")).castTo(DataType.FLOAT);
        assertTrue(tokens.eq(0).castTo(DataType.INT32).sumNumber().intValue() > 0, "the reference pads with token 0");
        INDArray masked = KerasReferenceFilesTest.nested(ref.get("expected_output_masked")).castTo(DataType.DOUBLE);
        INDArray unmasked = KerasReferenceFilesTest.nested(ref.get("expected_output_unmasked")).castTo(DataType.DOUBLE);
        INDArray actual = model.predictAll(List.of(image, tokens)).get(0).castTo(DataType.DOUBLE);
        double diff = Nd4j.math().abs(actual.sub(masked)).maxNumber().doubleValue();
        System.out.println("mixed_keras3.keras (masked): max |predict - numpy| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
        // the mask matters here: the unmasked reference is far from it
        assertTrue(Nd4j.math().abs(unmasked.sub(masked)).maxNumber().doubleValue() > 1e-3);

        // written back as a Keras file, mask_zero included, it reads back and predicts the same
        Path again = dir.resolve("again_masked.keras");
        model.save(again);
        Functional back = assertInstanceOf(Functional.class, Model.load(again));
        assertEquals(true, ((Embedding) back.getLayer("embedding")).maskZero());
        assertArrayEquals(model.predictAll(List.of(image, tokens)).get(0).dup('c').data().asFloat(),
                back.predictAll(List.of(image, tokens)).get(0).dup('c').data().asFloat());
    }
}
