#!/usr/bin/python3
"""Generates the conv2d_fused conformance cases (see bench/src/main/resources/conformance/FORMAT.md).

A fused case is a convolution followed, in PyTorch's order, by an optional eval-mode BatchNorm, an optional
residual add and an activation:

    c = conv2d(input, weight, bias)
    c = batch_norm(c, running_mean, running_var, gamma, beta, eps)     (if batch_norm is not null)
    z = c + alpha * residual                                            (if residual is not null)
    output = act(z)

Every reference is computed by PyTorch in float64 from the float32 values stored in the case, then rounded to
float32, like the original cases. BatchNorm cases also store PyTorch's float32 fold of the BatchNorm into the
convolution (torch.nn.utils.fusion.fuse_conv_bn_weights), which an engine's fold must reproduce bit for bit.

Run from the repository root with Debian's python3-torch (torch 1.13):

    /usr/bin/python3 bench/scripts/fused_cases.py

It rewrites bench/src/main/resources/conformance/cases.jsonl, keeping every line that is not a conv2d_fused case
byte for byte and in place, and appending the fused cases; then it updates meta.json (counts, size, checksum).
The generation is seeded: running it again gives the same bytes.
"""

import base64
import hashlib
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_weights

SEED = 19
OP = "conv2d_fused"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "conformance")
CASES = os.path.join(ROOT, "cases.jsonl")
META = os.path.join(ROOT, "meta.json")

# name -> (parameter count, float64 function of (tensor, params))
ACTIVATIONS = {
    "identity": (0, lambda z, p: z),
    "relu": (0, lambda z, p: F.relu(z)),
    "relu6": (0, lambda z, p: F.relu6(z)),
    "clamp": (2, lambda z, p: torch.clamp(z, p[0], p[1])),
    "leaky_relu": (1, lambda z, p: F.leaky_relu(z, p[0])),
    "hardswish": (0, lambda z, p: F.hardswish(z)),
    "silu": (0, lambda z, p: F.silu(z)),
    "sigmoid": (0, lambda z, p: torch.sigmoid(z)),
    "tanh": (0, lambda z, p: torch.tanh(z)),
    "gelu": (0, lambda z, p: F.gelu(z)),
    "gelu_tanh": (0, lambda z, p: F.gelu(z, approximate="tanh")),
}
EXACT_ACTIVATIONS = ["identity", "relu", "relu6", "clamp", "leaky_relu"]


def f32(x):
    """A Python float holding the float32 value nearest x: parameters are stored as the engine will use them."""
    return float(np.float32(x))


def b64(t):
    return base64.b64encode(np.ascontiguousarray(t, dtype="<f4").tobytes()).decode("ascii")


def out_size(size, before, after, kernel, stride, dilation):
    return (size + before + after - dilation * (kernel - 1) - 1) // stride + 1


