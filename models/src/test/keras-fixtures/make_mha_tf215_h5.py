"""Writes models/src/test/resources/keras/mha_tf215.h5 and mha_tf215.reference.json.

A tf.keras 2.15 full-model HDF5 file of a functional cross-attention model, in the layout tf.keras 2.15's
legacy_h5_format writes (see make_functional_tf215_h5.py): the MultiHeadAttention's inbound node in Keras 2's form,
the query as the node's tensor and the value in its kwargs, [["query", 0, 0, {"value": ["value", 0, 0]}]]; its
config with the shapes it was built for (query_shape, key_shape, value_shape) and attention_axes [1]; its weights
at model_weights/multi_head_attention/multi_head_attention/{query,key,value,attention_output}/{kernel,bias}:0 in
that order in weight_names. No optimizer (saved uncompiled). The weights, inputs and expected outputs are those of
make_mha_keras.py (same seed, same numpy forward pass), so both files describe one model.

Run: /usr/bin/python3 make_mha_tf215_h5.py  (numpy, h5py)
"""
import importlib.util
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "keras")
STR = h5py.string_dtype("ascii")

spec = importlib.util.spec_from_file_location("make_mha_keras", os.path.join(HERE, "make_mha_keras.py"))
mha = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mha)


def initializer(name):
    return {"module": "keras.initializers", "class_name": name, "config": {} if name == "Zeros" else {"seed": None},
            "registered_name": None}


def input_layer(name, shape):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None, *shape], "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": name},
            "name": name, "inbound_nodes": []}


MODEL_CONFIG = {"class_name": "Functional", "config": {"name": "model", "trainable": True, "layers": [
    input_layer("query", mha.Q_SHAPE),
    input_layer("value", mha.V_SHAPE),
    {"class_name": "MultiHeadAttention", "config": {
        "name": "multi_head_attention", "trainable": True, "dtype": "float32", "num_heads": mha.HEADS,
        "key_dim": mha.KEY_DIM, "value_dim": mha.VALUE_DIM, "dropout": 0.0, "use_bias": True, "output_shape": None,
        "attention_axes": [1], "kernel_initializer": initializer("GlorotUniform"),
        "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
        "query_shape": [None, *mha.Q_SHAPE], "key_shape": [None, *mha.V_SHAPE], "value_shape": [None, *mha.V_SHAPE]},
     "name": "multi_head_attention",
     "inbound_nodes": [[["query", 0, 0, {"value": ["value", 0, 0]}]]]},
], "input_layers": [["query", 0, 0], ["value", 0, 0]], "output_layers": [["multi_head_attention", 0, 0]]}}


def main():
    reference = json.load(open(os.path.join(OUT, "mha_keras3.reference.json")))
    w = {k: np.asarray(v, dtype=np.float32) for k, v in reference["weights"].items()}
    query = np.asarray(reference["inputs"]["query"], dtype=np.float32)
    value = np.asarray(reference["inputs"]["value"], dtype=np.float32)
    expected = mha.forward(query, value, w)

    with h5py.File(os.path.join(OUT, "mha_tf215.h5"), "w") as f:
        f.attrs.create("backend", "tensorflow", dtype=STR)
        f.attrs.create("keras_version", "2.15.0", dtype=STR)
        f.attrs.create("model_config", json.dumps(MODEL_CONFIG), dtype=STR)
        mw = f.create_group("model_weights")
        mw.attrs.create("backend", "tensorflow", dtype=STR)
        mw.attrs.create("keras_version", "2.15.0", dtype=STR)
        names = ["query", "value", "multi_head_attention"]
        mw.attrs.create("layer_names", np.array(names, dtype=object), dtype=STR)
        for name in ["query", "value", "top_level_model_weights"]:
            mw.create_group(name).attrs["weight_names"] = np.asarray([])
        g = mw.create_group("multi_head_attention")
        weight_names = []
        for part, keras2 in [("query", "query"), ("key", "key"), ("value", "value"), ("output", "attention_output")]:
            for role in ["kernel", "bias"]:
                path = "multi_head_attention/%s/%s:0" % (keras2, role)
                weight_names.append(path)
                g.create_dataset(path, data=w[part + "_" + role])
        g.attrs.create("weight_names", np.array(weight_names, dtype=object), dtype=STR)

    with open(os.path.join(OUT, "mha_tf215.reference.json"), "w") as out:
        json.dump({"file": "mha_tf215.h5",
                   "made_by": "models/src/test/keras-fixtures/make_mha_tf215_h5.py (h5py, numpy; no Keras)",
                   "inputs": reference["inputs"], "expected_output": expected.tolist()}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
