"""PyTorch reference for bench/step-time.ts: the official ACDC UNet_2d (16-32-64-128-256, BN, LeakyReLU 0.01,
dropout [0.05, 0.1, 0.2, 0.3, 0.5], bilinear align_corners up-sampling), CE loss, SGD momentum 0.9 wd 1e-4.

Line protocol on stdin/stdout so that the TypeScript driver can interleave it with the tfjs backends:
  in:  {"cmd": "init", "size": 128, "batch": 4, "classes": 4}   out: {"ok": true, "threads": 1, "torch": "1.13.0"}
  in:  {"cmd": "step", "n": 3}                                  out: {"ms": [..3 SGD step wall times..], "cpu": [..CPU times..]}
  in:  {"cmd": "forward", "n": 3}                               out: {"ms": [..], "cpu": [..]} (no_grad, train mode)
  in:  {"cmd": "quit"}
Run: /usr/bin/python3 bench/step_time_torch.py [--threads N]
"""

import argparse
import json
import sys
import time

import torch
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, p):
        super().__init__()
        self.conv_conv = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1),
            nn.BatchNorm2d(cout),
            nn.LeakyReLU(),
            nn.Dropout(p),
            nn.Conv2d(cout, cout, 3, padding=1),
            nn.BatchNorm2d(cout),
            nn.LeakyReLU(),
        )

    def forward(self, x):
        return self.conv_conv(x)


class UpBlock(nn.Module):
    def __init__(self, c1, c2, cout):
        super().__init__()
        self.conv1x1 = nn.Conv2d(c1, c2, 1)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv = ConvBlock(2 * c2, cout, 0.0)

    def forward(self, x1, x2):
        x1 = self.up(self.conv1x1(x1))
        return self.conv(torch.cat([x2, x1], dim=1))


class UNet2d(nn.Module):
    def __init__(self, cin=1, classes=4, ch=(16, 32, 64, 128, 256), drop=(0.05, 0.1, 0.2, 0.3, 0.5)):
        super().__init__()
        self.enc = nn.ModuleList([ConvBlock(cin, ch[0], drop[0])])
        for k in range(1, 5):
            self.enc.append(nn.Sequential(nn.MaxPool2d(2), ConvBlock(ch[k - 1], ch[k], drop[k])))
        self.dec = nn.ModuleList([UpBlock(ch[5 - k], ch[4 - k], ch[4 - k]) for k in range(1, 5)])
        self.out_conv = nn.Conv2d(ch[0], classes, 3, padding=1)

    def forward(self, x):
        feats = []
        for m in self.enc:
            x = m(x)
            feats.append(x)
        y = feats[4]
        for k, up in enumerate(self.dec, start=1):
            y = up(y, feats[4 - k])
        return self.out_conv(y)


class Stages3d(nn.Module):
    def __init__(self, n, cin, cout):
        super().__init__()
        layers = []
        for i in range(n):
            layers += [nn.Conv3d(cin if i == 0 else cout, cout, 3, padding=1), nn.BatchNorm3d(cout), nn.ReLU(inplace=True)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return self.conv(x)


def resample(cin, cout, up):
    conv = nn.ConvTranspose3d(cin, cout, 2, stride=2) if up else nn.Conv3d(cin, cout, 2, stride=2)
    return nn.Sequential(conv, nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


class VNet(nn.Module):
    """The official LA VNet(n_channels=1, n_classes=2, normalization='batchnorm', has_dropout=True)."""

    def __init__(self, classes=2, ch=(16, 32, 64, 128, 256)):
        super().__init__()
        enc_n, dec_n = (1, 2, 3, 3, 3), (3, 3, 2, 1)
        self.enc = nn.ModuleList([Stages3d(enc_n[k], 1 if k == 0 else ch[k], ch[k]) for k in range(5)])
        self.dw = nn.ModuleList([resample(ch[k], ch[k + 1], False) for k in range(4)])
        self.up = nn.ModuleList([resample(ch[4 - k], ch[3 - k], True) for k in range(4)])
        self.dec = nn.ModuleList([Stages3d(dec_n[k], ch[3 - k], ch[3 - k]) for k in range(4)])
        self.out_conv = nn.Conv3d(ch[0], classes, 1)
        self.dropout = nn.Dropout3d(p=0.5)

    def forward(self, x):
        feats = []
        for k in range(5):
            x = self.enc[k](x if k == 0 else self.dw[k - 1](feats[-1]))
            feats.append(x)
        y = self.dropout(feats[4])
        for k in range(4):
            y = self.dec[k](self.up[k](y) + feats[3 - k])
        return self.out_conv(self.dropout(y))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0 = torch's default)")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    state = {}
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "quit":
            break
        if cmd == "init":
            n, s, c = msg.get("batch", 4), msg["size"], msg.get("classes", 4)
            shape = list(s) if isinstance(s, list) else [s, s]
            model = (VNet(classes=c) if len(shape) == 3 else UNet2d(classes=c)).train()
            state = {
                "model": model,
                "opt": torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4),
                "x": torch.randn(n, 1, *shape),
                "y": torch.randint(0, c, (n, *shape)),
                "loss": nn.CrossEntropyLoss(),
            }
            reply = {"ok": True, "threads": torch.get_num_threads(), "torch": torch.__version__}
        elif cmd in ("step", "forward"):
            m, x = state["model"], state["x"]
            times, cpu = [], []
            for _ in range(msg.get("n", 1)):
                t0, c0 = time.perf_counter(), time.process_time()
                if cmd == "step":
                    state["opt"].zero_grad(set_to_none=True)
                    loss = state["loss"](m(x), state["y"])
                    loss.backward()
                    state["opt"].step()
                    loss.item()
                else:
                    with torch.no_grad():
                        m(x).sum().item()
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            reply = {"ms": times, "cpu": cpu}
        else:
            reply = {"error": f"unknown cmd {cmd}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
