"""Minimal client of `rlvr serve-rewards` (docs/reward-service.md). Standard library only.

post_score(url, completions, prompts=None, labels=None, groups=None, **extra) -> dict
    POSTs {"completions", "prompts", "labels", "groups", **extra} to <url>/score and returns
    {"rewards": [...], "scores": [...], "extra_logs": {...}}. Retries like OpenRLHF's client
    (5 attempts, 1 s apart), then raises: a missing reward must not pass silently. A 4xx is raised at
    once with the service's message (retrying cannot fix the request).
post_score_async(...)  the same as a coroutine on asyncio streams: waiting for a group (which may take as
    long as the slowest generation of the prompt) holds no thread, so an engine that runs one coroutine
    per sample (verl's reward loop) can have every member of every group waiting at once.

`extra` keys with value None are left out (the server's defaults apply). The timeout covers waiting for a
group: the service answers within its --group-timeout-s (default 300 s), so it is set above that.
"""
import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_S = 360.0
ATTEMPTS = 5


class RewardServiceError(RuntimeError):
    """The service refused the request (4xx) or could not be reached after all attempts."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def score_body(completions, prompts=None, labels=None, groups=None, **extra):
    body = {"completions": [str(c) for c in completions]}
    if prompts is not None:
        body["prompts"] = [str(p) for p in prompts]
    if labels is not None:
        body["labels"] = [None if x is None else (x if isinstance(x, (str, int, float)) and not isinstance(x, bool) else str(x)) for x in labels]
    if groups is not None:
        body["groups"] = list(groups)
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def _score_url(url):
    return url.rstrip("/") + "/score"


def _checked(out, body, url):
    rewards = out.get("rewards") if isinstance(out, dict) else None
    if not isinstance(rewards, list) or len(rewards) != len(body["completions"]):
        got = len(rewards) if isinstance(rewards, list) else "no"
        raise RewardServiceError(f"reward service {url} returned {got} rewards for {len(body['completions'])} completions")
    return out


def _refusal(url, status, detail):
    """An HTTP error status: a RewardServiceError to raise now (4xx) or a retryable one (5xx)."""
    try:
        message = json.loads(detail).get("error", detail)
    except (ValueError, AttributeError):
        message = detail
    return RewardServiceError(f"reward service {url} answered {status}: {message}", status)


def post_json(url, body, attempts=ATTEMPTS, timeout=TIMEOUT_S):
    data = json.dumps(body).encode("utf-8")
    last = None
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            err = _refusal(url, e.code, e.read().decode("utf-8", "replace"))
            if 400 <= e.code < 500:
                raise err from None
            last = err
        except (urllib.error.URLError, OSError, ValueError) as e:
            last = e
        if attempt + 1 < attempts:
            time.sleep(1.0)
    raise RewardServiceError(f"reward service {url} failed {attempts} times: {last}")


async def _post_once(url, data, timeout):
    """One POST over asyncio streams (HTTP/1.1, Connection: close); returns (status, body text)."""
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http":
        raise ValueError(f"reward service URL must be http://, received {url}")
    reader, writer = await asyncio.wait_for(asyncio.open_connection(u.hostname, u.port or 80), timeout)
    try:
        head = (f"POST {u.path or '/'} HTTP/1.1\r\nHost: {u.netloc}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode("ascii")
        writer.write(head + data)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    header, _, payload = raw.partition(b"\r\n\r\n")
    status_line = header.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ")
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError(f"reward service {url} sent no HTTP status line (received {status_line[:60]!r})")
    return int(parts[1]), payload.decode("utf-8", "replace")


async def post_json_async(url, body, attempts=ATTEMPTS, timeout=TIMEOUT_S):
    data = json.dumps(body).encode("utf-8")
    last = None
    for attempt in range(attempts):
        try:
            status, text = await _post_once(url, data, timeout)
            if status == 200:
                return json.loads(text)
            err = _refusal(url, status, text)
            if 400 <= status < 500:
                raise err
            last = err
        except (OSError, ValueError, asyncio.TimeoutError) as e:
            last = e
        if attempt + 1 < attempts:
            await asyncio.sleep(1.0)
    raise RewardServiceError(f"reward service {url} failed {attempts} times: {last}")


def post_score(url, completions, prompts=None, labels=None, groups=None, **extra):
    body = score_body(completions, prompts, labels, groups, **extra)
    return _checked(post_json(_score_url(url), body), body, url)


async def post_score_async(url, completions, prompts=None, labels=None, groups=None, **extra):
    body = score_body(completions, prompts, labels, groups, **extra)
    return _checked(await post_json_async(_score_url(url), body), body, url)
