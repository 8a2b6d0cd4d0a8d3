#!/usr/bin/python3
"""Records torchvision's answer for vconv's Models networks, for core's TorchvisionTest.

Run from the project's top folder with Debian's interpreter and its packages (apt-get install -y python3-torchvision),
after `./mvnw -B -ntp -q test-compile -pl core`:

    for m in resnet50 mobilenet_v2; do
      java -cp core/target/classes:core/target/test-classes dev.vconv.core.net.TorchvisionExport $m /tmp/tv-$m
      /usr/bin/python3 core/src/test/scripts/torchvision_networks.py /tmp/tv-$m \
          core/src/test/resources/dev/vconv/core/net/torchvision-$m.txt
    done

It builds torchvision.models.<model>() (no pretrained weights), loads the exported parameters into it by module
name (each Conv2d's BatchNorm is the BatchNorm2d that follows it in module order), puts it in eval mode and
writes: the parameter count, the output shape of every Conv2d and Linear for a 1x3x224x224 input, and the logits
for the exported input (float32, the CPU's default kernels).
"""
import sys

import numpy as np
import torch
import torchvision


def main(export_dir, out_path):
    lines = open(f"{export_dir}/index.txt").read().split("\n")
    model_name, model_seed = lines[0].split()[1:3]
    model = getattr(torchvision.models, model_name)()
    model.eval()
    modules = list(model.named_modules())
    by_name = dict(modules)
    params = np.fromfile(f"{export_dir}/params.bin", dtype="<f4")
    at = 0

    def take(tensor):
        nonlocal at
        n = tensor.numel()
        tensor.copy_(torch.from_numpy(params[at:at + n].copy()).reshape(tensor.shape))
        at += n

    input_line = None
    with torch.no_grad():
        for i, line in enumerate(lines[1:]):
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "conv":
                conv = by_name[parts[1]]
                assert isinstance(conv, torch.nn.Conv2d), parts[1]
                take(conv.weight)
                if parts[3] == "true":
                    take(conv.bias)
                if parts[2] == "true":
                    names = [n for n, _ in modules]
                    after = names.index(parts[1])
                    bn = next(m for _, m in modules[after + 1:] if isinstance(m, torch.nn.BatchNorm2d))
                    take(bn.weight)
                    take(bn.bias)
                    take(bn.running_mean)
                    take(bn.running_var)
            elif parts[0] == "eps":
                assert abs(float(parts[1]) - bn.eps) < 1e-12, (parts, bn.eps)
            elif parts[0] == "linear":
                linear = by_name[parts[1]]
                assert isinstance(linear, torch.nn.Linear), parts[1]
                take(linear.weight)
                take(linear.bias)
            elif parts[0] == "input":
                input_line = parts
        assert at == params.size, (at, params.size)
        input_seed = input_line[1]
        dims = [int(d) for d in input_line[2:]]
        x = torch.from_numpy(np.fromfile(f"{export_dir}/input.bin", dtype="<f4")).reshape(dims)
        logits = model(x)

        shapes = []
        hooks = [m.register_forward_hook(lambda m, i, o, name=name: shapes.append((name, tuple(o.shape))))
                 for name, m in modules if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
        model(torch.zeros(1, 3, 224, 224))
        for h in hooks:
            h.remove()

    with open(out_path, "w") as out:
        out.write(f"# torchvision {torchvision.__version__} ({model_name}), torch {torch.__version__}: written by "
                  f"core/src/test/scripts/torchvision_networks.py\n")
        out.write(f"model {model_name} {model_seed}\n")
        out.write(f"params {sum(p.numel() for p in model.parameters())}\n")
        for name, shape in shapes:
            out.write(f"shape {name} {' '.join(str(d) for d in shape)}\n")
        out.write(f"input {input_seed} {' '.join(str(d) for d in dims)}\n")
        out.write("logits " + " ".join(f"{v:.9g}" for v in logits.flatten().tolist()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
