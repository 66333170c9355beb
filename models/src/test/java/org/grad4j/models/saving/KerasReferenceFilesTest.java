package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.grad4j.layers.BatchNormalization;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Dropout;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.CosineDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two real Keras files in {@code src/test/resources/keras} (copied unchanged from the shared folder) load and
 * reproduce their reference outputs. The references are float64 results rounded to float32 (half an ulp: 6e-8 near
 * 1), and grad4j computes in float32. The churn MLP's outputs are well conditioned, so 1e-6 holds; the diabetes
 * MLP's logits reach |z| ~ 350 behind a BatchNormalization with moving variance down to 0.002, so float32 rounding
 * in z (~350 * 6e-8) moves a boundary row's probability by up to ~1e-5: its bound is the reference's own
 * suggested_tolerance_float32, 1e-5.
 */
class KerasReferenceFilesTest {
    /** diabetes_mlp: the reference's suggested_tolerance_float32. */
    static final double TOLERANCE = 1e-5;
    /** churn_mlp_tf215: well-conditioned outputs in (0, 1). */
    static final double CHURN_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    static Path resource(Path dir, String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = KerasReferenceFilesTest.class.getResourceAsStream("/keras/" + name)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    /** A reference file's nested JSON list of numbers as a float64 array of the lists' shape. */
    static INDArray nested(Object nested) {
        List<Long> shape = new java.util.ArrayList<>();
        for (Object level = nested; level instanceof List<?> list; level = list.get(0)) {
            shape.add((long) list.size());
        }
        List<Double> flat = new java.util.ArrayList<>();
        flatten(nested, flat);
        return Nd4j.create(flat.stream().mapToDouble(Double::doubleValue).toArray(),
                shape.stream().mapToLong(Long::longValue).toArray(), DataType.DOUBLE);
    }

    private static void flatten(Object value, List<Double> out) {
        if (value instanceof List<?> list) {
            list.forEach(v -> flatten(v, out));
        } else {
            out.add(((Number) value).doubleValue());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> reference(String name) throws IOException {
        try (InputStream in = KerasReferenceFilesTest.class.getResourceAsStream("/keras/" + name)) {
            return new ObjectMapper().readValue(in, Map.class);
        }
    }

    @SuppressWarnings("unchecked")
    static INDArray array(Map<String, Object> section) {
        Map<String, Object> only = (Map<String, Object>) section.values().iterator().next();
        List<List<Number>> rows = (List<List<Number>>) only.get("data");
        float[][] values = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            values[i] = new float[rows.get(i).size()];
            for (int j = 0; j < values[i].length; j++) {
                values[i][j] = rows.get(i).get(j).floatValue();
            }
        }
        return Nd4j.createFromArray(values);
    }

    @SuppressWarnings("unchecked")
    static double maxAbsDiff(Model model, Map<String, Object> ref) {
        INDArray x = array((Map<String, Object>) ref.get("inputs"));
        INDArray expected = array((Map<String, Object>) ref.get("outputs"));
        INDArray actual = model.predict(x);
        assertEquals(List.of(expected.shape()[0], expected.shape()[1]), List.of(actual.shape()[0], actual.shape()[1]));
        return Nd4j.math().abs(actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void diabetesKeras3FileLoadsAndMatchesItsReference() throws IOException {
        Model model = Model.load(resource(dir, "diabetes_mlp.keras"));
        Sequential s = assertInstanceOf(Sequential.class, model);
        assertEquals(List.of(Dense.class, BatchNormalization.class, Dropout.class, Dense.class, BatchNormalization.class,
                Dropout.class, Dense.class), s.layers().stream().map(Object::getClass).toList());
        assertEquals("dense_6", s.getLayer(0).name());
        assertEquals(0.001, ((Map<?, ?>) s.getLayer(1).config()).get("epsilon"));
        double diff = maxAbsDiff(model, reference("diabetes_mlp.reference.json"));
        System.out.println("diabetes_mlp.keras: max |predict - reference| = " + diff);
        assertTrue(diff <= TOLERANCE, "max abs diff " + diff);
        // the compile config and the optimizer state came along: Adam with its CosineDecay schedule, 21 arrays
        assertTrue(model.isCompiled());
        Adam adam = assertInstanceOf(Adam.class, model.optimizer());
        assertInstanceOf(CosineDecay.class, adam.learningRateSchedule().orElseThrow());
        assertEquals(21, adam.variables().size());
        assertTrue(adam.iterations() > 0, "iterations " + adam.iterations());
    }

    @Test
    void churnTfKeras215H5LoadsAndMatchesItsReference() throws IOException {
        Model model = Model.load(resource(dir, "churn_mlp_tf215.h5"));
        Sequential s = assertInstanceOf(Sequential.class, model);
        assertEquals(List.of("dense_9", "dense_10", "dense_11"), s.layers().stream().map(l -> l.name()).toList());
        double diff = maxAbsDiff(model, reference("churn_mlp_tf215.reference.json"));
        System.out.println("churn_mlp_tf215.h5: max |predict - reference| = " + diff);
        assertTrue(diff <= CHURN_TOLERANCE, "max abs diff " + diff);
        assertTrue(model.isCompiled());
        assertEquals(13, model.optimizer().variables().size());
        assertTrue(model.optimizer().iterations() > 0);
    }

    @Test
    void withoutCompileOnlyTheArchitectureAndWeightsLoad() throws IOException {
        Model model = Model.load(resource(dir, "diabetes_mlp.keras"), false);
        assertTrue(!model.isCompiled());
        assertTrue(maxAbsDiff(model, reference("diabetes_mlp.reference.json")) <= TOLERANCE);
    }
}
