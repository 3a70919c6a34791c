"""JSON over HTTP to one Atelier server (urllib, standard library only).

Credentials are found as the CLI and the Java SDK find them (docs/security.md): a token given to the client,
``ATELIER_TOKEN``, ``ATELIER_USERNAME`` with ``ATELIER_PASSWORD``, then the token ``atelier login`` stored
for the server's URL in ``$ATELIER_CONFIG_DIR/credentials`` (else ``~/.atelier/credentials``). A token goes as
``Authorization: Bearer``, a user name and password as HTTP Basic.

Nothing is retried here: a caller retries only what is idempotent (chunk uploads at an offset, GETs while
polling). Thread-safe: each call opens its own connection.
"""
import base64
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

from .exceptions import ServiceRequestError, ValidationException, error_for

DEFAULT_URL = "http://127.0.0.1:5000"
TIMEOUT_SECONDS = 300


def normalize_url(url):
    text = (url or "").strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationException("expected an http:// or https:// URL with a host, got '%s'" % url)
    return text


def quote(segment):
    """One path segment or query value, encoded."""
    return urllib.parse.quote(str(segment), safe="")


def quote_path(path):
    return "/".join(quote(part) for part in str(path).split("/"))


class Credentials:
    """What the client sends as ``Authorization``; ``source`` says where it came from. ``repr`` hides the secret."""

    def __init__(self, header, source):
        self.header = header
        self.source = source

    def __repr__(self):
        return "Credentials(source=%r)" % self.source

    @staticmethod
    def token(token, source="given to the client"):
        if not token or not str(token).strip():
            raise ValidationException("the token is blank")
        return Credentials("Bearer " + token, source)

    @staticmethod
    def basic(username, password, source="given to the client"):
        if ":" in username:
            raise ValidationException("the user name contains ':', which HTTP Basic cannot carry")
        pair = ("%s:%s" % (username, password)).encode("utf-8")
        return Credentials("Basic " + base64.b64encode(pair).decode("ascii"), source)


NO_CREDENTIALS = Credentials(None, "none")


def credentials_file(environ=None):
    environ = os.environ if environ is None else environ
    folder = environ.get("ATELIER_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".atelier")
    return os.path.join(folder, "credentials")


def resolve_credentials(url, environ=None):
    """Credentials from the environment or the credentials file, in the CLI's order."""
    environ = os.environ if environ is None else environ
    token = environ.get("ATELIER_TOKEN", "")
    if token.strip():
        return Credentials.token(token, "ATELIER_TOKEN")
    username = environ.get("ATELIER_USERNAME", "")
    if username.strip() and "ATELIER_PASSWORD" in environ:
        return Credentials.basic(username, environ["ATELIER_PASSWORD"], "ATELIER_USERNAME and ATELIER_PASSWORD")
    path = credentials_file(environ)
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as handle:
                stored = json.load(handle)
        except (OSError, ValueError) as e:
            raise ValidationException("The credentials file %s cannot be read (%s); fix or delete it" % (path, e))
        entry = stored.get("servers", {}).get(url) if isinstance(stored, dict) else None
        if isinstance(entry, dict) and str(entry.get("token", "")).strip():
            return Credentials.token(entry["token"], "the credentials file " + path)
    return NO_CREDENTIALS


class Response:
    """An answer whatever its status: for scoring calls whose error answers belong to the caller."""

    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = headers
        self.content = body

    def text(self):
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content.decode("utf-8")) if self.content else {}


class Transport:
    def __init__(self, url, credentials):
        self.base_url = normalize_url(url)
        self.credentials = credentials

    # JSON calls ------------------------------------------------------------------------------------------
    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None):
        return self.call("POST", path, {} if body is None else body)

    def patch(self, path, body):
        return self.call("PATCH", path, body)

    def delete(self, path):
        return self.call("DELETE", path)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        answer = self.send(method, path, data, "application/json")
        return self._parse(answer, method, path)

    def send_bytes(self, method, path, data, content_type="application/octet-stream"):
        """A raw body (a file's bytes); the answer is JSON; an error answer is raised."""
        return self._parse(self.send(method, path, data, content_type), method, path)

    def _parse(self, answer, method, path):
        if answer.status_code // 100 != 2:
            raise self.error(answer, method, path)
        if not answer.content:
            return {}
        try:
            return answer.json()
        except ValueError:
            raise error_for(502, "The server answered %s %s with malformed JSON: %s" % (method, path, _snippet(answer.content)),
                            "INTERNAL_ERROR")

    # raw exchange ----------------------------------------------------------------------------------------
    def send(self, method, path, data=None, content_type=None, headers=None, credentials=None):
        """Sends one request and returns the :class:`Response` whatever its status; unreachable servers raise."""
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if content_type and data is not None:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        header = (credentials or self.credentials).header
        if header:
            request.add_header("Authorization", header)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as e:
            try:
                body = e.read()
            finally:
                e.close()
            return Response(e.code, dict(e.headers.items()) if e.headers else {}, body)
        except (urllib.error.URLError, socket.timeout, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            raise ServiceRequestError("Cannot reach the Atelier server at %s: %s" % (self.base_url, reason))

    def open_stream(self, path):
        """A GET whose body is read by the caller (a file download); an error answer is raised."""
        request = urllib.request.Request(self.base_url + path, method="GET")
        if self.credentials.header:
            request.add_header("Authorization", self.credentials.header)
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
        except urllib.error.HTTPError as e:
            try:
                raise self.error(Response(e.code, {}, e.read()), "GET", path)
            finally:
                e.close()
        except (urllib.error.URLError, socket.timeout, ConnectionError) as e:
            raise ServiceRequestError("Cannot reach the Atelier server at %s: %s" % (self.base_url, getattr(e, "reason", e)))

    def error(self, answer, method, path):
        """The exception for an error answer: the server's ``{"error_code", "message"}`` when it sent one."""
        status = answer.status_code
        try:
            node = answer.json()
        except ValueError:
            node = None
        if isinstance(node, dict) and "error_code" in node:
            message = node.get("message") or "HTTP %d from %s %s" % (status, method, path)
            if status == 401:
                message += " (credentials: %s)" % self.credentials.source
            return error_for(status, message, node.get("error_code"))
        detail = ""
        if isinstance(node, dict) and "title" in node:
            detail = ": " + str(node["title"])
        elif answer.content:
            detail = ": " + _snippet(answer.content)
        message = "HTTP %d from %s %s%s" % (status, method, path, detail)
        if status == 401:
            message += " (credentials: %s)" % self.credentials.source
        return error_for(status, message, None)


def _snippet(body):
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= 200 else text[:200] + "..."
