"""Minimal client of `rlvr serve-rewards` (docs/reward-service.md). Standard library only.

post_score(url, completions, prompts=None, labels=None, groups=None, **extra) -> dict
    POSTs {"completions", "prompts", "labels", "groups", **extra} to <url>/score and returns
    {"rewards": [...], "scores": [...], "extra_logs": {...}}. Retries like OpenRLHF's client
    (5 attempts, 1 s apart, 180 s timeout each), then raises: a missing reward must not pass silently.
"""
import json
import time
import urllib.error
import urllib.request


def post_json(url, body, attempts=5, timeout=180.0):
    data = json.dumps(body).encode("utf-8")
    last = None
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")
            if 400 <= e.code < 500:  # the request is wrong: retrying cannot help
                raise RuntimeError(f"reward service {url} answered {e.code}: {detail}") from None
            last = RuntimeError(f"reward service {url} answered {e.code}: {detail}")
        except (urllib.error.URLError, OSError, ValueError) as e:
            last = e
        if attempt + 1 < attempts:
            time.sleep(1.0)
    raise RuntimeError(f"reward service {url} failed {attempts} times: {last}")


def post_score(url, completions, prompts=None, labels=None, groups=None, **extra):
    body = {"completions": list(completions)}
    if prompts is not None:
        body["prompts"] = list(prompts)
    if labels is not None:
        body["labels"] = [None if x is None else (x if isinstance(x, (str, int, float)) else str(x)) for x in labels]
    if groups is not None:
        body["groups"] = list(groups)
    body.update({k: v for k, v in extra.items() if v is not None})
    out = post_json(url.rstrip("/") + "/score", body)
    if len(out.get("rewards", [])) != len(body["completions"]):
        raise RuntimeError(f"reward service returned {len(out.get('rewards', []))} rewards for {len(body['completions'])} completions")
    return out
