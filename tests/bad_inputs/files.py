"""Broken files for the checkpoint and file-reader cases, each named after what is wrong with it."""
import gzip
import io
import json
import os
import pickle
import zipfile

import numpy as np

_HEADER = "~minitorch"  # the member that holds a checkpoint's structure


def _idx(sizes, body):
    header = (2051).to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in sizes)
    return header + body


def _npz(path, members, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


def make(folder):
    """Write every broken file into ``folder``; return a dict from kind to path."""
    paths = {"missing": os.path.join(folder, "missing.pt"), "out": os.path.join(folder, "out.pt"),
             "dir": folder}
    rng = np.random.default_rng(0)
    contents = {
        "text.pt": b"this is a text file\n",
        "random.pt": rng.integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        "pickle.pt": pickle.dumps({"a": 1}, protocol=4),
        "pickle0.pt": pickle.dumps({"a": 1}, protocol=0),
        "empty.pt": b"",
        "npy.pt": _npy(np.ones(3)),
        "idx_magic": (2049).to_bytes(4, "big") + bytes(12),
        "idx_truncated": _idx((10, 28, 28), bytes(100)),
        "idx_overflow": _idx((2 ** 32 - 1, 2 ** 32 - 1, 2 ** 32 - 1), bytes(64)),
        "idx_notgz.gz": b"not gzip at all",
        "idx_empty": b"",
        "idx_long": _idx((1, 2, 2), bytes(8)),
        "idx_gzbomb.gz": gzip.compress(_idx((1, 28, 28), bytes(784 + 50_000_000)), compresslevel=9),
    }
    for name, data in contents.items():
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data)
        paths[name.split(".")[0]] = path
    paths["foreign"] = os.path.join(folder, "foreign.npz")
    np.savez(paths["foreign"], a=np.ones(2))
    paths["truncated"] = os.path.join(folder, "truncated.pt")
    good = io.BytesIO()
    np.savez(good, **{_HEADER: np.array(json.dumps({"format": "minitorch.save", "version": 1}))}, a=np.ones(1000))
    with open(paths["truncated"], "wb") as f:
        f.write(good.getvalue()[: len(good.getvalue()) // 2])
    paths["badjson"] = os.path.join(folder, "badjson.pt")
    with open(paths["badjson"], "wb") as f:
        np.savez(f, **{_HEADER: np.array("{not json")})
    paths["bomb"] = os.path.join(folder, "bomb.pt")
    big = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.uint8))
    big["shape"] = (50_000_000,)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, big)
    tree = {"format": "minitorch.save", "version": 1, "tree": {"kind": "tensor", "array": "a"}}
    _npz(paths["bomb"], {_HEADER + ".npy": _npy(np.array(json.dumps(tree))),
                         "a.npy": header.getvalue() + bytes(50_000_000)})
    return paths
