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

    /**
     * tf.keras before 2.11 listed optimizer weights as {@code Adam/iter:0}, every {@code <var>/m:0}, then every
     * {@code <var>/v:0}; grad4j keeps each variable's two slots together, so they are matched kind by kind.
     */
    @Test
    void aLegacyTfKerasOptimizerStateIsMatchedKindByKind() throws Exception {
        Seeds.set(10);
        Sequential model = new Sequential(new InputLayer(3), new Dense(4, "relu"), new Dense(1));
        model.compile(new org.grad4j.optimizers.Adam(0.01), "mse");
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3);
        model.fit(x, x.sum(true, 1), 2, 8);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            Map<String, Object> config = new LinkedHashMap<>(layer.config());
            if (layers.isEmpty()) {
                config.put("batch_input_shape", java.util.Arrays.asList(null, 3));
            }
            layers.add(Map.of("class_name", layer.className(), "config", config));
        }
        Map<String, Object> training = new LinkedHashMap<>(model.compileConfig());
        training.put("optimizer_config", training.remove("optimizer"));
        Path file = dir.resolve("legacy.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            ObjectMapper json = new ObjectMapper();
            hdf.putAttribute("model_config", json.writeValueAsString(Map.of("class_name", "Sequential", "config",
                    Map.of("name", "sequential_1", "layers", layers))));
            hdf.putAttribute("training_config", json.writeValueAsString(training));
            WritableGroup weights = hdf.putGroup("model_weights");
            for (Layer layer : model.layers()) {
                WritableGroup group = weights.putGroup(layer.name());
                WritableGroup inner = group.putGroup(layer.name());
                List<String> names = new ArrayList<>();
                for (Variable v : layer.weights()) {
                    String role = v.name().substring(v.name().lastIndexOf('/') + 1);
                    names.add(layer.name() + "/" + role);
                    Hdf5Arrays.write(inner, role, v.array());
                }
                group.putAttribute("weight_names", names.toArray(String[]::new));
            }
            WritableGroup optimizer = hdf.putGroup("optimizer_weights");
            WritableGroup adam = optimizer.putGroup("Adam");
            List<Variable> state = model.optimizer().variables();
            List<String> names = new ArrayList<>(List.of("Adam/iter:0"));
            Hdf5Arrays.write(adam, "iter:0", state.get(0).array());
            for (String kind : List.of("m", "v")) {
                String grad4jKind = kind.equals("m") ? "/momentum/" : "/velocity/";
                for (Variable slot : state.subList(1, state.size())) {
                    if (!slot.name().contains(grad4jKind)) {
                        continue;
                    }
                    String variable = slot.name().substring(slot.name().indexOf(grad4jKind) + grad4jKind.length());
                    String layerName = variable.substring(0, variable.indexOf('/'));
                    String role = variable.substring(variable.indexOf('/') + 1, variable.indexOf(':'));
                    WritableGroup layerGroup = adam.getChild(layerName) instanceof WritableGroup g ? g : adam.putGroup(layerName);
                    WritableGroup roleGroup = layerGroup.getChild(role) instanceof WritableGroup g ? g : layerGroup.putGroup(role);
                    Hdf5Arrays.write(roleGroup, kind + ":0", slot.array());
                    names.add("Adam/" + layerName + "/" + role + "/" + kind + ":0");
                }
            }
            optimizer.putAttribute("weight_names", names.toArray(String[]::new));
        }
        Model loaded = Model.load(file);
        KerasWriteTest.assertBitsEqual(model.optimizer().variables(), loaded.optimizer().variables());
        model.trainOnBatch(x, x.sum(true, 1));
        loaded.trainOnBatch(x, x.sum(true, 1));
        KerasWriteTest.assertBitsEqual(model.variables(), loaded.variables());
    }
}
