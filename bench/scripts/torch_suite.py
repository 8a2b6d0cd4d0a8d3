#!/usr/bin/python3
"""Times PyTorch's conv2d on vconv's 18-layer network suite and writes JSON that `bench --torch FILE` joins.

Run it with Debian's interpreter and its python3-torch package (apt-get install -y python3-torch):

    /usr/bin/python3 bench/scripts/torch_suite.py --out bench-results/torch.json [--threads 1,2] [--seconds 0.5]

The layers are copied from dev.vconv.bench.jmh.NetLayer (names as in the suite). Every layer runs with fixed
seeds under torch.no_grad() at each thread count (torch.set_num_threads): a warm-up, then five rounds of at
least --seconds each; seconds_per_op is the median of the rounds' mean times per call, comparable with JMH's
average time.
"""
import argparse
import json
import os
import platform
import statistics
import time

import torch
import torch.nn.functional as F

# name: n, cin, h, w, cout, kh, kw, stride (h, w), pad (top, bottom, left, right), dilation (h, w), groups, bias
LAYERS = [
    ("seed000_5x5_s2p1", 1, 1, 5, 5, 1, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 1, True),
    ("seed004_g2d2s2p1", 2, 2, 5, 5, 4, 3, 3, (2, 2), (1, 1, 1, 1), (2, 2), 2, True),
    ("resnet_conv1_7x7s2", 1, 3, 224, 224, 64, 7, 7, (2, 2), (3, 3, 3, 3), (1, 1), 1, False),
    ("resnet_3x3_64x56", 1, 64, 56, 56, 64, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1, False),
    ("resnet_3x3s2_128x56", 1, 128, 56, 56, 128, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 1, False),
    ("resnet_3x3_256x14", 1, 256, 14, 14, 256, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1, False),
    ("resnet_3x3_512x7", 1, 512, 7, 7, 512, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1, False),
    ("resnet_1x1_256to64x56", 1, 256, 56, 56, 64, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1), 1, False),
    ("resnet_1x1_1024to256x14", 1, 1024, 14, 14, 256, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1), 1, False),
    ("resnet_1x1s2_512to1024x28", 1, 512, 28, 28, 1024, 1, 1, (2, 2), (0, 0, 0, 0), (1, 1), 1, False),
    ("mbv2_dw3x3_144x56", 1, 144, 56, 56, 144, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 144, True),
    ("mbv2_dw3x3s2_96x112", 1, 96, 112, 112, 96, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 96, True),
    ("resnext_g32_3x3_128x56", 1, 128, 56, 56, 128, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 32, False),
    ("deeplab_d2_3x3_256x28", 1, 256, 28, 28, 256, 3, 3, (1, 1), (2, 2, 2, 2), (2, 2), 1, True),
    ("deeplab_d4_3x3_128x32", 1, 128, 32, 32, 128, 3, 3, (1, 1), (4, 4, 4, 4), (4, 4), 1, True),
    ("batch8_3x3_64x56", 8, 64, 56, 56, 64, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1, True),
    ("lenet_5x5_32to64x28", 1, 32, 28, 28, 64, 5, 5, (1, 1), (2, 2, 2, 2), (1, 1), 1, True),
    ("inception_1x7_64x56", 1, 64, 56, 56, 64, 1, 7, (1, 1), (0, 0, 3, 3), (1, 1), 1, True),
]


def make_call(layer):
    name, n, cin, h, w, cout, kh, kw, stride, pad, dilation, groups, bias = layer
    gen = torch.Generator().manual_seed(1)
    x = torch.rand((n, cin, h, w), generator=gen) * 2 - 1
    weight = torch.rand((cout, cin // groups, kh, kw), generator=gen) * 2 - 1
    b = torch.rand((cout,), generator=gen) * 2 - 1 if bias else None
    top, bottom, left, right = pad
    if top == bottom and left == right:
        padding = (top, left)
    else:
        # conv2d takes symmetric padding only; pad explicitly (F.pad orders last dim first).
        x = F.pad(x, (left, right, top, bottom))
        padding = (0, 0)

    def call():
        return F.conv2d(x, weight, b, stride=stride, padding=padding, dilation=dilation, groups=groups)

    return call


def time_call(call, seconds, rounds=5):
    """Mean seconds per call of each round; a round repeats the call for at least `seconds`."""
    # Warm-up: one round's worth, so that allocator and thread pool are in their steady state.
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        call()
    means = []
    for _ in range(rounds):
        calls = 0
        start = time.perf_counter()
        while True:
            call()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        means.append(elapsed / calls)
    return means


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench-results/torch.json")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--seconds", type=float, default=0.5, help="minimum length of one timed round")
    parser.add_argument("--layers", default="", help="comma-separated layer names (default: all)")
    args = parser.parse_args()
    wanted = set(filter(None, args.layers.split(",")))
    results = []
    with torch.no_grad():
        for threads in [int(t) for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            for layer in LAYERS:
                if wanted and layer[0] not in wanted:
                    continue
                means = time_call(make_call(layer), args.seconds)
                per_op = statistics.median(means)
                results.append({"layer": layer[0], "threads": threads, "seconds_per_op": per_op, "rounds": means})
                print(f"torch {layer[0]:28s} threads={threads}  {per_op * 1e3:10.3f} ms/op", flush=True)
    report = {"tool": "torch", "torch_version": torch.__version__, "python": platform.python_version(),
              "machine": platform.machine(), "results": results}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
