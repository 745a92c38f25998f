"""Malformed requests that Schemathesis cannot make, each of which must get the API's error body.

Usage: python error_envelope.py OPENAPI_JSON BASE_URL

Reads the bearer tokens from HOMEWARD_API_TOKEN (every operation) and HOMEWARD_PROVIDER_TOKEN
(the /api/v1/workers operations, which a commissioner may not use). Schemathesis builds path
parameters from text, so it never sends bytes that are not UTF-8, and it keeps bodies small; a
client can do both. Every answer must be a 4xx with `Content-Type: application/json`, the body
`{"error": {"code", "message", "field"}}`, and a status that the document lists for the
operation. Prints one line a probe and exits 1 when any fails.
"""

import json
import os
import sys

import requests

BIG_BODY = b'{"name": "' + b"a" * (3 * 1024 * 1024) + b'"}'


def token_for(path: str) -> str:
    name = "HOMEWARD_PROVIDER_TOKEN" if path.startswith("/api/v1/workers") else "HOMEWARD_API_TOKEN"
    return os.environ[name]


def problems_with(answer: requests.Response, documented: set[str] | None) -> list[str]:
    problems = []
    if not 400 <= answer.status_code < 500:
        problems.append(f"status {answer.status_code} is not a 4xx")
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
    except (ValueError, KeyError, TypeError):
        problems.append(f"the body is not the error body: {answer.text[:120]!r}")
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
                probes.append((label, "id that is not UTF-8", method, path.replace("{id}", "%FF"), None, documented))
            if "requestBody" in operation:
                probes.append((label, "3 MiB JSON body", method, path.replace("{id}", "x"), BIG_BODY, documented))
    probes.append(("GET /api/v1/no-such-thing", "unknown API path", "get", "/api/v1/no-such-thing", None, None))

    failed = 0
    with requests.Session() as session:
        for label, what, method, url_path, body, documented in probes:
            headers = {"Authorization": f"Bearer {token_for(url_path)}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            answer = session.request(method, base + url_path, headers=headers, data=body, timeout=30)
            problems = problems_with(answer, documented)
            failed += bool(problems)
            verdict = "ok  " if not problems else "FAIL"
            print(f"  {verdict} {label}, {what}: {answer.status_code}" + "".join(f"\n         {p}" for p in problems))
    print(f"error bodies: {len(probes) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
