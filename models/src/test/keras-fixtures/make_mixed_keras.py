"""Writes models/src/test/resources/keras/mixed_keras3.keras, mixed_keras3_unmasked.keras and
mixed_keras3.reference.json.

A Keras 3 .keras zip of a two-input functional model with Conv2D, Embedding(mask_zero), LSTM, GRU(reset_after),
Flatten, Concatenate and Dense, written with h5py and zipfile in the layout Keras 3.5's saving_lib writes:
model.layers' weight groups named by class and a per-class counter (layers/conv2d/vars/0 kernel (kh, kw, in,
out), /1 bias; layers/embedding/vars/0 embeddings; a recurrent layer's variables under its cell,
layers/lstm/cell/vars/0 kernel (in, 4 units, gates i f c o), /1 recurrent_kernel, /2 bias (4 units);
layers/gru/cell/vars/0 kernel (in, 3 units, gates z r h), /1 recurrent_kernel, /2 bias (2, 3 units) with
reset_after; layers/dense/vars/0, /1), empty groups for the layers without variables. Node kwargs are written
empty (grad4j recomputes the masks from the Embedding; what Keras records for a mask argument is not used).

    model: image = Input((5, 5, 2)); tokens = Input((6,), int32)
           a = Flatten()(Conv2D(3, 3, relu)(image))                          # (None, 27)
           s = Embedding(10, 4, mask_zero=True)(tokens)
           s = LSTM(5, return_sequences=True)(s); s = GRU(3)(s)          # the mask skips token 0 steps
           out = Dense(2)(Concatenate()([a, s]))                           # (None, 2)

The expected output is computed here with numpy in float64 from the float32 weights with Keras' equations,
masked steps keeping the recurrent state (and, for the LSTM's sequence output, repeating the previous output).
mixed_keras3_unmasked.keras is the same model and weights with mask_zero=False (token 0 is then an ordinary
id), with its own expected output.

Run: /usr/bin/python3 make_mixed_keras.py  (numpy, h5py)
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "keras")
TOKENS = [[1, 2, 3, 4, 5, 6], [3, 0, 5, 2, 0, 0], [0, 0, 1, 2, 3, 4], [7, 8, 9, 0, 0, 0]]


def policy():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def init(name):
    return {"module": "keras.initializers", "class_name": name,
            "config": {} if name in ("Zeros", "Ones") else {"seed": None}, "registered_name": None}


def tensor(layer, shape, dtype="float32"):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": dtype, "keras_history": [layer, 0, 0]}}


def layer(class_name, config, name, input_shape, args):
    config = {"name": name, "trainable": True, "dtype": policy(), **config}
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None,
            "build_config": {"input_shape": input_shape}, "name": name,
            "inbound_nodes": [{"args": args, "kwargs": {}}]}


def recurrent_config(units, extra):
    config = {"return_sequences": False, "return_state": False, "go_backwards": False, "stateful": False,
              "unroll": False, "zero_output_for_mask": False, "units": units, "activation": "tanh",
              "recurrent_activation": "sigmoid", "use_bias": True, "kernel_initializer": init("GlorotUniform"),
              "recurrent_initializer": init("OrthogonalInitializer"), "bias_initializer": init("Zeros")}
    config.update(extra)
    config.update({"kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
                   "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
                   "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": None})
    return config


MASK_ZERO = "__mask_zero__"   # replaced per file

CONFIG = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {
    "name": "functional_1", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {
            "batch_shape": [None, 5, 5, 2], "dtype": "float32", "sparse": False, "name": "image"},
         "registered_name": None, "name": "image", "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "InputLayer", "config": {
            "batch_shape": [None, 6], "dtype": "int32", "sparse": False, "name": "tokens"},
         "registered_name": None, "name": "tokens", "inbound_nodes": []},
        layer("Conv2D", {"filters": 3, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
                         "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu",
                         "use_bias": True, "kernel_initializer": init("GlorotUniform"),
                         "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
                         "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
              "conv2d", [None, 5, 5, 2], [tensor("image", [None, 5, 5, 2])]),
        layer("Embedding", {"input_dim": 10, "output_dim": 4, "embeddings_initializer": init("RandomUniform"),
                            "embeddings_regularizer": None, "activity_regularizer": None,
                            "embeddings_constraint": None, "mask_zero": MASK_ZERO},
              "embedding", [None, 6], [tensor("tokens", [None, 6], "int32")]),
        layer("Flatten", {"data_format": "channels_last"}, "flatten", [None, 3, 3, 3],
              [tensor("conv2d", [None, 3, 3, 3])]),
        layer("LSTM", recurrent_config(5, {"return_sequences": True, "unit_forget_bias": True}), "lstm",
              [None, 6, 4], [tensor("embedding", [None, 6, 4])]),
        layer("GRU", recurrent_config(3, {"reset_after": True}), "gru", [None, 6, 5],
              [tensor("lstm", [None, 6, 5])]),
        layer("Concatenate", {"axis": -1}, "concatenate", [[None, 27], [None, 3]],
              [[tensor("flatten", [None, 27]), tensor("gru", [None, 3])]]),
        layer("Dense", {"units": 2, "activation": "linear", "use_bias": True,
                        "kernel_initializer": init("GlorotUniform"), "bias_initializer": init("Zeros"),
                        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                        "bias_constraint": None}, "dense", [None, 30], [tensor("concatenate", [None, 30])]),
    ],
    "input_layers": [["image", 0, 0], ["tokens", 0, 0]],
    "output_layers": [["dense", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}}

# model.layers order: the weight groups Keras names by class and counter
GROUPS = ["input_layer", "input_layer_1", "conv2d", "embedding", "flatten", "lstm", "gru", "concatenate", "dense"]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def conv2d_valid(x, k, b):
    kh, kw, _, f = k.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, f))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            out[:, i, j, :] = np.einsum("nabc,abcf->nf", x[:, i:i + kh, j:j + kw, :], k) + b
    return out


def lstm(xs, mask, w, u, b):
    units = u.shape[0]
    h = np.zeros((xs.shape[0], units))
    c = np.zeros_like(h)
    outputs = []
    for t in range(xs.shape[1]):
        z = xs[:, t] @ w + h @ u + b
        i, f, g, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h_new = sigmoid(o) * np.tanh(c_new)
        m = mask[:, t:t + 1]
        h = np.where(m, h_new, h)
        c = np.where(m, c_new, c)
        outputs.append(h)
    return np.stack(outputs, axis=1)


def gru_reset_after(xs, mask, w, u, b):
    units = u.shape[0]
    h = np.zeros((xs.shape[0], units))
    for t in range(xs.shape[1]):
        x = xs[:, t] @ w + b[0]
        r = h @ u + b[1]
        z = sigmoid(x[:, :units] + r[:, :units])
        reset = sigmoid(x[:, units:2 * units] + r[:, units:2 * units])
        hh = np.tanh(x[:, 2 * units:] + reset * r[:, 2 * units:])
        h_new = z * h + (1 - z) * hh
        h = np.where(mask[:, t:t + 1], h_new, h)
    return h


def main():
    rng = np.random.RandomState(44)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    w = {
        "conv2d": [f32(rng.uniform(-0.5, 0.5, (3, 3, 2, 3))), f32(rng.uniform(-0.2, 0.2, (3,)))],
        "embedding": [f32(rng.uniform(-1, 1, (10, 4)))],
        "lstm": [f32(rng.uniform(-0.6, 0.6, (4, 20))), f32(rng.uniform(-0.6, 0.6, (5, 20))),
                 f32(rng.uniform(-0.3, 0.3, (20,)))],
        "gru": [f32(rng.uniform(-0.6, 0.6, (5, 9))), f32(rng.uniform(-0.6, 0.6, (3, 9))),
                f32(rng.uniform(-0.3, 0.3, (2, 9)))],
        "dense": [f32(rng.uniform(-0.5, 0.5, (30, 2))), f32(rng.uniform(-0.2, 0.2, (2,)))],
    }
    image = f32(rng.uniform(-1, 1, (4, 5, 5, 2)))
    tokens = np.array(TOKENS, dtype=np.int32)

    d = {k: [a.astype(np.float64) for a in v] for k, v in w.items()}
    a = np.maximum(conv2d_valid(image.astype(np.float64), *d["conv2d"]), 0).reshape(4, -1)
    expected = {}
    for masked in (True, False):
        mask = tokens != 0 if masked else np.ones(tokens.shape, dtype=bool)
        s = d["embedding"][0][tokens]
        s = lstm(s, mask, *d["lstm"])
        s = gru_reset_after(s, mask, *d["gru"])
        expected[masked] = np.concatenate([a, s], axis=1) @ d["dense"][0] + d["dense"][1]

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for group in GROUPS:
            arrays = w.get(group, [])
            target = group + ("/cell" if group in ("lstm", "gru") else "")
            f.create_group("layers/" + group + "/vars")
            if target != group:
                f.create_group("layers/" + target + "/vars")
            for i, value in enumerate(arrays):
                f["layers/" + target + "/vars"].create_dataset(str(i), data=value)
        f.create_group("vars")
    for name, masked in (("mixed_keras3.keras", True), ("mixed_keras3_unmasked.keras", False)):
        config = json.dumps(CONFIG).replace(json.dumps(MASK_ZERO), json.dumps(masked))
        with zipfile.ZipFile(os.path.join(OUT, name), "w") as z:
            z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2026-12-04@16:10:00"}))
            z.writestr("config.json", config)
            z.writestr("model.weights.h5", buffer.getvalue())

    reference = {
        "files": ["mixed_keras3.keras (mask_zero true)", "mixed_keras3_unmasked.keras (mask_zero false)"],
        "made_by": "models/src/test/keras-fixtures/make_mixed_keras.py (h5py, numpy; no Keras)",
        "inputs": {"image": image.tolist(), "tokens": tokens.tolist()},
        "expected_output_masked": expected[True].tolist(),
        "expected_output_unmasked": expected[False].tolist(),
    }
    with open(os.path.join(OUT, "mixed_keras3.reference.json"), "w") as out:
        json.dump(reference, out)
        out.write("\n")


if __name__ == "__main__":
    main()
