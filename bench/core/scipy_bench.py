# Side-by-side reference timings with scipy for the same inputs (run by run.ts; prints JSON).
import json, sys, time
import numpy as np
from scipy import ndimage

d = sys.argv[1]
map2d = np.fromfile(f"{d}/map2d.u8", dtype=np.uint8).reshape(256, 256)
vol = np.fromfile(f"{d}/vol.u8", dtype=np.uint8).reshape(112, 112, 80)
pred = np.fromfile(f"{d}/pred.u8", dtype=np.uint8).reshape(112, 112, 80).astype(bool)
gt = np.fromfile(f"{d}/gt.u8", dtype=np.uint8).reshape(112, 112, 80).astype(bool)

def med(fn, iters=20, warm=3):
    for _ in range(warm): fn()
    t = []
    for _ in range(iters):
        t0 = time.perf_counter(); fn(); t.append((time.perf_counter() - t0) * 1000)
    t.sort(); return t[len(t) // 2]

s2 = np.ones((3, 3)); s3 = np.ones((3, 3, 3))
def cc2d():
    for c in (1, 2, 3): ndimage.label(map2d == c, structure=s2)
def lcc(b, s):
    lab, n = ndimage.label(b, structure=s)
    if n == 0: return b
    return lab == (np.argmax(np.bincount(lab.flat)[1:]) + 1)
def lcc2d():
    out = np.zeros_like(map2d)
    for c in (1, 2, 3): out[lcc(map2d == c, s2)] = c
def cc3d(): ndimage.label(vol, structure=s3)
def lcc3d(): lcc(vol, s3)

def surface_dist(a, b):
    fp = ndimage.generate_binary_structure(a.ndim, 1)
    sa = a ^ ndimage.binary_erosion(a, structure=fp, iterations=1)
    sb = b ^ ndimage.binary_erosion(b, structure=fp, iterations=1)
    dt = ndimage.distance_transform_edt(~sb)
    return dt[sa]
def hd95(): np.percentile(np.hstack((surface_dist(pred, gt), surface_dist(gt, pred))), 95)
def asd(): surface_dist(pred, gt).mean()

res = {
    "cc2d": med(cc2d), "lcc2d": med(lcc2d), "cc3d": med(cc3d, 10), "lcc3d": med(lcc3d, 10),
    "hd95": med(hd95, 5, 1), "asd": med(asd, 5, 1),
    "values": {"hd95": float(np.percentile(np.hstack((surface_dist(pred, gt), surface_dist(gt, pred))), 95)),
               "asd": float(surface_dist(pred, gt).mean())},
    "scipy": __import__("scipy").__version__, "numpy": np.__version__,
}
print(json.dumps(res))
