package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import org.grad4j.testing.Golden;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The op cases of golden/ops.json (Keras 3 semantics, PyTorch float64 autograd numbers): every case's
 * output and input gradients, computed in float32, within the case's own tolerance.
 */
class GoldenOpsTest {
    private static final String RESOURCE = "/golden/ops.json";

    /** A composition case: computes the output from the named inputs and may publish named intermediates. */
    private interface Expression {
        Tensor eval(Map<String, Tensor> in, Map<String, Tensor> named);
    }

    /** The composition cases' {@code expression} texts, each written with Tensor ops. */
    private static final Map<String, Expression> COMPOSITIONS = Map.of(
            "y1 = x*w1 + b1; y2 = y1*w2 + b2; out = y2", (in, named) -> {
                Tensor y1 = in.get("x").mul(in.get("w1")).add(in.get("b1"));
                Tensor y2 = y1.mul(in.get("w2")).add(in.get("b2"));
                named.put("y1", y1);
                named.put("y2", y2);
                return y2;
            },
            "out = tanh(x @ w + b); b (4,) broadcast over the batch",
            (in, named) -> in.get("x").matmul(in.get("w")).add(in.get("b")).tanh(),
            "out = mean((x @ w + b - t)^2) over all 4 elements (rank-0)",
            (in, named) -> in.get("x").matmul(in.get("w")).add(in.get("b")).sub(in.get("t")).square().mean(),
            "mu = mean(x,-1,keepdims); var = mean((x-mu)^2,-1,keepdims); out = (x-mu)/sqrt(var+1e-3)", (in, named) -> {
                Tensor x = in.get("x");
                Tensor centered = x.sub(x.mean(true, -1));
                Tensor var = centered.square().mean(true, -1);
                return centered.div(var.add(1e-3).sqrt());
            });

    private static JsonNode golden() {
        return Golden.load("ops");
    }

