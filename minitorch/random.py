"""Random numbers: one seeded generator behind every random op.

``minitorch.manual_seed(0)`` makes ``rand``, ``randn``, ``nn.init``, dropout and
``DataLoader(shuffle=True)`` repeat exactly. A ``Generator`` of your own keeps
a separate stream (pass it as ``generator=``), as in PyTorch.
"""
import numpy as np


class Generator:
    """A seeded stream of random numbers (numpy's PCG64 underneath)."""

    def __init__(self, seed=None):
        self.manual_seed(np.random.SeedSequence().entropy if seed is None else seed)

    def manual_seed(self, seed):
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed expects an integer seed, got {seed!r}.")
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self):
        return self._seed


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator, so that every random op that follows repeats exactly."""
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def rng(generator=None):
    """The numpy Generator to draw from: ``generator``'s, or the default one."""
    return (generator or default_generator).rng
