"""Writes models/src/test/resources/keras/functional_tf215.h5 and its .reference.json.

A tf.keras 2.15 full-model HDF5 file (model.save("m.h5")) of a two-input functional model, written with h5py in
the layout tf.keras 2.15's legacy_h5_format writes (root attributes backend, keras_version, model_config,
training_config; model_weights/<layer>/<layer>/<var>:0 listed by each group's weight_names, InputLayers and
top_level_model_weights with empty float64 weight_names; optimizer_weights/iteration:0 and
optimizer_weights/Adam/{m,v}/<layer>/<var>:0 listed by weight_names). Keras is not needed: the weights are fixed
seeded numbers and the expected outputs are computed here with numpy in float64 from the float32 weights.

    model: a = Input(3, name="input_1"); b = Input(3, name="input_2")
           dense = Dense(4, tanh)            shared: dense(a) is node 0, dense(b) node 1
           add = Add()([dense(a), dense(b)])
           concatenate = Concatenate()([dense(a), add])
           dense_1 = Dense(2)(concatenate)   the output
    compiled with Adam(0.01), mse; optimizer state after 7 steps (arbitrary but fixed values).

Run: /usr/bin/python3 make_functional_tf215_h5.py  (numpy, h5py)
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "keras")
STR = h5py.string_dtype("ascii")


def initializer(name):
    return {"module": "keras.initializers", "class_name": name, "config": {} if name == "Zeros" else {"seed": None},
            "registered_name": None}


def dense_config(name, units, activation):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": initializer("GlorotUniform"),
            "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}


def input_layer(name):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": name},
            "name": name, "inbound_nodes": []}


def node(*refs):
    return [[layer, n, t, {}] for layer, n, t in refs]


MODEL_CONFIG = {"class_name": "Functional", "config": {"name": "model", "trainable": True, "layers": [
    input_layer("input_1"),
    input_layer("input_2"),
    {"class_name": "Dense", "config": dense_config("dense", 4, "tanh"), "name": "dense",
     "inbound_nodes": [node(("input_1", 0, 0)), node(("input_2", 0, 0))]},
    {"class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}, "name": "add",
     "inbound_nodes": [node(("dense", 0, 0), ("dense", 1, 0))]},
    {"class_name": "Concatenate", "config": {"name": "concatenate", "trainable": True, "dtype": "float32", "axis": -1},
     "name": "concatenate", "inbound_nodes": [node(("dense", 0, 0), ("add", 0, 0))]},
    {"class_name": "Dense", "config": dense_config("dense_1", 2, "linear"), "name": "dense_1",
     "inbound_nodes": [node(("concatenate", 0, 0))]},
], "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}

TRAINING_CONFIG = {"loss": {"class_name": "MeanSquaredError", "config": {
    "reduction": "auto", "name": "mean_squared_error", "fn": "mean_squared_error"}},
    "metrics": None, "weighted_metrics": None, "loss_weights": None,
    "optimizer_config": {"class_name": "Custom>Adam", "config": {
        "name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
        "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False,
        "is_legacy_optimizer": False, "learning_rate": 0.009999999776482582, "beta_1": 0.9, "beta_2": 0.999,
        "epsilon": 1e-07, "amsgrad": False}}}

# model.layers order, as tf.keras lists a functional model's layers
LAYER_NAMES = ["input_1", "input_2", "dense", "add", "concatenate", "dense_1"]


def main():
    rng = np.random.RandomState(2150)
    weights = {
        "dense": [("kernel:0", rng.uniform(-1, 1, (3, 4)).astype(np.float32)),
                  ("bias:0", rng.uniform(-0.5, 0.5, (4,)).astype(np.float32))],
        "dense_1": [("kernel:0", rng.uniform(-1, 1, (8, 2)).astype(np.float32)),
                    ("bias:0", rng.uniform(-0.5, 0.5, (2,)).astype(np.float32))],
    }
    slots = []   # Adam 2.11+: iteration, then m and v of each trainable variable in turn
    for layer in ["dense", "dense_1"]:
        for var, value in weights[layer]:
            slots.append(("Adam/m/%s/%s" % (layer, var), rng.normal(0, 0.01, value.shape).astype(np.float32)))
            slots.append(("Adam/v/%s/%s" % (layer, var), rng.uniform(0, 1e-3, value.shape).astype(np.float32)))
    x1 = rng.uniform(-2, 2, (5, 3)).astype(np.float32)
    x2 = rng.uniform(-2, 2, (5, 3)).astype(np.float32)

    w, b = (v.astype(np.float64) for _, v in weights["dense"])
    w1, b1 = (v.astype(np.float64) for _, v in weights["dense_1"])
    da = np.tanh(x1.astype(np.float64) @ w + b)
    db = np.tanh(x2.astype(np.float64) @ w + b)
    expected = np.concatenate([da, da + db], axis=1) @ w1 + b1

    path = os.path.join(OUT, "functional_tf215.h5")
    with h5py.File(path, "w") as f:
        f.attrs.create("backend", "tensorflow", dtype=STR)
        f.attrs.create("keras_version", "2.15.0", dtype=STR)
        f.attrs.create("model_config", json.dumps(MODEL_CONFIG), dtype=STR)
        f.attrs.create("training_config", json.dumps(TRAINING_CONFIG), dtype=STR)
        mw = f.create_group("model_weights")
        mw.attrs.create("backend", "tensorflow", dtype=STR)
        mw.attrs.create("keras_version", "2.15.0", dtype=STR)
        mw.attrs.create("layer_names", np.array(LAYER_NAMES, dtype=object), dtype=STR)
        for layer in LAYER_NAMES + ["top_level_model_weights"]:
            g = mw.create_group(layer)
            own = weights.get(layer, [])
            names = ["%s/%s" % (layer, var) for var, _ in own]
            if names:
                g.attrs.create("weight_names", np.array(names, dtype=object), dtype=STR)
            else:
                g.attrs["weight_names"] = np.asarray([])   # Keras' np.asarray([]) of no names: float64, shape (0,)
            for name, (_, value) in zip(names, own):
                g.create_dataset(name, data=value)
        ow = f.create_group("optimizer_weights")
        names = ["iteration:0"] + [name + "" for name, _ in slots]
        ow.attrs.create("weight_names", np.array(names, dtype=object), dtype=STR)
        ow.create_dataset("iteration:0", data=np.int64(7))
        for name, value in slots:
            ow.create_dataset(name, data=value)

    reference = {
        "file": "functional_tf215.h5",
        "made_by": "models/src/test/keras-fixtures/make_functional_tf215_h5.py (h5py, numpy; no Keras)",
        "inputs": {"input_1": x1.tolist(), "input_2": x2.tolist()},
        "expected_output": expected.tolist(),
        "iteration": 7,
        "optimizer_slots": {name: value.tolist() for name, value in slots},
    }
    with open(os.path.join(OUT, "functional_tf215.reference.json"), "w") as out:
        json.dump(reference, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
