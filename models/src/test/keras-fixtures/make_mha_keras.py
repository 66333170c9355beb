"""Writes models/src/test/resources/keras/mha_keras3.keras, mha_keras3_private_names.keras and
mha_keras3.reference.json.

A Keras 3 .keras zip (config.json, metadata.json, model.weights.h5) of a functional cross-attention model,
written with h5py and zipfile in the layout Keras 3's saving_lib writes: a MultiHeadAttention keeps no variables of
its own (an empty layers/multi_head_attention/vars) and its four EinsumDense sublayers keep kernel and bias at
layers/multi_head_attention/<sublayer>/vars/0 and /1, the sublayer named by the attribute saving_lib reaches it
through: the public properties query_dense, key_dense, value_dense, output_dense in current Keras (which visits
private attributes last); the private _query_dense... in a release that sorts attributes plainly (the second
file). The softmax and dropout sublayers have empty groups. The config records attention_axes [1], as a built
Keras MultiHeadAttention does.

    model: query = Input((4, 6)); value = Input((5, 3))
           out = MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2)(query, value)   # (None, 4, 6)

The expected output is computed here with numpy in float64 from the float32 weights, with Keras' equations:
    q = einsum(abc,cde->abde)(query, Wq) + bq, likewise k and v from value; q /= sqrt(key_dim)
    scores = einsum(aecd,abcd->acbe)(k, q); p = softmax over the last axis
    ctx = einsum(acbe,aecd->abcd)(p, v); out = einsum(abcd,cde->abe)(ctx, Wo) + bo

Run: /usr/bin/python3 make_mha_keras.py  (numpy, h5py)
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "keras")
HEADS, KEY_DIM, VALUE_DIM = 2, 3, 2
Q_SHAPE, V_SHAPE = (4, 6), (5, 3)


def policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def initializer(name):
    return {"module": "keras.initializers", "class_name": name, "config": {} if name == "Zeros" else {"seed": None},
            "registered_name": None}


def tensor(layer, shape):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, *shape], "dtype": "float32",
                                                         "keras_history": [layer, 0, 0]}}


def input_layer(name, shape):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None, *shape], "dtype": "float32", "sparse": False, "name": name},
            "registered_name": None, "name": name, "inbound_nodes": []}


CONFIG = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {
    "name": "functional", "trainable": True, "layers": [
        input_layer("query", Q_SHAPE),
        input_layer("value", V_SHAPE),
        {"module": "keras.layers", "class_name": "MultiHeadAttention", "config": {
            "name": "multi_head_attention", "trainable": True, "dtype": policy(), "num_heads": HEADS,
            "key_dim": KEY_DIM, "value_dim": VALUE_DIM, "dropout": 0.0, "use_bias": True, "output_shape": None,
            "attention_axes": [1], "kernel_initializer": initializer("GlorotUniform"),
            "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None, "seed": None},
         "registered_name": None,
         "build_config": {"shapes_dict": {"query_shape": [None, *Q_SHAPE], "value_shape": [None, *V_SHAPE]}},
         "name": "multi_head_attention",
         "inbound_nodes": [{"args": [tensor("query", Q_SHAPE), tensor("value", V_SHAPE)], "kwargs": {}}]},
    ],
    "input_layers": [["query", 0, 0], ["value", 0, 0]],
    "output_layers": [["multi_head_attention", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}}


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def forward(query, value, w):
    f = {k: v.astype(np.float64) for k, v in w.items()}
    q = np.einsum("abc,cde->abde", query.astype(np.float64), f["query_kernel"]) + f["query_bias"]
    k = np.einsum("abc,cde->abde", value.astype(np.float64), f["key_kernel"]) + f["key_bias"]
    v = np.einsum("abc,cde->abde", value.astype(np.float64), f["value_kernel"]) + f["value_bias"]
    q = q / np.sqrt(KEY_DIM)
    p = softmax(np.einsum("aecd,abcd->acbe", k, q))
    ctx = np.einsum("acbe,aecd->abcd", p, v)
    return np.einsum("abcd,cde->abe", ctx, f["output_kernel"]) + f["output_bias"]


def weights_h5(w, sublayer_names):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("layers/input_layer/vars")
        f.create_group("layers/input_layer_1/vars")
        mha = f.create_group("layers/multi_head_attention")
        mha.create_group("vars")
        for part, name in zip(["query", "key", "value", "output"], sublayer_names):
            vars_ = mha.create_group(name + "/vars")
            vars_.create_dataset("0", data=w[part + "_kernel"])
            vars_.create_dataset("1", data=w[part + "_bias"])
        mha.create_group("_softmax/vars")
        mha.create_group("_dropout_layer/vars")
        f.create_group("vars")
    return buffer.getvalue()


def write(name, w, sublayer_names):
    with zipfile.ZipFile(os.path.join(OUT, name), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2026-12-04@16:00:00"}))
        z.writestr("config.json", json.dumps(CONFIG))
        z.writestr("model.weights.h5", weights_h5(w, sublayer_names))


def main():
    rng = np.random.RandomState(3)
    q_dim, v_dim = Q_SHAPE[-1], V_SHAPE[-1]
    w = {
        "query_kernel": rng.uniform(-1, 1, (q_dim, HEADS, KEY_DIM)),
        "query_bias": rng.uniform(-0.3, 0.3, (HEADS, KEY_DIM)),
        "key_kernel": rng.uniform(-1, 1, (v_dim, HEADS, KEY_DIM)),
        "key_bias": rng.uniform(-0.3, 0.3, (HEADS, KEY_DIM)),
        "value_kernel": rng.uniform(-1, 1, (v_dim, HEADS, VALUE_DIM)),
        "value_bias": rng.uniform(-0.3, 0.3, (HEADS, VALUE_DIM)),
        "output_kernel": rng.uniform(-1, 1, (HEADS, VALUE_DIM, q_dim)),
        "output_bias": rng.uniform(-0.3, 0.3, (q_dim,)),
    }
    w = {k: v.astype(np.float32) for k, v in w.items()}
    query = rng.uniform(-2, 2, (3, *Q_SHAPE)).astype(np.float32)
    value = rng.uniform(-2, 2, (3, *V_SHAPE)).astype(np.float32)
    expected = forward(query, value, w)

    write("mha_keras3.keras", w, ["query_dense", "key_dense", "value_dense", "output_dense"])
    write("mha_keras3_private_names.keras", w, ["_query_dense", "_key_dense", "_value_dense", "_output_dense"])
    reference = {
        "files": ["mha_keras3.keras", "mha_keras3_private_names.keras"],
        "made_by": "models/src/test/keras-fixtures/make_mha_keras.py (h5py, numpy; no Keras)",
        "inputs": {"query": query.tolist(), "value": value.tolist()},
        "weights": {k: v.tolist() for k, v in w.items()},
        "expected_output": expected.tolist(),
    }
    with open(os.path.join(OUT, "mha_keras3.reference.json"), "w") as out:
        json.dump(reference, out)
        out.write("\n")


if __name__ == "__main__":
    main()
