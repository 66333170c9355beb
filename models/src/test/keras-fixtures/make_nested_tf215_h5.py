"""Writes models/src/test/resources/keras/nested_tf215.h5 and nested_tf215.reference.json.

A tf.keras 2.15 full-model HDF5 file (layout as in make_functional_tf215_h5.py) of a functional model that calls a
nested Sequential model on each of its two inputs:

    inner = Sequential([InputLayer((4,)), BatchNormalization(), Dense(3, relu)], name="sequential")
    a = Input(4, name="a"); b = Input(4, name="b")
    out = Dense(2, name="dense_1")(Add()([inner(a), inner(b)]))

What tf.keras 2.15 writes for it: the nested Sequential's config with its InputLayer first, its calls in the parent
counted from node 1 (node 0 is its own input-to-output node, left out of the config); BatchNormalization's axis as
the list it settled on when built ([1]); the nested model's weights in one group, model_weights/sequential, listed
by weight_names as Keras 2's model.weights orders them: every trainable weight, then the non-trainable ones
(gamma, beta, kernel, bias, moving_mean, moving_variance), each at model_weights/sequential/<layer>/<var>:0.

The expected outputs are computed here with numpy in float64 from the float32 weights (inference:
BatchNormalization with its moving statistics and epsilon 0.001).

Run: /usr/bin/python3 make_nested_tf215_h5.py  (numpy, h5py)
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "keras")
STR = h5py.string_dtype("ascii")


def initializer(name, config=None):
    return {"module": "keras.initializers", "class_name": name,
            "config": config if config is not None else ({} if name in ("Zeros", "Ones") else {"seed": None}),
            "registered_name": None}


def dense_config(name, units, activation):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": initializer("GlorotUniform"),
            "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}


BN_CONFIG = {"name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.99,
             "epsilon": 0.001, "center": True, "scale": True, "beta_initializer": initializer("Zeros"),
             "gamma_initializer": initializer("Ones"), "moving_mean_initializer": initializer("Zeros"),
             "moving_variance_initializer": initializer("Ones"), "beta_regularizer": None, "gamma_regularizer": None,
             "beta_constraint": None, "gamma_constraint": None, "synchronized": False}


def input_layer(name):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": name}}


def node(*refs):
    return [[layer, n, t, {}] for layer, n, t in refs]


MODEL_CONFIG = {"class_name": "Functional", "config": {"name": "model", "trainable": True, "layers": [
    {**input_layer("a"), "name": "a", "inbound_nodes": []},
    {**input_layer("b"), "name": "b", "inbound_nodes": []},
    {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        input_layer("input_1"),
        {"class_name": "BatchNormalization", "config": BN_CONFIG},
        {"class_name": "Dense", "config": dense_config("dense", 3, "relu")}]},
     "name": "sequential", "inbound_nodes": [node(("a", 0, 0)), node(("b", 0, 0))]},
    {"class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}, "name": "add",
     "inbound_nodes": [node(("sequential", 1, 0), ("sequential", 2, 0))]},
    {"class_name": "Dense", "config": dense_config("dense_1", 2, "linear"), "name": "dense_1",
     "inbound_nodes": [node(("add", 0, 0))]},
], "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}


def write_names(group, names):
    if names:
        group.attrs.create("weight_names", np.array(names, dtype=object), dtype=STR)
    else:
        group.attrs["weight_names"] = np.asarray([])


def main():
    rng = np.random.RandomState(215)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    bn = {"gamma:0": f32(rng.uniform(0.5, 1.5, 4)), "beta:0": f32(rng.uniform(-0.5, 0.5, 4)),
          "moving_mean:0": f32(rng.uniform(-1, 1, 4)), "moving_variance:0": f32(rng.uniform(0.2, 2, 4))}
    dense = {"kernel:0": f32(rng.uniform(-1, 1, (4, 3))), "bias:0": f32(rng.uniform(-0.3, 0.3, 3))}
    dense_1 = {"kernel:0": f32(rng.uniform(-1, 1, (3, 2))), "bias:0": f32(rng.uniform(-0.3, 0.3, 2))}
    xa = f32(rng.uniform(-2, 2, (5, 4)))
    xb = f32(rng.uniform(-2, 2, (5, 4)))

    d = lambda v: v.astype(np.float64)

    def inner(x):
        y = d(bn["gamma:0"]) * (d(x) - d(bn["moving_mean:0"])) / np.sqrt(d(bn["moving_variance:0"]) + 0.001) \
            + d(bn["beta:0"])
        return np.maximum(y @ d(dense["kernel:0"]) + d(dense["bias:0"]), 0)

    expected = (inner(xa) + inner(xb)) @ d(dense_1["kernel:0"]) + d(dense_1["bias:0"])

    with h5py.File(os.path.join(OUT, "nested_tf215.h5"), "w") as f:
        f.attrs.create("backend", "tensorflow", dtype=STR)
        f.attrs.create("keras_version", "2.15.0", dtype=STR)
        f.attrs.create("model_config", json.dumps(MODEL_CONFIG), dtype=STR)
        mw = f.create_group("model_weights")
        mw.attrs.create("backend", "tensorflow", dtype=STR)
        mw.attrs.create("keras_version", "2.15.0", dtype=STR)
        layers = ["a", "b", "sequential", "add", "dense_1"]
        mw.attrs.create("layer_names", np.array(layers, dtype=object), dtype=STR)
        for name in ["a", "b", "add", "top_level_model_weights"]:
            write_names(mw.create_group(name), [])
        seq = mw.create_group("sequential")
        ordered = [("batch_normalization", "gamma:0", bn), ("batch_normalization", "beta:0", bn),
                   ("dense", "kernel:0", dense), ("dense", "bias:0", dense),
                   ("batch_normalization", "moving_mean:0", bn), ("batch_normalization", "moving_variance:0", bn)]
        write_names(seq, ["%s/%s" % (layer, var) for layer, var, _ in ordered])
        for layer, var, values in ordered:
            seq.create_dataset("%s/%s" % (layer, var), data=values[var])
        g = mw.create_group("dense_1")
        write_names(g, ["dense_1/kernel:0", "dense_1/bias:0"])
        for var in ["kernel:0", "bias:0"]:
            g.create_dataset("dense_1/" + var, data=dense_1[var])

    with open(os.path.join(OUT, "nested_tf215.reference.json"), "w") as out:
        json.dump({"file": "nested_tf215.h5",
                   "made_by": "models/src/test/keras-fixtures/make_nested_tf215_h5.py (h5py, numpy; no Keras)",
                   "inputs": {"a": xa.tolist(), "b": xb.tolist()}, "expected_output": expected.tolist(),
                   "weights": {"batch_normalization/" + k: v.tolist() for k, v in bn.items()}}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
