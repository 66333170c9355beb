"""PyTorch's side of grad4j's benchmarks/run (issue 17): the workload named on the command line, trained the
way PyTorch users write it (nn.Module, torch.optim, a loop over contiguous batches of a per-epoch shuffled
copy), timed with the Java side's protocol: warm-up blocks, then measured blocks of the same steps.
Prints one line, "BLOCKS s1 s2 ...", each the seconds per step of one measured block; with --serve, runs one
block per "BLOCK" line read and answers each with "SECONDS s" (benchmarks/run interleaves it with the Java sides)."""
import argparse
import gzip
import os
import sys
import time

import torch
from torch import nn


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--id", required=True)
    p.add_argument("--samples", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--warmup", type=int, required=True)
    p.add_argument("--rounds", type=int, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--fashion", default=None, help="folder of Fashion-MNIST's IDX files, for W6 and W7")
    p.add_argument("--serve", action="store_true", help="run a block per BLOCK line on stdin instead of warmup + rounds")
    return p.parse_args()


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def fashion(folder, samples):
    def find(name):
        for candidate in (name + ".gz", name):
            if os.path.exists(os.path.join(folder, candidate)):
                return os.path.join(folder, candidate)
        raise SystemExit("torch_peer: no %s in %s" % (name, folder))
    x = idx(find("train-images-idx3-ubyte"))[:samples].reshape(-1, 784).float() / 255
    y = idx(find("train-labels-idx1-ubyte"))[:samples].long()
    return x.contiguous(), y


def workload(a, g):
    """Model, loss, optimizer, data and how a step draws its batch, as Workloads.java builds them."""
    if a.id in ("W1", "W2"):
        classify = a.id == "W2"
        if classify:
            x = torch.cat([torch.randn(50, 1, generator=g) - 1, torch.randn(50, 1, generator=g) + 3])
            y = torch.cat([torch.zeros(50, 1), torch.ones(50, 1)])
            model = nn.Linear(1, 1)
            criterion = nn.BCELoss()
            forward = lambda xb: torch.sigmoid(model(xb))
        else:
            x = 1 + 0.1 * torch.randn(100, 1, generator=g)
            y = torch.full((100, 1), 10.0)
            model = nn.Linear(1, 1, bias=False)
            criterion = nn.MSELoss()
            forward = model
        return model, forward, criterion, torch.optim.SGD(model.parameters(), lr=0.05 if classify else 0.02), x, y, "random"
    if a.id == "W3":
        x = -5 + 10 * torch.rand(a.samples, 1, generator=g)
        y = 2 * x - 1 + 0.5 * torch.randn(a.samples, 1, generator=g)
        model = nn.Linear(1, 1)
        return model, model, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.01), x, y, "epochs"
    if a.id == "W7":
        # the Keras convnet example in PyTorch's words: NCHW, logits into CrossEntropyLoss (log-softmax inside)
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(5 * 5 * 64, 10))
        if a.fashion:
            x, y = fashion(a.fashion, a.samples)
        else:
            x = torch.rand(a.samples, 784, generator=g)
            y = torch.randint(0, 10, (a.samples,), generator=g)
        x = x.reshape(-1, 1, 28, 28).contiguous()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        return model, model, nn.CrossEntropyLoss(), optimizer, x, y, "epochs"
    widths = {"W4": [784, 256, 256, 10], "W5": [1024, 2048, 2048, 10], "W6": [784, 128, 10]}[a.id]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    if a.id == "W6" and a.fashion:
        x, y = fashion(a.fashion, a.samples)
    else:
        x = torch.rand(a.samples, widths[0], generator=g)
        y = torch.randint(0, widths[-1], (a.samples,), generator=g)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    return model, model, nn.CrossEntropyLoss(), optimizer, x, y, "epochs"


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(17)
    model, forward, criterion, optimizer, x, y, order = workload(a, g)
    n = x.shape[0]
    state = {"xs": x, "ys": y, "next": n}

    def batch():
        if order == "random":
            i = int(torch.randint(0, n, (1,), generator=g))
            return x[i:i + 1], y[i:i + 1]
        if state["next"] >= n:
            perm = torch.randperm(n, generator=g)
            state["xs"], state["ys"], state["next"] = x[perm], y[perm], 0
        start = state["next"]
        state["next"] = start + a.batch
        return state["xs"][start:start + a.batch], state["ys"][start:start + a.batch]

    def block():
        for _ in range(a.steps):
            xb, yb = batch()
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(forward(xb), yb)
            loss.backward()
            optimizer.step()

    if a.serve:
        # one block per "BLOCK" line, between the Java sides' blocks, so that the machine's load of the moment hits
        # every side alike; the time is the script's own clock around the block, per step
        print("READY", flush=True)
        for line in sys.stdin:
            if line.strip() != "BLOCK":
                break
            t0 = time.perf_counter()
            block()
            print("SECONDS %.9g" % ((time.perf_counter() - t0) / a.steps), flush=True)
        return

    for _ in range(a.warmup):
        block()
    seconds = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        block()
        seconds.append((time.perf_counter() - t0) / a.steps)
    print("BLOCKS " + " ".join("%.9g" % s for s in seconds))


if __name__ == "__main__":
    main()
