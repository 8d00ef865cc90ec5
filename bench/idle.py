"""Hold N idle keep-alive connections to a server until told to stop.

Each connection sends one request, reads the response, and then stays open
and silent, as a browser's idle keep-alive connection does. Prints "ready N"
when all are open; exits when stdin closes or after a time limit.
"""

import asyncio
import sys


async def hold(port: int, ready: asyncio.Queue) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /static/img/favicon.svg HTTP/1.1\r\nHost: localhost\r\n\r\n")
        await writer.drain()
        await reader.readuntil(b"</svg>")
        await ready.put(True)
        await asyncio.sleep(3600)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        await ready.put(False)


async def main(port: int, count: int, limit: float) -> None:
    ready: asyncio.Queue = asyncio.Queue()
    tasks = []
    for index in range(count):
        tasks.append(asyncio.create_task(hold(port, ready)))
        if index % 100 == 99:  # pace the connects: the listen backlog is finite
            await asyncio.sleep(0.02)
    opened = sum([await ready.get() for _ in range(count)])
    print(f"ready {opened}", flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    await asyncio.wait([stdin_closed], timeout=limit)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
