"""Malformed requests that Schemathesis cannot make, each of which must get the API's error body.

Usage: python error_envelope.py OPENAPI_JSON BASE_URL

Reads the bearer tokens from HOMEWARD_API_TOKEN (every operation), HOMEWARD_PROVIDER_TOKEN
(the /api/v1/workers operations, which a commissioner may not use) and HOMEWARD_BROKER_TOKEN.
A probe that expects one status is sent with each token in turn until one is let in (not 403),
since the role check comes before the body is read. Schemathesis builds path
parameters from text, so it never sends bytes that are not UTF-8, it keeps bodies small, and it
sends bodies as the document says (JSON); a client can do all three otherwise. Every answer must
be a 4xx with `Content-Type: application/json`, `Content-Disposition: attachment`, the body
`{"error": {"code", "message", "field"}}`, and a status that the document lists for the
operation; a body sent as another type must get 415 `unsupported_media_type`, one over the limit
413 `too_large`. Prints one line a probe and exits 1 when any fails.
"""

import json
import os
import sys

import requests

BIG_BODY = b'{"name": "' + b"a" * (3 * 1024 * 1024) + b'"}'
SMALL_BODY = b'{"name": "sent as another type"}'


def token_for(path: str) -> str:
    name = "HOMEWARD_PROVIDER_TOKEN" if path.startswith("/api/v1/workers") else "HOMEWARD_API_TOKEN"
    return os.environ[name]


def every_token() -> list[str]:
    names = ("HOMEWARD_API_TOKEN", "HOMEWARD_PROVIDER_TOKEN", "HOMEWARD_BROKER_TOKEN")
    return [os.environ[name] for name in names if os.environ.get(name)]


def problems_with(
    answer: requests.Response, documented: set[str] | None, expected: tuple[int, str] | None
) -> list[str]:
    problems = []
    if not 400 <= answer.status_code < 500:
        problems.append(f"status {answer.status_code} is not a 4xx")
    if expected is not None and answer.status_code != expected[0]:
        problems.append(f"status {answer.status_code}, not {expected[0]}")
    if documented is not None and str(answer.status_code) not in documented:
        problems.append(f"status {answer.status_code} is not in the document ({', '.join(sorted(documented))})")
    content_type = answer.headers.get("content-type", "")
    if content_type.split(";")[0].strip() != "application/json":
        problems.append(f"Content-Type is {content_type!r}, not application/json")
    try:
        error = answer.json()["error"]
        missing = [key for key in ("code", "message", "field") if key not in error]
        if missing:
            problems.append(f"the error lacks {', '.join(missing)}")
        if expected is not None and error.get("code") != expected[1]:
            problems.append(f"the code is {error.get('code')!r}, not {expected[1]!r}")
    except (ValueError, KeyError, TypeError, AttributeError):
        problems.append(f"the body is not the error body: {answer.text[:120]!r}")
    disposition = answer.headers.get("content-disposition", "")
    if not disposition.startswith("attachment"):
        problems.append(f"Content-Disposition is {disposition!r}, not an attachment")
    return problems


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as file:
        document = json.load(file)
    base = sys.argv[2].rstrip("/")
    probes = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            documented = set(operation.get("responses", {}))
            label = f"{method.upper()} {path}"
            if "{id}" in path:
                # %FF is not UTF-8: the router's path extractor refuses it before the handler runs.
                probes.append((label, "id that is not UTF-8", method, path.replace("{id}", "%FF"), None, None, documented, None))
            if "requestBody" in operation:
                concrete = path.replace("{id}", "x")
                probes.append((label, "3 MiB JSON body", method, concrete, BIG_BODY, "application/json", documented, (413, "too_large")))
                for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
                    what = f"body sent as {content_type or 'no type'}"
                    probes.append((label, what, method, concrete, SMALL_BODY, content_type, documented, (415, "unsupported_media_type")))
    probes.append(("GET /api/v1/no-such-thing", "unknown API path", "get", "/api/v1/no-such-thing", None, None, None, None))

    failed = 0
    with requests.Session() as session:
        for label, what, method, url_path, body, content_type, documented, expected in probes:
            tokens = every_token() if expected is not None else [token_for(url_path)]
            for token in tokens:
                headers = {"Authorization": f"Bearer {token}"}
                if content_type is not None:
                    headers["Content-Type"] = content_type
                answer = session.request(method, base + url_path, headers=headers, data=body, timeout=30)
                if answer.status_code != 403:
                    break
            problems = problems_with(answer, documented, expected)
            failed += bool(problems)
            verdict = "ok  " if not problems else "FAIL"
            print(f"  {verdict} {label}, {what}: {answer.status_code}" + "".join(f"\n         {p}" for p in problems))
    print(f"error bodies: {len(probes) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