def draw_geometry(rng, kind):
    """Small shapes across groups, stride, dilation and padding; every tensor stays under 4096 elements."""
    while True:
        n = int(rng.integers(1, 3))
        if kind == "depthwise":
            groups = int(rng.integers(2, 7))
            cin, cout = groups, groups * int(rng.integers(1, 3))
        elif kind == "grouped":
            groups = int(rng.integers(2, 4))
            cin, cout = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
        else:
            groups = 1
            cin, cout = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        sh, sw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        dh, dw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        pad = [int(v) for v in rng.integers(0, 2, size=4)]
        h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
        hout = out_size(h, pad[0], pad[1], kh, sh, dh)
        wout = out_size(w, pad[2], pad[3], kw, sw, dw)
        if hout < 1 or wout < 1:
            continue
        sizes = [n * cin * h * w, cout * (cin // groups) * kh * kw, n * cout * hout * wout]
        if max(sizes) < 4096:
            return dict(n=n, cin=cin, h=h, w=w, cout=cout, kh=kh, kw=kw, stride=[sh, sw], pad=pad, dilation=[dh, dw],
                        groups=groups, hout=hout, wout=wout)


def activation_params(rng, name, exact):
    if name == "clamp":
        if exact:
            return [-4.0, 8.0]
        low = f32(-rng.uniform(0.25, 2.0))
        return [low, f32(rng.uniform(0.25, 3.0))]
    if name == "leaky_relu":
        return [0.25] if exact else [f32(rng.choice([0.01, 0.2, -0.5, 1.75]))]
    return []


def make_case(rng, index, category, activation, residual, alpha, batch_norm, kind, exact, with_bias):
    g = draw_geometry(rng, kind)
    n, cin, h, w, cout, kh, kw = g["n"], g["cin"], g["h"], g["w"], g["cout"], g["kh"], g["kw"]
    k = (cin // g["groups"]) * kh * kw
    in_shape, w_shape, out_shape = [n, cin, h, w], [cout, cin // g["groups"], kh, kw], [n, cout, g["hout"], g["wout"]]
    if exact:
        x = rng.integers(-3, 4, size=in_shape).astype(np.float32)
        wt = rng.integers(-2, 3, size=w_shape).astype(np.float32)
        b = rng.integers(-4, 5, size=[cout]).astype(np.float32) if with_bias else None
        r = rng.integers(-6, 7, size=out_shape).astype(np.float32) if residual else None
    else:
        # weights scaled so that pre-activations spread over about [-4, 4]: every activation's bend is crossed
        gain = float(rng.choice([1.5, 3.0]))
        x = rng.standard_normal(in_shape).astype(np.float32)
        wt = (rng.standard_normal(w_shape) * (gain / math.sqrt(k))).astype(np.float32)
        b = rng.standard_normal([cout]).astype(np.float32) if with_bias else None
        r = (rng.standard_normal(out_shape) * 1.5).astype(np.float32) if residual else None
    params = activation_params(rng, activation, exact)

    x64 = torch.from_numpy(x.astype(np.float64))
    c = F.conv2d(F.pad(x64, (g["pad"][2], g["pad"][3], g["pad"][0], g["pad"][1])), torch.from_numpy(wt.astype(np.float64)),
                 None if b is None else torch.from_numpy(b.astype(np.float64)), tuple(g["stride"]), 0, tuple(g["dilation"]),
                 g["groups"])
    bn = None
    if batch_norm:
        # BatchNorm parameters bounded so that |gamma / sqrt(var + eps)| <= 3 and |mean|, |beta| <= about 1.5
        gamma = (rng.choice([-1.0, 1.0], size=cout) * rng.uniform(0.5, 1.5, size=cout)).astype(np.float32)
        beta = rng.uniform(-1.0, 1.0, size=cout).astype(np.float32)
        mean = (rng.standard_normal(cout) * 0.5).astype(np.float32)
        var = rng.uniform(0.25, 2.0, size=cout).astype(np.float32)
        eps = float(rng.choice([1e-5, 1e-3]))
        c = F.batch_norm(c, torch.from_numpy(mean.astype(np.float64)), torch.from_numpy(var.astype(np.float64)),
                         torch.from_numpy(gamma.astype(np.float64)), torch.from_numpy(beta.astype(np.float64)), False, 0.0, eps)
        fw, fb = fuse_conv_bn_weights(torch.from_numpy(wt), None if b is None else torch.from_numpy(b), torch.from_numpy(mean),
                                      torch.from_numpy(var), eps, torch.from_numpy(gamma), torch.from_numpy(beta))
        bn = {"gamma": b64(gamma), "beta": b64(beta), "running_mean": b64(mean), "running_var": b64(var), "eps": eps,
              "folded_weight": b64(fw.detach().numpy()), "folded_bias": b64(fb.detach().numpy())}
    z = c if r is None else c + alpha * torch.from_numpy(r.astype(np.float64))
    out = ACTIVATIONS[activation][1](z, params)

    # PyTorch's own float32 result, to record how far it lands from the reference under the tolerance rule
    c32 = F.conv2d(F.pad(torch.from_numpy(x), (g["pad"][2], g["pad"][3], g["pad"][0], g["pad"][1])), torch.from_numpy(wt),
                   None if b is None else torch.from_numpy(b), tuple(g["stride"]), 0, tuple(g["dilation"]), g["groups"])
    if batch_norm:
        c32 = F.batch_norm(c32, torch.from_numpy(mean), torch.from_numpy(var), torch.from_numpy(gamma), torch.from_numpy(beta),
                           False, 0.0, eps)
    z32 = c32 if r is None else torch.add(c32, torch.from_numpy(r), alpha=alpha)
    out32 = ACTIVATIONS[activation][1](z32, params).double()
    slope = max(1.5, abs(params[0])) if activation == "leaky_relu" else 1.5
    scale = math.sqrt(k) * slope * (1 + z.abs() + (0 if r is None else abs(alpha) * torch.from_numpy(r.astype(np.float64)).abs()))
    torch32_error = float(((out32 - out.float().double()).abs() / scale).max())

    return torch32_error, {
        "id": "%s_%04d" % (OP, index), "op": OP, "category": category,
        "n": n, "cin": cin, "h": h, "w": w, "cout": cout, "kh": kh, "kw": kw,
        "stride": g["stride"], "pad": g["pad"], "dilation": g["dilation"], "groups": g["groups"],
        "padding_mode": "zeros", "padding_spec": "explicit",
        "values": "int" if exact else "randn", "exact": exact,
        "input_shape": in_shape, "weight_shape": w_shape, "bias_shape": None if b is None else [cout], "output_shape": out_shape,
        "reduction_length": {"output": k},
        "activation": activation, "activation_params": params,
        "alpha": None if r is None else alpha,
        "batch_norm": bn,
        "input": b64(x), "weight": b64(wt), "bias": None if b is None else b64(b),
        "residual": None if r is None else b64(r),
        "pre_activation": b64(z.numpy()),
        "output": b64(out.numpy()),
    }


def fused_cases():
    rng = np.random.default_rng(SEED)
    kinds = ["dense", "dense", "grouped", "depthwise"]
    cases = []

    def add(category, activation, residual=False, alpha=1.0, batch_norm=False, exact=False, with_bias=True):
        kind = kinds[len(cases) % len(kinds)]
        cases.append(make_case(rng, len(cases) + 1, category, activation, residual, f32(alpha), batch_norm, kind, exact,
                               with_bias))

    for name in ACTIVATIONS:                                   # fused_activation: 33
        for repeat in range(3):
            add("fused_activation", name, with_bias=repeat != 2)
    for name in ACTIVATIONS:                                   # fused_residual: 22
        add("fused_residual", name, residual=True, alpha=1.0)
        add("fused_residual", name, residual=True, alpha=float(rng.choice([-0.5, 0.3, 2.5])))
    for i, name in enumerate(["identity", "relu", "relu", "relu6", "relu6", "silu", "hardswish", "leaky_relu"]):
        add("fused_batch_norm", name, batch_norm=True, with_bias=i % 2 == 0)    # conv + BN (+ act): 8
    for i, name in enumerate(["relu", "relu", "relu", "identity", "relu6", "gelu", "silu"]):
        add("fused_batch_norm", name, residual=True, alpha=1.0 if i < 5 else 0.5, batch_norm=True,
            with_bias=i % 3 != 0)                              # conv + BN + residual + act (ResNet's block end): 7
    for i in range(10):                                        # fused_int_exact: 10
        add("fused_int_exact", EXACT_ACTIVATIONS[i % len(EXACT_ACTIVATIONS)], residual=i % 2 == 0,
            alpha=[1.0, 2.0, -1.0][i % 3], exact=True, with_bias=i % 4 != 3)
    return cases


def main():
    torch.set_num_threads(1)
    with open(CASES, "rb") as f:
        kept = [line for line in f.read().split(b"\n") if line and json.loads(line)["op"] != OP]
    generated = fused_cases()
    fused = [json.dumps(c, separators=(",", ":")).encode("ascii") for _, c in generated]
    worst_error, worst_case = max((e, c["id"]) for e, c in generated)
    data = b"\n".join(kept + fused) + b"\n"
    with open(CASES, "wb") as f:
        f.write(data)

    with open(META) as f:
        meta = json.load(f)
    counts = {}
    for line in fused:
        category = json.loads(line)["category"]
        counts[category] = counts.get(category, 0) + 1
    meta["cases"] = len(kept) + len(fused)
    meta["counts"][OP] = counts
    meta["cases_jsonl_bytes"] = len(data)
    meta["cases_jsonl_sha256"] = hashlib.sha256(data).hexdigest()
    meta["fused_generator"] = "bench/scripts/fused_cases.py"
    meta["fused_seed"] = SEED
    meta["fused_torch_version"] = torch.__version__
    meta["fused_float32_torch_worst_normalised_error"] = {"value": worst_error, "case": worst_case}
    with open(META, "w") as f:
        f.write(json.dumps(meta, indent=1) + "\n")
    print("kept %d cases, wrote %d %s cases: %s" % (len(kept), len(fused), OP, counts))


if __name__ == "__main__":
    main()
