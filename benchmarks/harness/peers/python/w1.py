"""W1 spawn: create N tasks that each return an int at once, await all. Prints µs per task.

usage: w1.py LOOP N WARMUP
"""
import sys
import time

from common import result, run


async def work(i):
    return i


async def round_asyncio(n):
    import asyncio
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(work(i)) for i in range(n)]
    values = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    assert sum(values) == n * (n - 1) // 2
    return elapsed


async def round_trio(n):
    import trio
    out = [0] * n

    async def work_into(i):
        out[i] = i

    t0 = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for i in range(n):
            nursery.start_soon(work_into, i)
    elapsed = time.perf_counter() - t0
    assert sum(out) == n * (n - 1) // 2
    return elapsed


def main():
    loop, n, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    fn = round_trio if loop == "trio" else round_asyncio
    for _ in range(warmup):
        run(loop, fn, n)
    elapsed = run(loop, fn, n)
    result(elapsed * 1e6 / n)


if __name__ == "__main__":
    main()
