"""No host syncs in a training step on "cuda": value checks are deferred to the next host read.

Runs on the fake cupy of ``fake_cupy.py`` (the ``fake_gpu`` fixture of test_cupy_compat.py), which
counts every device-to-host copy in ``fake_cupy.host_syncs``.
"""
import importlib.util
from pathlib import Path

import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch import device_checks

_spec = importlib.util.spec_from_file_location("cupy_compat", Path(__file__).with_name("test_cupy_compat.py"))
_compat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_compat)
fake_cupy, fake_gpu = _compat.fake_cupy, _compat.fake_gpu  # fake_gpu: the autouse fixture, here too


def _syncs_of(step, times=2):
    """How many host reads ``times`` calls of ``step`` make (after one warm-up call)."""
    step()
    before = fake_cupy.host_syncs
    for _ in range(times):
        step()
    return fake_cupy.host_syncs - before


def test_a_language_model_step_does_not_read_the_device():
    minitorch.manual_seed(0)
    embed = nn.Embedding(11, 8).to("cuda")
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), 1).to("cuda")
    head = nn.Linear(8, 11).to("cuda")
    params = [*embed.parameters(), *encoder.parameters(), *head.parameters()]
    opt = minitorch.optim.AdamW(params, lr=0.01)
    tokens = minitorch.randint(0, 11, (2, 5), device="cuda")
    mask = nn.Transformer.generate_square_subsequent_mask(5, device="cuda")

    def step():
        opt.zero_grad()
        logits = head(encoder(embed(tokens), mask=mask))
        loss = F.cross_entropy(logits.reshape(-1, 11), tokens.reshape(-1))
        loss = loss + F.binary_cross_entropy(logits.sigmoid(), (tokens > 5).float().unsqueeze(-1).expand(2, 5, 11))
        loss.backward()
        nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()

    assert _syncs_of(step) == 0
    assert not device_checks._pending or device_checks.flush() is None  # every queued check passes


def test_a_failed_check_is_raised_at_the_next_host_read_with_its_message():
    logits = minitorch.randn(3, 4, device="cuda")
    loss = F.cross_entropy(logits, minitorch.tensor([0, 9, 1], device="cuda"))  # no error yet: no host read
    with pytest.raises(IndexError, match=r"target value 9 is out of range for 4 classes.*Detected asynchronously"):
        minitorch.cuda.synchronize()
    loss.item()  # reported once: the queue is empty again
    bad = F.embedding(minitorch.tensor([2, -1], device="cuda"), minitorch.randn(3, 2, device="cuda"))
    with pytest.raises(IndexError, match="index -1 is out of range for 3 embeddings"):
        bad.cpu()


def test_the_queue_stays_bounded(monkeypatch):
    monkeypatch.setattr(device_checks, "MAX_PENDING", 3)
    target = minitorch.tensor([0, 1], device="cuda")
    for _ in range(5):
        F.cross_entropy(minitorch.randn(2, 3, device="cuda"), target)
        assert len(device_checks._pending) <= 3
    device_checks.flush()


def test_checks_on_the_cpu_stay_immediate():
    with pytest.raises(IndexError, match="target value 9 is out of range for 4 classes") as error:
        F.cross_entropy(minitorch.randn(3, 4), minitorch.tensor([0, 9, 1]))
    assert "asynchronously" not in str(error.value)
    assert not device_checks._pending
