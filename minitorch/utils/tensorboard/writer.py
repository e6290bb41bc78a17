"""``SummaryWriter``: PyTorch's ``torch.utils.tensorboard.SummaryWriter``, writing TensorBoard event
files by hand (``record.py`` frames them, ``proto.py`` encodes them), with no tensorboard or
protobuf package needed.

    >>> import tempfile
    >>> with SummaryWriter(tempfile.mkdtemp()) as writer:
    ...     writer.add_scalar("loss", 0.25, global_step=1)
"""
import datetime
import numbers
import os
import socket
import time

import numpy as np

from ... import checks
from . import embedding, graph, mesh, proto, summary
from .record import EventFile


def _array(op, name, value):
    """``value`` (a minitorch Tensor, a numpy array, a number or a list of them) as a numpy array."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise TypeError(f"SummaryWriter.{op}: {name} must be a tensor, an array or a number, "
                        f"got {type(value).__name__}.")
    return array


def _number(op, name, value):
    """``value`` holding one number, as a float; more elements are a ValueError."""
    array = _array(op, name, value)
    if array.size != 1:
        raise ValueError(f"SummaryWriter.{op}: {name} must hold exactly one number, got shape "
                         f"{tuple(array.shape)}; log a reduction such as .mean() or .item().")
    return float(array.reshape(()))


def _tag(op, name, value):
    """``value`` as a tag: a str, else a TypeError."""
    if not isinstance(value, str):
        raise TypeError(f"SummaryWriter.{op}: {name} must be a str, got {type(value).__name__}.")
    return value


def _step(op, value):
    """``global_step``: None or an integer (a one-element integer tensor counts)."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral):
        return checks.integer(f"SummaryWriter.{op}", "global_step", value)
    array = _array(op, "global_step", value)
    if array.size != 1 or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"SummaryWriter.{op}: global_step must be an integer, got {value!r}.")
    return int(array.reshape(()))


