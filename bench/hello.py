"""The ceiling: a bare Tornado "hello world", started the way the site is."""

import asyncio
import sys

import tornado.httpserver
import tornado.web


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


async def main(port: int) -> None:
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/", Hello)]))
    server.listen(port, "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
