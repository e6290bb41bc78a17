"""``SummaryWriter.add_audio``: a 16-bit mono WAV in an ``Audio`` summary, as tensorboard's
EventAccumulator reads it from PyTorch's writer where torch and tensorboard are installed; the WAV
read back with Python's wave module without."""
import importlib.util
import io
import wave

import numpy as np
import pytest

import minitorch
from minitorch.utils.tensorboard import SummaryWriter

SOUND = np.sin(np.linspace(0, 60, 400)) * 1.2  # louder than 1: clipped


def _log(lib, writer):
    writer.add_audio("clipped", lib.tensor(SOUND[None]), 1, sample_rate=8000)
    writer.add_audio("quiet", lib.tensor(SOUND * 0.5, dtype=lib.float32), 2)


def _read(log_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(log_dir), size_guidance={"audio": 0})
    accumulator.Reload()
    return {tag: [(e.step, e.encoded_audio_string, e.content_type, e.sample_rate, e.length_frames)
                  for e in accumulator.Audio(tag)] for tag in accumulator.Tags()["audio"]}


def test_tensorboard_reads_what_pytorch_writes(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    if importlib.util.find_spec("tensorboard") is None:
        pytest.skip("needs the tensorboard package: pip install tensorboard")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    with SummaryWriter(tmp_path / "ours") as ours, TorchWriter(str(tmp_path / "theirs")) as theirs:
        _log(minitorch, ours)
        _log(torch, theirs)
    mine = _read(tmp_path / "ours")
    assert sorted(mine) == ["clipped", "quiet"] and mine == _read(tmp_path / "theirs")
    assert capsys.readouterr().out.count("warning: audio amplitude out of range, auto clipped.") == 2


def test_the_wav_reads_back(tmp_path):
    from minitorch.utils.tensorboard import proto, summary

    value = proto.parse(proto.parse(summary.audio("a", np.array([0.0, 0.5, -1.0]), 8000))[1][0])
    audio = proto.parse(value[6][0])
    with wave.open(io.BytesIO(audio[4][0])) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
        assert np.frombuffer(wav.readframes(3), "<i2").tolist() == [0, 16383, -32767]
    assert audio[5][0] == b"audio/wav" and audio[3][0] == 3


def test_more_than_one_channel_is_refused(tmp_path):
    with SummaryWriter(tmp_path) as writer, pytest.raises(ValueError, match="add_audio: snd_tensor must hold one channel"):
        writer.add_audio("stereo", minitorch.zeros(2, 10))
