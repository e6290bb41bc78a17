"""TFRecord framing of TensorBoard event files: each record is its length, a masked CRC32C of the
length, the data, and a masked CRC32C of the data (all little-endian).

CRC32C (Castagnoli) is computed here with a 256-entry table, one byte at a time; TensorBoard
"masks" each checksum (rotate right by 15 bits, add a constant) so that a CRC of data holding CRCs
stays well distributed.

    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
    >>> len(frame(b"abc"))
    19
"""
import itertools
import os
import socket
import struct
import time
import weakref

from . import proto

_POLYNOMIAL = 0x82F63B78  # CRC32C's polynomial, bit-reversed
_MASK_DELTA = 0xA282EAD8
_WORD = 0xFFFFFFFF


def _table():
    """The 256 CRCs of a single byte, one entry per byte value."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _POLYNOMIAL if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _table()


def crc32c(data):
    """CRC32C of ``data`` (bytes): crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8) over every byte."""
    crc = _WORD
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _WORD


def masked_crc32c(data):
    """TensorBoard's masked checksum: ((crc >> 15) | (crc << 17)) + 0xA282EAD8, modulo 2**32."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & _WORD


def frame(data):
    """One TFRecord: uint64 length, uint32 masked CRC of those 8 bytes, data, uint32 masked CRC of data."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


def unframe(blob):
    """The data of each TFRecord in ``blob`` (the bytes of an event file), checking both CRCs.

    A damaged or truncated file is a ValueError naming the record's offset.
    """
    records, offset = [], 0
    while offset < len(blob):
        header = blob[offset:offset + 12]
        if len(header) < 12:
            raise ValueError(f"event file: truncated record header at byte {offset}.")
        (length,), (length_crc,) = struct.unpack("<Q", header[:8]), struct.unpack("<I", header[8:])
        data = blob[offset + 12:offset + 12 + length]
        tail = blob[offset + 12 + length:offset + 16 + length]
        if masked_crc32c(header[:8]) != length_crc or len(tail) < 4 \
                or struct.unpack("<I", tail)[0] != masked_crc32c(data):
            raise ValueError(f"event file: bad checksum in the record at byte {offset}.")
        records.append(data)
        offset += 16 + length
    return records


class EventFile:
    """One ``events.out.tfevents.<time>.<host>.<pid>.<n><suffix>`` file in ``log_dir``, opened with
    its first event (``file_version`` "brain.Event:2").

    Records wait in memory until ``max_queue`` of them are pending or ``flush_secs`` have passed
    since the last flush, checked at each write (no background thread), and at ``flush``, ``close``
    and interpreter exit.
    """

    _count = itertools.count()

    def __init__(self, log_dir, max_queue=10, flush_secs=120, filename_suffix=""):
        os.makedirs(log_dir, exist_ok=True)
        name = (f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}."
                f"{os.getpid()}.{next(self._count)}{filename_suffix}")
        self.path = os.path.join(log_dir, name)
        self._max_queue, self._flush_secs = max_queue, flush_secs
        self._pending, self._last_flush = [], time.monotonic()
        self._file = open(self.path, "wb")
        self._finalizer = weakref.finalize(self, _flush_and_close, self._file, self._pending)
        self.write(proto.event(time.time(), file_version="brain.Event:2"))
        self.flush()

    def write(self, event):
        """Queue one serialized ``Event``; flush when the queue is full or ``flush_secs`` have passed."""
        self._pending.append(frame(event))
        if len(self._pending) >= self._max_queue or time.monotonic() - self._last_flush >= self._flush_secs:
            self.flush()

    def flush(self):
        """Write the pending records to disk."""
        _flush_and_close(self._file, self._pending, close=False)
        self._last_flush = time.monotonic()

    def close(self):
        """Flush and close the file (once; later calls do nothing)."""
        self._finalizer()


def _flush_and_close(file, pending, close=True):
    """Write ``pending`` records to ``file`` and empty the list; close the file too if ``close``."""
    if not file.closed:
        file.write(b"".join(pending))
        file.flush()
        pending.clear()
        if close:
            file.close()
