"""W2 switch: two tasks ping-pong N round trips through two 1-slot queues. Prints ns per one-way hop.

usage: w2.py LOOP N WARMUP
"""
import sys
import time

from common import result, run


async def round_asyncio(n):
    import asyncio
    there, back = asyncio.Queue(1), asyncio.Queue(1)

    async def ping():
        for i in range(n):
            await there.put(i)
            assert await back.get() == i

    async def pong():
        for _ in range(n):
            await back.put(await there.get())

    t0 = time.perf_counter()
    await asyncio.gather(ping(), pong())
    return time.perf_counter() - t0


async def round_trio(n):
    import trio
    there_tx, there_rx = trio.open_memory_channel(1)
    back_tx, back_rx = trio.open_memory_channel(1)

    async def ping():
        for i in range(n):
            await there_tx.send(i)
            assert await back_rx.receive() == i

    async def pong():
        for _ in range(n):
            await back_tx.send(await there_rx.receive())

    t0 = time.perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(ping)
        nursery.start_soon(pong)
    return time.perf_counter() - t0


def main():
    loop, n, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    fn = round_trio if loop == "trio" else round_asyncio
    for _ in range(warmup):
        run(loop, fn, max(1, n // 10))
    elapsed = run(loop, fn, n)
    result(elapsed * 1e9 / (2 * n))


if __name__ == "__main__":
    main()
