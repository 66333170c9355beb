package org.grad4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the golden cases of {@code shared/golden/public} (copied unchanged into test resources under
 * {@code /golden/}) and compares results with their tolerance rule
 * {@code |actual - expected| <= atol + rtol * |expected|}. Shared by every module's tests through
 * grad4j-core's test jar.
 */
public final class Golden {
    private Golden() {
    }

    /** The parsed file, e.g. {@code load("losses")} for {@code /golden/losses.json}. */
    public static JsonNode load(String family) {
        String resource = "/golden/" + family + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            JsonNode root = new ObjectMapper().readTree(in);
            assertEquals(root.get("count").asInt(), root.get("cases").size(), resource + ": count vs cases");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One dynamic test per case of the family, named by the case id. */
    public static Stream<DynamicTest> cases(String family, Consumer<JsonNode> runCase) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : load(family).get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> runCase.accept(c)));
        }
        return tests.stream();
    }

    public static double rtol(JsonNode c) {
        return c.get("tolerance").get("rtol").asDouble();
    }

    public static double atol(JsonNode c) {
        return c.get("tolerance").get("atol").asDouble();
    }

    /** A float32 array from {shape, data}; shape [] is rank 0. */
    public static INDArray array(JsonNode json) {
        return Nd4j.create(data(json), shape(json), 'c').castTo(DataType.FLOAT);
    }

    /** A float32 tensor from {shape, data}. */
    public static Tensor tensor(JsonNode json) {
        return Tensor.of(array(json));
    }

    public static long[] shape(JsonNode json) {
        JsonNode s = json.get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asLong();
        }
        return shape;
    }

    public static double[] data(JsonNode json) {
        JsonNode d = json.get("data");
        double[] data = new double[d.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = d.get(i).asDouble();
        }
        return data;
    }

    /** Shape and every element within the case's tolerance. */
    public static void assertClose(String what, JsonNode expectedJson, Tensor actual, double rtol, double atol) {
        assertNotNull(actual, what + ": no value");
        assertClose(what, expectedJson, actual.array(), rtol, atol);
    }

    /** Shape and every element within the case's tolerance. */
    public static void assertClose(String what, JsonNode expectedJson, INDArray actual, double rtol, double atol) {
        assertNotNull(actual, what + ": no value");
        assertArrayEquals(shape(expectedJson), actual.shape(), what + ": shape");
        double[] expected = data(expectedJson);
        double[] got = actual.reshape(actual.length()).toDoubleVector();
        assertEquals(expected.length, got.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double bound = atol + rtol * Math.abs(expected[i]);
            int index = i;
            assertTrue(Math.abs(got[i] - expected[i]) <= bound, () -> what + "[" + index + "]: expected "
                    + expected[index] + " but was " + got[index] + " (allowed " + bound + ")");
        }
    }
}
