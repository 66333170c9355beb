package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The files against NumPy itself, when a {@code python3} with NumPy is installed (skipped otherwise): NumPy
 * reads the weights and optimizer state grad4j writes, and grad4j reads an {@code np.savez} archive.
 */
class G4jFormatNumpyTest {
    @TempDir
    Path dir;

    static boolean numpy;

    @BeforeAll
    static void findNumpy() {
        try {
            numpy = python("import numpy").exitCode == 0;
        } catch (IOException e) {
            numpy = false;
        }
    }

    @BeforeEach
    void names() {
        Layer.resetNameCounters();
        Seeds.set(3);
    }

    record Result(int exitCode, String out) {
    }

    static Result python(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void numpyReadsTheWeightsAndOptimizerStateOfAModelFile() throws IOException {
        assumeTrue(numpy, "python3 with numpy is not installed");
        Sequential model = new Sequential(new InputLayer(3), new Dense(2, "relu"), new Dense(1));
        model.compile(new Adam(0.01), "mse");
        model.fit(Nd4j.rand(DataType.FLOAT, 8, 3), Nd4j.rand(DataType.FLOAT, 8, 1),
                FitOptions.epochs(1).batchSize(4).verbose(0));
        Path file = dir.resolve("m.g4j");
        model.save(file);

        // one line per array: name, dtype, shape (2x3, or "scalar"), then the values as exact float64 reprs
        String script = String.join("\n",
                "import io, sys, zipfile, numpy as np",
                "z = zipfile.ZipFile(sys.argv[1])",
                "for entry in ('weights.npz', 'optimizer.npz'):",
                "    arrays = np.load(io.BytesIO(z.read(entry)))",
                "    for name in arrays.files:",
                "        a = arrays[name]",
                "        print(name, a.dtype, 'x'.join(map(str, a.shape)) or 'scalar', *(repr(float(v)) for v in a.ravel()))");
        Result r = python(script, file.toString());
        assertEquals(0, r.exitCode, r.out);

        List<Variable> expected = new ArrayList<>(model.variables());
        expected.addAll(model.optimizer().variables());
        String[] lines = r.out.split("\n");
        assertEquals(expected.size(), lines.length, r.out);
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].split(" ", 4);
            Variable v = expected.get(i);
            assertEquals(v.name(), parts[0]);
            assertEquals(Npy.typeName(v.dataType()), parts[1]);
            String shape = v.rank() == 0 ? "scalar"
                    : String.join("x", Arrays.stream(v.shape()).mapToObj(Long::toString).toList());
            assertEquals(shape, parts[2], v.name());
            double[] values = v.array().dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] read = Arrays.stream(parts[3].split(" ")).mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(values, read, v.name());
        }
    }

    @Test
    void loadWeightsReadsAnArchiveWrittenByNumpySavez() throws IOException {
        assumeTrue(numpy, "python3 with numpy is not installed");
        Sequential model = new Sequential(new InputLayer(3), new Dense(2));
        Path file = dir.resolve("from_numpy.npz");
        String script = String.join("\n",
                "import sys, numpy as np",
                "kernel = np.arange(6, dtype=np.float32).reshape(3, 2) / 4",
                "bias = np.array([-1.5, 2.5], dtype=np.float32)",
                "np.savez(sys.argv[1], **{'dense/kernel:0': kernel, 'dense/bias:0': bias})");
        Result r = python(script, file.toString());
        assertEquals(0, r.exitCode, r.out);

        model.loadWeights(file);

        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f},
                model.variables().get(0).array().dup('c').data().asFloat());
        assertArrayEquals(new float[] {-1.5f, 2.5f}, model.variables().get(1).array().data().asFloat());
    }
}
