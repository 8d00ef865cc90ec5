"""Counting requests in flight, so that a graceful stop waits for real ones only.

A request counts from the moment its headers are parsed (its handler is
chosen) until it is logged, which Tornado does once per finished response,
errors included. A request that never reaches its handler (the HTTP parser
refuses its body, as with two unequal ``Content-Length`` headers; the body
times out; the client goes away mid-body) is never logged: the connection's
close releases it instead. Each request is released at most once.

>>> from tornado.httputil import HTTPServerRequest, RequestStartLine
>>> counter = InFlight()
>>> request = HTTPServerRequest(start_line=RequestStartLine("GET", "/", "HTTP/1.0"))
>>> delegate = counter.track(request, None)
>>> counter.count
1
>>> counter.release(request); counter.release(request); counter.count
0
"""

from __future__ import annotations

from tornado.httputil import HTTPMessageDelegate, HTTPServerRequest

__all__ = ["InFlight"]

_TOKEN = "_website_in_flight"


class InFlight:
    """The number of requests received and not yet answered or abandoned."""

    def __init__(self) -> None:
        self.count = 0

    def track(self, request: HTTPServerRequest, delegate: HTTPMessageDelegate | None) -> HTTPMessageDelegate:
        """Count ``request``; return ``delegate`` wrapped to release it if abandoned."""
        self.count += 1
        setattr(request, _TOKEN, True)
        return _Released(self, request, delegate)

    def release(self, request: HTTPServerRequest) -> None:
        """Stop counting ``request``, once, whichever of done or abandoned comes first."""
        if getattr(request, _TOKEN, False):
            setattr(request, _TOKEN, False)
            self.count -= 1


class _Released(HTTPMessageDelegate):
    """Forwards to the handler's delegate; a closed connection releases the request.

    The HTTP/1 connection tells the delegate ``on_connection_close()`` only
    while the request is being read (after ``finish()`` it tells the handler
    instead), so this sees exactly the requests that will never be logged.
    """

    def __init__(self, counter: InFlight, request: HTTPServerRequest, delegate):
        self.counter = counter
        self.request = request
        self.delegate = delegate

    def headers_received(self, start_line, headers):
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk):
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        self.delegate.finish()

    def execute(self):
        # Application.__call__, the legacy HTTPServer callback, calls this.
        return self.delegate.execute()

    def on_connection_close(self) -> None:
        self.counter.release(self.request)
        self.delegate.on_connection_close()
