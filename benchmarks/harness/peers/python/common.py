"""Shared helpers for the Python peers: pick the event loop, print the result line."""
import asyncio
import sys


def run(loop_name, coro_fn, *args):
    """Run coro_fn(*args) on the named loop ('asyncio', 'uvloop' or 'trio') and return its value."""
    if loop_name == "trio":
        import trio
        return trio.run(coro_fn, *args)
    if loop_name == "uvloop":
        import uvloop
        uvloop.install()
    elif loop_name != "asyncio":
        sys.exit(f"unknown loop {loop_name!r}")
    return asyncio.run(coro_fn(*args))


def result(value):
    print(f"RESULT {value:.6g}", flush=True)