def _hwc(op, pixels, dataformats):
    """An image array in ``dataformats`` (NCHW, NHWC, CHW, HWC, HW, ...) as HWC uint8 with 3 or 4
    channels: batches tiled 8 to a row, one channel repeated to three, floats scaled by 255 and
    clipped to [0, 255], as PyTorch does."""
    layout = checks.choice(f"SummaryWriter.{op}", "dataformats", dataformats.upper() if isinstance(dataformats, str) else dataformats,
                           [a + b for a in ("N", "") for b in ("CHW", "HWC", "CWH", "WHC", "HW", "WH")])
    if pixels.ndim != len(layout):
        raise ValueError(f"SummaryWriter.{op}: the image has {pixels.ndim} dimensions, shape "
                         f"{tuple(pixels.shape)}, but dataformats={dataformats!r} names {len(layout)}.")
    scale = 1 if pixels.dtype == np.uint8 else 255
    pixels = (pixels.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    if "C" not in layout:
        pixels, layout = pixels[..., None], layout + "C"
    order = [layout.index(axis) for axis in ("NHWC" if "N" in layout else "HWC")]
    pixels = pixels.transpose(order)
    if pixels.shape[-1] not in (1, 3, 4):
        raise ValueError(f"SummaryWriter.{op}: an image needs 1, 3 or 4 channels, got {pixels.shape[-1]} "
                         f"(shape {tuple(pixels.shape)} read as {dataformats!r}).")
    if pixels.shape[-1] == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    return _grid(pixels) if pixels.ndim == 4 else pixels


def _grid(images, columns=8):
    """NHWC images tiled into one HWC image, ``columns`` to a row, black where the last row ends."""
    count, height, width, channels = images.shape
    columns = min(columns, count)
    rows = -(-count // columns)
    canvas = np.zeros((rows * columns, height, width, channels), np.uint8)
    canvas[:count] = images
    return canvas.reshape(rows, columns, height, width, channels).transpose(0, 2, 1, 3, 4).reshape(
        rows * height, columns * width, channels)


def _hparam(name, value):
    """One hyperparameter: None, a str, a bool or a number as it is; a tensor as its one number."""
    if value is None or isinstance(value, (numbers.Real, str, np.bool_)):
        return value
    if hasattr(value, "detach"):
        return _number("add_hparams", name, value)
    raise ValueError(f"SummaryWriter.add_hparams: hparam {name!r} must be an int, float, str, bool "
                     f"or tensor, got {type(value).__name__}.")


class SummaryWriter:
    """Writes scalars, histograms, images, figures, videos, audio, text, tensors, meshes, PR curves,
    model graphs, embeddings and hyperparameters to TensorBoard event files in ``log_dir``
    (default ``runs/<Mon>DD_HH-MM-SS_<host><comment>``), as PyTorch's does.

    ``purge_step``: TensorBoard hides the events of an earlier run at or after this step (for a
    resumed run). ``max_queue``/``flush_secs``: events are written to disk once ``max_queue`` are
    pending or ``flush_secs`` have passed (checked at each add, not by a background thread), and on
    ``flush``, ``close`` and exit. ``filename_suffix`` ends the event file's name.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120,
                 filename_suffix=""):
        if not log_dir:
            stamp = datetime.datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")
        self.log_dir = os.fspath(log_dir)
        self.purge_step = None if purge_step is None else checks.integer("SummaryWriter", "purge_step", purge_step)
        self.max_queue = checks.integer("SummaryWriter", "max_queue", max_queue, minimum=1)
        self.flush_secs = checks.real("SummaryWriter", "flush_secs", flush_secs, minimum=0)
        self.filename_suffix = _tag("__init__", "filename_suffix", filename_suffix)
        self._files = {}
        file = self._file()
        if self.purge_step is not None:
            now = time.time()
            file.write(proto.event(now, step=self.purge_step, file_version="brain.Event:2"))
            file.write(proto.event(now, step=self.purge_step, session_log=proto.message((1, "varint", 1))))

    def _file(self, log_dir=None):
        """The event file of ``log_dir`` (default: this writer's), opened on first use and after ``close``."""
        log_dir = self.log_dir if log_dir is None else log_dir
        if log_dir not in self._files:
            self._files[log_dir] = EventFile(log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
        return self._files[log_dir]

    def _write(self, op, summary_bytes, global_step, walltime, log_dir=None):
        """One ``Event`` holding ``summary_bytes`` at ``global_step`` and ``walltime`` (default: now)."""
        step = _step(op, global_step)
        wall = time.time() if walltime is None else checks.real(f"SummaryWriter.{op}", "walltime", walltime)
        self._file(log_dir).write(proto.event(wall, step=step, summary=summary_bytes))

    def get_logdir(self):
        """The directory this writer writes to."""
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """Log one number under ``tag``: ``simple_value`` or, with ``new_style``, a float tensor
        (a double one with ``double_precision``)."""
        value = _number("add_scalar", "scalar_value", scalar_value)
        self._write("add_scalar", summary.scalar(_tag("add_scalar", "tag", tag), value,
                                                 new_style=checks.boolean("SummaryWriter.add_scalar", "new_style", new_style),
                                                 double_precision=bool(double_precision)),
                    global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers as one chart: each key of ``tag_scalar_dict`` gets its own run, in
        ``<log_dir>/<main_tag>_<key>`` (``/`` in ``main_tag`` becomes ``_``), under tag ``main_tag``."""
        main_tag = _tag("add_scalars", "main_tag", main_tag)
        if not isinstance(tag_scalar_dict, dict):
            raise TypeError(f"SummaryWriter.add_scalars: tag_scalar_dict must be a dict, "
                            f"got {type(tag_scalar_dict).__name__}.")
        for key, value in tag_scalar_dict.items():
            run = os.path.join(self.log_dir, f"{main_tag.replace('/', '_')}_{key}")
            self._write("add_scalars", summary.scalar(main_tag, _number("add_scalars", key, value)),
                        global_step, walltime, log_dir=run)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None, max_bins=None):
        """Log the distribution of ``values``: ``bins`` as ``np.histogram`` takes it (a count, edges
        or a rule such as ``"auto"``) or ``"tensorflow"`` (exponential buckets, the default);
        ``max_bins`` merges neighbouring buckets down to at most that many."""
        array = _array("add_histogram", "values", values).astype(np.float64).reshape(-1)
        if array.size == 0:
            raise ValueError("SummaryWriter.add_histogram: values is empty; a histogram needs at least one value.")
        if max_bins is not None:
            max_bins = checks.integer("SummaryWriter.add_histogram", "max_bins", max_bins, minimum=1)
        self._write("add_histogram", summary.histogram(_tag("add_histogram", "tag", tag), array, bins, max_bins),
                    global_step, walltime)

    def add_histogram_raw(self, tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts,
                          global_step=None, walltime=None):
        """Log a histogram already computed: its min, max, count, sum, sum of squares, the right
        edges of its buckets and their counts (the same length)."""
        if len(bucket_limits) != len(bucket_counts):
            raise ValueError(f"SummaryWriter.add_histogram_raw: bucket_limits ({len(bucket_limits)}) and "
                             f"bucket_counts ({len(bucket_counts)}) must have the same length.")
        self._write("add_histogram_raw", summary.histogram_raw(
            _tag("add_histogram_raw", "tag", tag), min, max, num, sum, sum_squares,
            _array("add_histogram_raw", "bucket_limits", bucket_limits).reshape(-1),
            _array("add_histogram_raw", "bucket_counts", bucket_counts).reshape(-1)), global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Log one image as PNG: ``img_tensor`` in ``dataformats`` (CHW, HWC, HW, ...), uint8 in
        [0, 255] or floats in [0, 1]; one channel is shown as grey, 3 as RGB, 4 as RGBA."""
        pixels = _hwc("add_image", _array("add_image", "img_tensor", img_tensor), dataformats)
        self._write("add_image", summary.image(_tag("add_image", "tag", tag), pixels), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Log a batch of images (``dataformats`` NCHW, NHWC, ...) tiled 8 to a row into one PNG."""
        pixels = _hwc("add_images", _array("add_images", "img_tensor", img_tensor), dataformats)
        self._write("add_images", summary.image(_tag("add_images", "tag", tag), pixels), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Log a matplotlib figure (or a list of them, tiled as ``add_images`` tiles) as an RGB PNG,
        drawn with matplotlib's Agg renderer; ``close`` closes the figures afterwards."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figures = figure if isinstance(figure, (list, tuple)) else [figure]
        pictures = []
        for fig in figures:
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            pictures.append(np.asarray(canvas.buffer_rgba())[..., :3].copy())
            if close:
                import matplotlib.pyplot as plt

                plt.close(fig)
        if isinstance(figure, (list, tuple)):
            self.add_images(tag, np.stack(pictures), global_step, walltime, dataformats="NHWC")
        else:
            self.add_image(tag, pictures[0], global_step, walltime, dataformats="HWC")

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Log a string (Markdown) for TensorBoard's text tab, under ``<tag>/text_summary``."""
        text = _tag("add_text", "text_string", text_string)
        self._write("add_text", summary.text(_tag("add_text", "tag", tag), text), global_step, walltime)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None,
                    global_step=None):
        """Log one run's hyperparameters (int, float, str, bool or one-element tensors; None ones are
        left out) and its metrics for TensorBoard's HPARAMS tab, in the run ``<log_dir>/<run_name>``
        (default: the time). ``hparam_domain_discrete``: name -> the list of values it may take."""
        for name, value in (("hparam_dict", hparam_dict), ("metric_dict", metric_dict),
                            ("hparam_domain_discrete", hparam_domain_discrete or {})):
            if not isinstance(value, dict):
                raise TypeError(f"SummaryWriter.add_hparams: {name} must be a dict, got {type(value).__name__}.")
        values = {name: _hparam(name, value) for name, value in hparam_dict.items()}
        domains = hparam_domain_discrete or {}
        for name, choices in domains.items():
            if name not in values or not isinstance(choices, list) or not all(
                    isinstance(choice, type(values[name])) for choice in choices):
                raise TypeError(f"SummaryWriter.add_hparams: hparam_domain_discrete[{name!r}] must be a list "
                                f"of values of the type of hparam_dict[{name!r}], got {choices!r}.")
        run = os.path.join(self.log_dir, run_name or str(time.time()))
        for part in summary.hparams(values, metric_dict, domains):
            self._write("add_hparams", part, global_step, None, log_dir=run)
        for tag, value in metric_dict.items():
            self._write("add_hparams", summary.scalar(tag, _number("add_hparams", tag, value)),
                        global_step, None, log_dir=run)

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default",
                      metadata_header=None):
        """Save points for TensorBoard's projector: ``mat`` (one point a row), with optional
        ``metadata`` (a label per point, or rows of columns named by ``metadata_header``) and
        ``label_img`` (an NCHW image per point), under ``<log_dir>/<global_step>/<tag>/``."""
        op = "add_embedding"
        points = _array(op, "mat", mat)
        if points.ndim != 2:
            raise ValueError(f"SummaryWriter.{op}: mat must be 2-D (one point a row), got shape {tuple(points.shape)}.")
        if metadata is not None and len(metadata) != len(points):
            raise ValueError(f"SummaryWriter.{op}: {len(metadata)} labels in metadata for {len(points)} points.")
        if metadata_header and metadata is not None and len(metadata_header) != len(metadata[0]):
            raise ValueError(f"SummaryWriter.{op}: metadata_header has {len(metadata_header)} names for "
                             f"{len(metadata[0])} columns of metadata.")
        images = None if label_img is None else _array(op, "label_img", label_img)
        if images is not None and (images.ndim != 4 or images.shape[0] != len(points) or images.shape[1] not in (1, 3)):
            raise ValueError(f"SummaryWriter.{op}: label_img must be N x C x H x W with N = {len(points)} points "
                             f"and 1 or 3 channels, got shape {tuple(images.shape)}.")
        step = _step(op, global_step) or 0
        entries = self.__dict__.setdefault("_embeddings", [])
        entries.append(embedding.save(self.log_dir, points, metadata, images, step, _tag(op, "tag", tag),
                                      metadata_header))
        embedding.save_config(self.log_dir, entries)

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127, weights=None,
                     walltime=None):
        """Log a precision-recall curve: binary ``labels``, ``predictions`` in [0, 1] (the
        probability of true), at ``num_thresholds`` thresholds (at most 127, as in PyTorch)."""
        op = "add_pr_curve"
        truth, scores = _array(op, "labels", labels), _array(op, "predictions", predictions)
        if truth.shape != scores.shape:
            raise ValueError(f"SummaryWriter.{op}: labels of shape {tuple(truth.shape)} and predictions of "
                             f"shape {tuple(scores.shape)} must match.")
        count = min(checks.integer(f"SummaryWriter.{op}", "num_thresholds", num_thresholds, minimum=2), 127)
        weight = None if weights is None else _array(op, "weights", weights)
        data = summary.pr_curve_data(truth, scores, count, weight)
        self._write(op, summary.pr_curve(_tag(op, "tag", tag), data, count), global_step, walltime)

    def add_audio(self, tag, snd_tensor, global_step=None, sample_rate=44100, walltime=None):
        """Log a sound as a 16-bit mono WAV: ``snd_tensor`` one channel of samples in [-1, 1] (shape
        (L,) or (1, L); louder samples are clipped, with a warning printed as PyTorch prints it)."""
        op = "add_audio"
        samples = _array(op, "snd_tensor", snd_tensor).squeeze()
        if samples.ndim != 1:
            raise ValueError(f"SummaryWriter.{op}: snd_tensor must hold one channel (shape (L,) or (1, L)), "
                             f"got shape {tuple(np.shape(snd_tensor))}.")
        if samples.size and abs(samples).max() > 1:
            print("warning: audio amplitude out of range, auto clipped.")
            samples = samples.clip(-1, 1)
        rate = checks.integer(f"SummaryWriter.{op}", "sample_rate", sample_rate, minimum=1)
        self._write(op, summary.audio(_tag(op, "tag", tag), samples, rate), global_step, walltime)

    def add_tensor(self, tag, tensor, global_step=None, walltime=None):
        """Log a whole tensor (its values, shape and dtype) for TensorBoard's tensor plugin."""
        op = "add_tensor"
        self._write(op, summary.tensor(_tag(op, "tag", tag), _array(op, "tensor", tensor)), global_step, walltime)

    def add_pr_curve_raw(self, tag, true_positive_counts, false_positive_counts, true_negative_counts,
                         false_negative_counts, precision, recall, global_step=None, num_thresholds=127,
                         weights=None, walltime=None):
        """Log a precision-recall curve already computed: six sequences of the same length, one
        value per threshold (``num_thresholds``, at most 127, is recorded with them; ``weights`` is
        accepted and unused, as in PyTorch)."""
        op = "add_pr_curve_raw"
        rows = [_array(op, name, value).astype(np.float64).reshape(-1) for name, value in (
            ("true_positive_counts", true_positive_counts), ("false_positive_counts", false_positive_counts),
            ("true_negative_counts", true_negative_counts), ("false_negative_counts", false_negative_counts),
            ("precision", precision), ("recall", recall))]
        if len({len(row) for row in rows}) != 1:
            raise ValueError(f"SummaryWriter.{op}: the six sequences must have the same length, got lengths "
                             f"{[len(row) for row in rows]}.")
        count = min(checks.integer(f"SummaryWriter.{op}", "num_thresholds", num_thresholds, minimum=2), 127)
        self._write(op, summary.pr_curve(_tag(op, "tag", tag), np.stack(rows), count), global_step, walltime)

    def add_custom_scalars(self, layout):
        """Arrange logged scalars into charts for TensorBoard's CUSTOM SCALARS tab: ``layout`` maps a
        category title to {chart title: ["Multiline", [tags]] or ["Margin", [value, lower, upper]]}."""
        op = "add_custom_scalars"
        if not isinstance(layout, dict) or not all(
                isinstance(charts, dict) and all(isinstance(chart, (list, tuple)) and len(chart) == 2
                                                 for chart in charts.values()) for charts in layout.values()):
            raise TypeError(f"SummaryWriter.{op}: layout must map each category to a dict of "
                            f"{{chart title: [\"Multiline\" or \"Margin\", [tags]]}}, got {layout!r}.")
        self._write(op, summary.custom_scalars(layout), None, None)

    def add_custom_scalars_multilinechart(self, tags, category="default", title="untitled"):
        """One chart of the scalars ``tags`` drawn together (``add_custom_scalars`` with one chart)."""
        self.add_custom_scalars({category: {title: ["Multiline", tags]}})

    def add_custom_scalars_marginchart(self, tags, category="default", title="untitled"):
        """One chart of a value and its lower and upper bounds: ``tags`` names the three scalars."""
        self.add_custom_scalars({category: {title: ["Margin", tags]}})

    def add_video(self, tag, vid_tensor, global_step=None, fps=4, walltime=None):
        """Log clips as one animated GIF: ``vid_tensor`` N x T x C x H x W (uint8 in [0, 255] or
        floats in [0, 1]; C 1, 3 or 4), the N clips tiled as PyTorch tiles them, ``fps`` frames a
        second. PyTorch has moviepy write the GIF; it is encoded here (``gif.py``: one palette of at
        most 256 colours for the whole video, exact when the video has no more colours, else by
        median cut; alpha is left out)."""
        op = "add_video"
        clips = _array(op, "vid_tensor", vid_tensor)
        if clips.ndim != 5 or clips.shape[2] not in (1, 3, 4) or 0 in clips.shape:
            raise ValueError(f"SummaryWriter.{op}: vid_tensor must be N x T x C x H x W with 1, 3 or 4 channels "
                             f"and no empty dimension, got shape {tuple(clips.shape)}.")
        rate = checks.real(f"SummaryWriter.{op}", "fps", fps, minimum=0.01)
        self._write(op, summary.video(_tag(op, "tag", tag), summary.video_frames(clips), rate), global_step, walltime)

    def add_mesh(self, tag, vertices, colors=None, faces=None, config_dict=None, global_step=None, walltime=None):
        """Log a 3-D mesh or point cloud for TensorBoard's MESH tab: ``vertices`` B x N x 3
        coordinates, ``colors`` B x N x 3 (uint8 in [0, 255] or floats in [0, 1]), ``faces`` B x F x 3
        vertex indices of triangles, ``config_dict`` three.js settings (camera, lights, material),
        as the mesh plugin's summaries ``<tag>_VERTEX``, ``<tag>_FACE``, ``<tag>_COLOR`` (``mesh.py``)."""
        op = "add_mesh"
        parts = {}
        for name, value in (("vertices", vertices), ("colors", colors), ("faces", faces)):
            if value is None:
                continue
            parts[name] = _array(op, name, value)
            if parts[name].ndim != 3 or parts[name].shape[-1] != 3:
                raise ValueError(f"SummaryWriter.{op}: {name} must be B x N x 3, got shape {tuple(parts[name].shape)}.")
        if config_dict is not None and not isinstance(config_dict, dict):
            raise TypeError(f"SummaryWriter.{op}: config_dict must be a dict or None, "
                            f"got {type(config_dict).__name__}.")
        self._write(op, mesh.mesh(_tag(op, "tag", tag), parts.get("vertices"), parts.get("colors"), parts.get("faces"),
                                  config_dict), global_step, walltime)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """Log ``model``'s graph for TensorBoard's GRAPHS tab, recorded by running it once (in eval
        mode, without gradients) on ``input_to_model`` (a tensor, or a tuple of the arguments).

        Each op call is a node in the scope of the module that made it (``Net/Linear[fc]``, as
        PyTorch names them), with its inputs, its other arguments and its output's shape; the
        parameters, the inputs and the outputs are nodes too (see ``graph.py``). PyTorch traces
        with its JIT instead, so the nodes are minitorch's ops rather than ``aten::`` ones.
        ``verbose`` prints the nodes; ``use_strict_trace`` (the JIT's check of the containers a
        model returns) is accepted and changes nothing here: any nesting of lists, tuples and
        dicts of tensors is followed.
        """
        op = "SummaryWriter.add_graph"
        if not callable(model):
            raise TypeError(f"{op}: model must be an nn.Module (or a function), got {type(model).__name__}.")
        checks.boolean(op, "verbose", verbose)
        checks.boolean(op, "use_strict_trace", use_strict_trace)
        nodes, device = graph.record(model, input_to_model, verbose)
        wall = time.time()
        file = self._file()
        file.write(proto.event(wall, graph_def=graph.graph_def(nodes)))
        file.write(proto.event(wall, tagged_run_metadata=graph.run_metadata(
            "/device:GPU:0" if device == "cuda" else "/device:CPU:0")))

    def flush(self):
        """Write every pending event of every run to disk."""
        for file in self._files.values():
            file.flush()

    def close(self):
        """Flush and close the event files; a later add opens new ones, as in PyTorch."""
        for file in self._files.values():
            file.close()
        self._files = {}

    def __enter__(self):
        """The writer itself, closed when the ``with`` block ends."""
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        """Close the writer."""
        self.close()
