"""Schemathesis hooks for Kindred's contract run (loaded by `cargo xtask test
contract` and `cargo xtask fuzz` through SCHEMATHESIS_HOOKS).

Each request comes from its own client address, as `CF-Connecting-IP` (the
header Cloudflare sets on every request it proxies, overwriting a client's
own; `wrangler dev` passes it through). One fuzzer from one address would
otherwise spend the per-client write limits and the burst guard in seconds,
and every later write would be answered 429 without reaching its handler.
The addresses rotate deterministically through 10.0.0.0/8, so a run is
repeatable. Requests that set the header themselves keep theirs.

Photo uploads get real images: small PNGs of generated sizes and colours
(made here with zlib, decodable by any reader), mixed with arbitrary bytes,
for every image media type the document names. The edge decides the type by
the bytes, so a PNG sent as image/jpeg is still a PNG.
"""

import itertools
import struct
import zlib

import schemathesis
from hypothesis import strategies as st


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG, `width` x `height`, one colour."""
    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * height)) + _chunk(b"IEND", b"")


_images = st.one_of(
    st.builds(
        png,
        st.integers(min_value=1, max_value=48),
        st.integers(min_value=1, max_value=48),
        st.tuples(*[st.integers(min_value=0, max_value=255)] * 3),
    ),
    st.binary(max_size=256),
)
for _media in ("image/png", "image/jpeg", "image/webp"):
    schemathesis.openapi.media_type(_media, _images)

_next = itertools.count(1)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    n = next(_next)
    if case.headers is None:
        case.headers = {}
    case.headers.setdefault("CF-Connecting-IP", f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}")
    # Replacing the run's own admin key (`.../secrets/admin_key`, the
    # operator's `.../admin-key`) would lock every later admin request out
    # (401): those two routes are sent for a brand of their own that does
    # not exist, so their answers are still checked against the document
    # (settings_http.rs tests what they do).
    if case.method == "POST" and case.operation.path in ("/v1/admin/brands/{brand}/secrets/{secret}", "/v1/admin/brands/{brand}/admin-key"):
        case.path_parameters = {**(case.path_parameters or {}), "brand": "fuzz-keys-elsewhere"}
