"""W3 sleepers: N tasks each sleep SECONDS concurrently. Prints wall time minus SECONDS.

usage: w3.py LOOP N SECONDS WARMUP   (N = 0 is the empty run the harness subtracts for memory;
WARMUP rounds of N tasks sleeping SECONDS / 10 come first, unmeasured)
"""
import gc
import sys
import time

from common import result, run


async def round_asyncio(n, seconds):
    import asyncio
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(asyncio.sleep(seconds)) for _ in range(n)]
    await asyncio.gather(*tasks)
    return time.perf_counter() - t0


async def round_trio(n, seconds):
    import trio
    t0 = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            nursery.start_soon(trio.sleep, seconds)
    return time.perf_counter() - t0


def main():
    loop, n, seconds, warmup = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    fn = round_trio if loop == "trio" else round_asyncio
    if n == 0:
        run(loop, fn, 0, 0.0)
        result(0.0)
        return
    for _ in range(warmup):
        run(loop, fn, n, seconds / 10)
    gc.collect()  # as the JVM peers do after their warm-up
    elapsed = run(loop, fn, n, seconds)
    result(elapsed - seconds)


if __name__ == "__main__":
    main()
