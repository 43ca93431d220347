"""W8 files: SHA-256 every file of DIR with asyncio + aiofiles, at most 64 open at once,
then write a summary file of name and hash. Prints files per second.

usage: w8.py LOOP DIR SUMMARY WARMUP
"""
import asyncio
import hashlib
import os
import sys
import time

import aiofiles

from common import result, run

MAX_OPEN = 64


async def one(sem, path):
    async with sem:
        async with aiofiles.open(path, "rb") as f:
            data = await f.read()
    return hashlib.sha256(data).hexdigest()


async def job(directory, summary):
    names = sorted(n for n in os.listdir(directory) if n.endswith(".bin"))
    t0 = time.perf_counter()
    sem = asyncio.Semaphore(MAX_OPEN)
    hashes = await asyncio.gather(*(one(sem, os.path.join(directory, n)) for n in names))
    async with aiofiles.open(summary, "w") as f:
        await f.write("".join(f"{n} {h}\n" for n, h in zip(names, hashes)))
    return len(names) / (time.perf_counter() - t0)


def main():
    loop, directory, summary, warmup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    for _ in range(warmup):
        run(loop, job, directory, summary)
    result(run(loop, job, directory, summary))


if __name__ == "__main__":
    main()
