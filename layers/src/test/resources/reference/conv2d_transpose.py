"""Reference numbers for grad4j's Conv2DTranspose (Keras 3 semantics), from PyTorch float64 autograd.

Run with Debian's PyTorch (1.13): /usr/bin/python3 conv2d_transpose.py > conv2d_transpose.json

Keras semantics reproduced here (keras/src/backend/common/backend_utils.py and
keras/src/layers/convolutional/base_conv_transpose.py):
  * kernel layout (kh, kw, filters, in_channels); torch's conv_transpose2d weight is (in, filters, kh, kw);
    both are the adjoint of a cross-correlation, so no flip: torch_weight = kernel.permute(3, 2, 0, 1);
  * output length with span = d*(k-1)+1: valid -> (n-1)*s + span + p, p defaulting to max(span, s) - span;
    same -> n*s, or (n-1)*s + span % 2 + p when output_padding p is given;
  * the result is the gradient of a convolution, with TensorFlow's padding for that convolution, w.r.t. an input
    of the output length: total = max((n-1)*s + span - out, 0), total // 2 cells cropped before (the odd cell
    goes at the end). Keras' JAX backend computes the same crop.

torch's own `padding` crops symmetrically, so it cannot put an odd cell at the end; its `output_padding` extends the
end. Each case is therefore computed from torch's full transposed convolution (padding 0: length (n-1)*s + span),
extended with zero cells at the end where the Keras length reaches past it, then cropped to [before, before + out).
Where torch's own padding/output_padding can express the same crop (output_padding in [0, max(s, d))), the script
asserts that torch gives the identical result with them.
"""
import json

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def output_length(n, k, s, d, same, p):
    span = d * (k - 1) + 1
    if not same:
        return (n - 1) * s + span + (max(span, s) - span if p is None else p)
    return n * s if p is None else (n - 1) * s + span % 2 + p


def keras_conv2d_transpose(x, kernel, bias, strides, same, output_padding, dilation, activation):
    """x (batch, h, w, in) channels_last, kernel (kh, kw, filters, in); returns (batch, oh, ow, filters)."""
    xt = x.permute(0, 3, 1, 2)
    weight = kernel.permute(3, 2, 0, 1)
    full = F.conv_transpose2d(xt, weight, stride=strides, dilation=dilation)
    lengths, before = [], []
    for i in range(2):
        n, k, s, d = x.shape[1 + i], kernel.shape[i], strides[i], dilation[i]
        out = output_length(n, k, s, d, same, None if output_padding is None else output_padding[i])
        span = d * (k - 1) + 1
        lengths.append(out)
        before.append(max((n - 1) * s + span - out, 0) // 2 if same else 0)
    extra_h = max(before[0] + lengths[0] - full.shape[2], 0)
    extra_w = max(before[1] + lengths[1] - full.shape[3], 0)
    full = F.pad(full, (0, extra_w, 0, extra_h))
    y = full[:, :, before[0]:before[0] + lengths[0], before[1]:before[1] + lengths[1]]

    # the same crop with torch's own arguments, where they can express it
    torch_output_padding = [lengths[i] + 2 * before[i] - ((x.shape[1 + i] - 1) * strides[i]
                                                          + dilation[i] * (kernel.shape[i] - 1) + 1) for i in range(2)]
    if all(0 <= torch_output_padding[i] < max(strides[i], dilation[i]) for i in range(2)):
        direct = F.conv_transpose2d(xt, weight, stride=strides, padding=before, output_padding=torch_output_padding,
                                    dilation=dilation)
        assert torch.equal(direct, y), "torch padding/output_padding disagree with the crop"
    if bias is not None:
        y = y + bias.view(1, -1, 1, 1)
    if activation == "relu":
        y = torch.relu(y)
    return y.permute(0, 2, 3, 1)


CASES = [
    # id, input shape, filters, kernel_size, strides, padding, output_padding, dilation, use_bias, activation
    ("same_stride2_k3_odd_cell_at_end", (2, 4, 5, 3), 4, (3, 3), (2, 2), "same", None, (1, 1), True, "linear"),
    ("valid_stride2_k3", (2, 3, 4, 3), 2, (3, 3), (2, 2), "valid", None, (1, 1), True, "linear"),
    ("valid_stride2_output_padding", (1, 3, 3, 2), 3, (2, 3), (2, 2), "valid", (1, 1), (1, 1), True, "linear"),
    ("same_stride2_k4_output_padding_1_0", (2, 3, 4, 2), 2, (4, 4), (2, 2), "same", (1, 0), (1, 1), True, "linear"),
    ("same_stride2_k3_output_padding_0_1", (1, 4, 3, 3), 2, (3, 3), (2, 2), "same", (0, 1), (1, 1), True, "linear"),
    ("same_dilation2", (1, 5, 6, 2), 3, (3, 3), (1, 1), "same", None, (2, 2), True, "linear"),
    ("valid_dilation_2_1", (2, 4, 3, 2), 2, (3, 2), (1, 1), "valid", None, (2, 1), True, "linear"),
    ("same_strides_2_3_no_bias_relu", (1, 3, 4, 2), 3, (3, 2), (2, 3), "same", None, (1, 1), False, "relu"),
    ("valid_stride3_kernel_smaller_than_stride", (1, 2, 3, 2), 2, (2, 2), (3, 3), "valid", None, (1, 1), True, "linear"),
    ("same_stride3_kernel_smaller_than_stride", (2, 2, 3, 1), 2, (2, 2), (3, 3), "same", None, (1, 1), True, "linear"),
]


def flat(t):
    return t.detach().reshape(-1).tolist()


def main():
    generator = torch.Generator().manual_seed(20261204)

    def uniform(*shape):
        return torch.rand(*shape, generator=generator) * 2 - 1

    cases = []
    for (case_id, shape, filters, kernel_size, strides, padding, output_padding, dilation, use_bias,
         activation) in CASES:
        x = uniform(*shape).requires_grad_(True)
        kernel = uniform(kernel_size[0], kernel_size[1], filters, shape[3]).requires_grad_(True)
        bias = uniform(filters).requires_grad_(True) if use_bias else None
        y = keras_conv2d_transpose(x, kernel, bias, strides, padding == "same", output_padding, dilation, activation)
        upstream = uniform(*y.shape)
        sources = [x, kernel] + ([bias] if use_bias else [])
        grads = torch.autograd.grad((y * upstream).sum(), sources)
        config = {"filters": filters, "kernel_size": list(kernel_size), "strides": list(strides), "padding": padding,
                  "output_padding": None if output_padding is None else list(output_padding),
                  "dilation_rate": list(dilation), "activation": activation, "use_bias": use_bias}
        case = {"id": case_id, "config": config,
                "input": {"shape": list(shape), "data": flat(x)},
                "kernel": {"shape": list(kernel.shape), "data": flat(kernel)},
                "output": {"shape": list(y.shape), "data": flat(y)},
                "upstream_gradient": {"shape": list(y.shape), "data": flat(upstream)},
                "gradients": {"input": flat(grads[0]), "kernel": flat(grads[1])}}
        if use_bias:
            case["bias"] = {"shape": [filters], "data": flat(bias)}
            case["gradients"]["bias"] = flat(grads[2])
        cases.append(case)
    print(json.dumps({"generator": "conv2d_transpose.py", "torch": torch.__version__, "dtype": "float64",
                      "count": len(cases), "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
