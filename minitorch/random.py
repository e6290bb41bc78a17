"""Random numbers: one seeded generator behind every random op.

``minitorch.manual_seed(0)`` makes ``rand``, ``randn``, ``nn.init``, dropout and
``DataLoader(shuffle=True)`` repeat exactly. A ``Generator`` of your own keeps
a separate stream (pass it as ``generator=``), as in PyTorch. The numbers are numpy's
(PCG64), so they differ from PyTorch's for the same seed; their distributions do not.
``get_state``/``set_state`` save and restore a stream as a uint8 tensor, as PyTorch does.
"""
import numpy as np

from .device import as_device, check_device

_STATE_FIELDS = (("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4), ("seed", 8))


class Generator:
    """A seeded stream of random numbers (numpy's PCG64 underneath).

    >>> import minitorch
    >>> g = minitorch.Generator().manual_seed(3)
    >>> g.initial_seed(), g.device
    (3, device(type='cpu'))
    """

    def __init__(self, device="cpu", seed=None):
        if isinstance(device, (int, np.integer)) and not isinstance(device, bool) and seed is None:
            device, seed = "cpu", device  # minitorch's older Generator(seed) spelling
        self.device = as_device(check_device(device))
        self.manual_seed(np.random.SeedSequence().entropy % 2**63 if seed is None else seed)

    def manual_seed(self, seed):
        """Restart the stream from ``seed`` (an integer); returns the generator."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed expects an integer seed, got {seed!r}.")
        self._seed = int(seed) % 2**64
        self.rng = np.random.default_rng(self._seed)
        return self

    def seed(self):
        """Reseed from a fresh non-deterministic seed, and return that seed."""
        self.manual_seed(int(np.random.SeedSequence().entropy % 2**63))
        return self._seed

    def initial_seed(self):
        """The seed the stream was last started from."""
        return self._seed

    def get_state(self):
        """The stream's current state, as a 1-D uint8 tensor (give it to ``set_state`` to rewind)."""
        from .tensor import Tensor

        inner = self.rng.bit_generator.state
        values = {**inner["state"], "has_uint32": inner["has_uint32"], "uinteger": inner["uinteger"],
                  "seed": self._seed}
        raw = b"".join(int(values[name]).to_bytes(size, "little") for name, size in _STATE_FIELDS)
        return Tensor._make(np.frombuffer(raw, np.uint8).copy(), False, None)

    def set_state(self, new_state):
        """Restore a state from ``get_state``; returns the generator."""
        raw = bytes(np.asarray(new_state.cpu()._array if hasattr(new_state, "_array") else new_state, np.uint8))
        if len(raw) != sum(size for _, size in _STATE_FIELDS):
            raise RuntimeError(
                f"Generator.set_state: expected the {sum(size for _, size in _STATE_FIELDS)}-byte uint8 "
                f"tensor that get_state() returns, got {len(raw)} bytes."
            )
        values, offset = {}, 0
        for name, size in _STATE_FIELDS:
            values[name] = int.from_bytes(raw[offset : offset + size], "little")
            offset += size
        self.manual_seed(values["seed"])
        self.rng.bit_generator.state = {
            "bit_generator": "PCG64", "state": {"state": values["state"], "inc": values["inc"]},
            "has_uint32": values["has_uint32"], "uinteger": values["uinteger"],
        }
        return self


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator, so that every random op that follows repeats exactly; returns it."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The seed the default generator was last started from."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state, as a uint8 tensor (see ``Generator.get_state``)."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator's state from ``get_rng_state``."""
    default_generator.set_state(new_state)


def rng(generator=None):
    """The numpy Generator to draw from: ``generator``'s, or the default one."""
    return (generator or default_generator).rng