    @Test
    void fileHoldsTheAnnouncedNumberOfCases() throws IOException {
        JsonNode root = golden();
        assertEquals("ops", root.get("family").asText());
        assertEquals(root.get("count").asInt(), root.get("cases").size());
        assertEquals(41, root.get("cases").size());
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden().get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> runCase(c)));
        }
        return tests.stream();
    }

    private static void runCase(JsonNode c) {
        String id = c.get("id").asText();
        double rtol = c.get("tolerance").get("rtol").asDouble();
        double atol = c.get("tolerance").get("atol").asDouble();

        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (JsonNode in : c.get("inputs")) {
            inputs.put(in.get("name").asText(), tensor(in).requiresGrad(true));
        }
        Tensor out = evaluate(c, inputs, new LinkedHashMap<>());
        assertClose(id + " output", c.get("output"), out, rtol, atol);

        out.mul(tensor(c.get("upstream_gradient"))).sum().backward();
        JsonNode expectedGrads = c.get("input_gradients");
        assertEquals(inputs.keySet(), names(expectedGrads), id + ": input_gradients must name every input");
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Tensor grad = e.getValue().grad();
            assertNotNull(grad, id + ": no gradient reached input " + e.getKey());
            assertClose(id + " d/d" + e.getKey(), expectedGrads.get(e.getKey()), grad, rtol, atol);
        }

        if (c.has("intermediate_gradients") || c.has("local_partials")) {
            checkTapeGradients(c, rtol, atol);
        }
    }

    /** Intermediate gradients and local partials, through a persistent tape over a fresh evaluation. */
    private static void checkTapeGradients(JsonNode c, double rtol, double atol) {
        String id = c.get("id").asText();
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (JsonNode in : c.get("inputs")) {
            named.put(in.get("name").asText(), tensor(in).requiresGrad(true));
        }
        GradientTape tape = GradientTape.persistent();
        Tensor loss;
        try (tape) {
            Tensor out = evaluate(c, new LinkedHashMap<>(named), named);
            loss = out.mul(tensor(c.get("upstream_gradient"))).sum();
        }
        if (c.has("intermediate_gradients")) {
            Iterator<Map.Entry<String, JsonNode>> it = c.get("intermediate_gradients").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Tensor t = named.get(e.getKey());
                assertNotNull(t, id + ": the expression names no intermediate " + e.getKey());
                assertClose(id + " dL/d" + e.getKey(), e.getValue(), tape.gradient(loss, t), rtol, atol);
            }
        }
        if (c.has("local_partials")) {
            Iterator<Map.Entry<String, JsonNode>> it = c.get("local_partials").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String[] parts = e.getKey().split("/");
                assertTrue(parts.length == 2 && parts[0].startsWith("d") && parts[1].startsWith("d"),
                        id + ": cannot read partial " + e.getKey());
                Tensor target = named.get(parts[0].substring(1));
                Tensor source = named.get(parts[1].substring(1));
                assertNotNull(target, id + ": unknown tensor in " + e.getKey());
                assertNotNull(source, id + ": unknown tensor in " + e.getKey());
                Tensor g = tape.gradient(target, source);
                assertNotNull(g, id + ": " + e.getKey() + " is unconnected");
                double expected = e.getValue().asDouble();
                assertTrue(Math.abs(g.itemDouble() - expected) <= atol + rtol * Math.abs(expected),
                        id + " " + e.getKey() + ": expected " + expected + " but was " + g.itemDouble());
            }
        }
    }

    private static Tensor evaluate(JsonNode c, Map<String, Tensor> in, Map<String, Tensor> named) {
        String op = c.get("op").asText();
        Attrs attrs = new Attrs(c.get("attrs"));
        List<Tensor> x = new ArrayList<>(in.values());
        Tensor out = switch (op) {
            case "add" -> x.get(0).add(x.get(1));
            case "subtract" -> x.get(0).sub(x.get(1));
            case "multiply" -> x.get(0).mul(x.get(1));
            case "divide" -> x.get(0).div(x.get(1));
            case "matmul" -> x.get(0).matmul(x.get(1));
            case "exp" -> x.get(0).exp();
            case "log" -> x.get(0).log();
            case "power" -> x.get(0).pow(attrs.number("exponent"));
            case "sqrt" -> x.get(0).sqrt();
            case "square" -> x.get(0).square();
            case "sigmoid" -> x.get(0).sigmoid();
            case "tanh" -> x.get(0).tanh();
            case "relu" -> x.get(0).relu();
            case "leaky_relu" -> x.get(0).leakyRelu(attrs.number("negative_slope"));
            case "elu" -> x.get(0).elu(attrs.number("alpha"));
            case "softplus" -> x.get(0).softplus();
            case "gelu" -> x.get(0).gelu(attrs.bool("approximate"));
            case "softmax" -> x.get(0).softmax(attrs.integer("axis"));
            case "log_softmax" -> x.get(0).logSoftmax(attrs.integer("axis"));
            case "sum" -> x.get(0).sum(attrs.bool("keepdims"), attrs.axes("axis"));
            case "mean" -> x.get(0).mean(attrs.bool("keepdims"), attrs.axes("axis"));
            case "max" -> x.get(0).max(attrs.bool("keepdims"), attrs.axes("axis"));
            case "reshape" -> x.get(0).reshape(attrs.longs("new_shape"));
            case "transpose" -> {
                int[] axes = attrs.axes("axes");
                yield axes.length == 0 ? x.get(0).transpose() : x.get(0).transpose(axes);
            }
            case "composition" -> {
                String expression = c.get("expression").asText();
                Expression e = COMPOSITIONS.get(expression);
                if (e == null) {
                    fail(c.get("id").asText() + ": no Tensor-op form for the expression \"" + expression + "\"");
                }
                yield e.eval(in, named);
            }
            default -> fail(c.get("id").asText() + ": unknown op \"" + op + "\"");
        };
        attrs.assertAllUsed(c.get("id").asText());
        return out;
    }

    /** A case's attrs; every attribute must be read, so none is silently ignored. */
    private static final class Attrs {
        private final JsonNode node;
        private final Set<String> used = new HashSet<>();

        Attrs(JsonNode node) {
            this.node = node;
        }

        private JsonNode get(String key) {
            assertTrue(node.has(key), "missing attr " + key + " in " + node);
            used.add(key);
            return node.get(key);
        }

        double number(String key) {
            return get(key).asDouble();
        }

        int integer(String key) {
            return get(key).asInt();
        }

        boolean bool(String key) {
            return get(key).asBoolean();
        }

        /** null means all axes (none given); a number is one axis; a list is several. */
        int[] axes(String key) {
            JsonNode v = get(key);
            if (v.isNull()) {
                return new int[0];
            }
            if (v.isInt()) {
                return new int[] {v.asInt()};
            }
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i).asInt();
            }
            return out;
        }

        long[] longs(String key) {
            JsonNode v = get(key);
            long[] out = new long[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i).asLong();
            }
            return out;
        }

        void assertAllUsed(String id) {
            Set<String> unused = names(node);
            unused.removeAll(used);
            assertTrue(unused.isEmpty(), id + ": attrs not understood: " + unused);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Tensor tensor(JsonNode json) {
        return Golden.tensor(json);
    }

    private static void assertClose(String what, JsonNode expected, Tensor actual, double rtol, double atol) {
        Golden.assertClose(what, expected, actual, rtol, atol);
    }
}
