"""pydicom side of bench/core/dicom-seg.ts: reads a SEG bcpseg wrote and times pydicom doing the same write —
pack_bits of the frames' masks and dcmwrite of the whole data set — as median ms of N runs. Prints JSON."""
import io
import json
import sys
import time

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.numpy_handler import pack_bits


def median_ms(fn, iters):
    fn()
    t = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        t.append((time.perf_counter() - t0) * 1000)
    return sorted(t)[len(t) // 2]


seg = pydicom.dcmread(sys.argv[1])
iters = int(sys.argv[2])
frames = seg.pixel_array.reshape(int(seg.NumberOfFrames), seg.Rows, seg.Columns).astype(np.uint8)


def write():
    seg.PixelData = pack_bits(frames)
    out = io.BytesIO()
    pydicom.dcmwrite(out, seg, write_like_original=False)
    return out.getbuffer().nbytes


pack = median_ms(lambda: pack_bits(frames), iters)
total = median_ms(write, iters)
print(json.dumps({"packMs": pack, "writeMs": total, "bytes": write(), "pydicom": pydicom.__version__}))
