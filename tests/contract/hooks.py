"""Schemathesis hooks for Kindred's contract run (loaded by `cargo xtask test
contract` and `cargo xtask fuzz` through SCHEMATHESIS_HOOKS).

Each request comes from its own client address, as `CF-Connecting-IP` (the
header Cloudflare sets on every request it proxies, overwriting a client's
own; `wrangler dev` passes it through). One fuzzer from one address would
otherwise spend the per-client write limits and the burst guard in seconds,
and every later write would be answered 429 without reaching its handler.
The addresses rotate deterministically through 10.0.0.0/8, so a run is
repeatable. Requests that set the header themselves keep theirs.
"""

import itertools

import schemathesis

_next = itertools.count(1)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    n = next(_next)
    if case.headers is None:
        case.headers = {}
    case.headers.setdefault("CF-Connecting-IP", f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}")
