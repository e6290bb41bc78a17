"""Hidden test of lab 2's milestone (task 2.12): the spiral MLP trained by ``tensor_mlp.train``."""
import numpy as np
import pytest

import minitorch
from minitorch.examples import tensor_mlp


@pytest.mark.task(id="2.12")
def test_spiral_mlp_classifies_fresh_points():
    params, losses = tensor_mlp.train(seed=1)
    points, classes = tensor_mlp.spiral(np.random.default_rng(7), 100)
    predicted = tensor_mlp.predict(params, minitorch.tensor(points, dtype=minitorch.float64)).numpy()
    assert losses[-1] < 0.3 and np.mean(predicted == classes) >= 0.95
