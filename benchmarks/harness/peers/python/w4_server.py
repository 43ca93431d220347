"""W4 TCP echo server on asyncio streams (default loop or uvloop). Binds 127.0.0.1 only.

usage: w4_server.py LOOP PORT
"""
import asyncio
import sys


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def serve(port):
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print("LISTENING", flush=True)
    async with server:
        await server.serve_forever()


def main():
    loop, port = sys.argv[1], int(sys.argv[2])
    if loop == "uvloop":
        import uvloop
        uvloop.install()
    asyncio.run(serve(port))


if __name__ == "__main__":
    main()
