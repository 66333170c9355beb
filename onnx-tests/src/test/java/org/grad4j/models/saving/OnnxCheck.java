package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Variable;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Exports a model, runs the file in ONNX Runtime and compares every output with grad4j's predictions. */
final class OnnxCheck {
    static final double TOLERANCE = 1e-5;

    private OnnxCheck() {
    }

    /** Non-zero biases and normalization statistics, so that every weight shows in the outputs. */
    static void randomizeWeights(Model model) {
        for (Variable v : model.weights()) {
            INDArray value = v.name().contains("variance")
                    ? Nd4j.rand(v.array().dataType(), v.array().shape()).addi(0.5)
                    : Nd4j.randn(v.array().dataType(), v.array().shape()).muli(0.5);
            v.assign(value);
        }
    }

    /** A Sequential (or one-in one-out model) whose ONNX output is called {@code output}: the largest difference. */
    static double exportAndCompare(Model model, Path file, String inputName, INDArray x) throws IOException, OrtException {
        model.exportOnnx(file);
        return compare(file, Map.of(inputName, x), Map.of("output", model.predict(x))).get("output");
    }

    /**
     * A Functional: inputs in the order of its input names, outputs compared with {@code predictAll} by output
     * name; the largest difference per output, each checked to be within {@link #TOLERANCE}.
     */
    static Map<String, Double> exportAndCompare(Functional model, Path file, List<INDArray> xs) throws IOException, OrtException {
        model.exportOnnx(file);
        Map<String, INDArray> inputs = new HashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            inputs.put(model.inputNames().get(i), xs.get(i));
        }
        List<INDArray> predicted = model.predictAll(xs);
        Map<String, INDArray> expected = new LinkedHashMap<>();
        for (int i = 0; i < predicted.size(); i++) {
            String name = model.outputNames().get(i);
            for (int k = 1; expected.containsKey(name); k++) {
                name = model.outputNames().get(i) + "_" + k;   // a layer's second output, as the exporter names it
            }
            expected.put(name, predicted.get(i));
        }
        return compare(file, inputs, expected);
    }

    static Map<String, Double> compare(Path file, Map<String, INDArray> inputs, Map<String, INDArray> expected)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
                INDArray x = e.getValue();
                feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(x.dup('c').data().asFloat()), x.shape()));
            }
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(session.getOutputNames()), "output names");
            Map<String, Double> errors = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feed)) {
                for (Map.Entry<String, INDArray> e : expected.entrySet()) {
                    OnnxValue value = result.get(e.getKey()).orElseThrow();
                    OnnxTensor output = (OnnxTensor) value;
                    INDArray wanted = e.getValue();
                    assertArrayEquals(wanted.shape(), output.getInfo().getShape(), e.getKey() + " shape");
                    FloatBuffer values = output.getFloatBuffer();
                    float[] actual = new float[values.remaining()];
                    values.get(actual);
                    float[] w = wanted.dup('c').data().asFloat();
                    double max = 0;
                    for (int i = 0; i < w.length; i++) {
                        max = Math.max(max, Math.abs(actual[i] - w[i]));
                    }
                    assertTrue(max <= TOLERANCE, e.getKey() + ": max abs difference " + max + " from predict");
                    errors.put(e.getKey(), max);
                }
            }
            return errors;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
