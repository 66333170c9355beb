package org.grad4j.models.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Seeds;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A full-model .h5 in Keras 2's layout, written here with jhdf (tf.keras' own names: {@code batch_input_shape} on the
 * first layer instead of an InputLayer, {@code model_weights/<layer>/<layer>/lstm_cell/kernel:0} listed by
 * {@code weight_names}), loads into the same model: an LSTM's three arrays map by position.
 */
class Keras2LayoutTest {
    @TempDir
    Path dir;

    @Test
    void anLstmModelInKeras2sLayoutLoadsBitIdentically() throws Exception {
        Seeds.set(9);
        Sequential model = new Sequential(new InputLayer(5, 3), new LSTM(4), new Dense(2, "tanh"));
        List<Map<String, Object>> layers = new ArrayList<>();
        boolean first = true;
        for (Layer layer : model.layers()) {
            Map<String, Object> config = new LinkedHashMap<>(layer.config());
            if (first) {
                config.put("batch_input_shape", java.util.Arrays.asList(null, 5, 3));
                config.put("implementation", 2);   // a Keras 2 LSTM option that changes nothing here
                first = false;
            }
            layers.add(Map.of("class_name", layer.className(), "config", config));
        }
        Map<String, Object> modelConfig = Map.of("class_name", "Sequential", "config",
                Map.of("name", "sequential_7", "layers", layers));
        Path file = dir.resolve("lstm_tf2.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("model_config", new ObjectMapper().writeValueAsString(modelConfig));
            hdf.putAttribute("keras_version", "2.15.0");
            WritableGroup weights = hdf.putGroup("model_weights");
            weights.putAttribute("layer_names", model.layers().stream().map(Layer::name).toArray(String[]::new));
            for (Layer layer : model.layers()) {
                WritableGroup group = weights.putGroup(layer.name());
                String cell = layer instanceof LSTM ? "lstm_cell/" : "";
                List<String> names = new ArrayList<>();
                WritableGroup inner = group.putGroup(layer.name());
                WritableGroup target = cell.isEmpty() ? inner : inner.putGroup("lstm_cell");
                for (Variable v : layer.weights()) {
                    String role = v.name().substring(v.name().lastIndexOf('/') + 1);
                    names.add(layer.name() + "/" + cell + role);
                    Hdf5Arrays.write(target, role, v.array());
                }
                if (layer instanceof LSTM) {
                    // as Keras 2 writes a list too long for one object header: weight_names0, weight_names1, ...
                    group.putAttribute("weight_names0", names.subList(0, 2).toArray(String[]::new));
                    group.putAttribute("weight_names1", names.subList(2, 3).toArray(String[]::new));
                } else {
                    group.putAttribute("weight_names", names.toArray(String[]::new));
                }
            }
        }
        Model loaded = Model.load(file);
        assertTrue(!loaded.isCompiled());
        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 5, 3);
        assertArrayEquals(model.predict(x).data().asFloat(), loaded.predict(x).data().asFloat());
    }
}
