"""Signs in through the HTML form and makes an API token; prints its secret, a space and its id.

Usage: python bearer_token.py BASE_URL EMAIL PASSWORD [TOKEN_NAME]

The same steps a person takes: GET /sign-in (sign-in cookie and hidden csrf_token), POST
/sign-in (session cookie), GET /account/tokens (the session's csrf_token), POST
/account/tokens with the password again (making a token asks for it), then read the secret shown once in <code id="new-token">. The id comes from
GET /api/v1/tokens with the new secret: the one token of that name, so the name must be new.
"""

import html
import re
import sys

import requests

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]*)"')
SECRET = re.compile(r'<code[^>]*id="new-token"[^>]*>([^<]+)</code>')


def fail(message: str, response: requests.Response | None = None) -> None:
    detail = ""
    if response is not None:
        detail = f" ({response.request.method} {response.url} answered {response.status_code})"
    sys.exit(f"bearer_token: {message}{detail}")


def csrf_of(response: requests.Response) -> str:
    found = CSRF.search(response.text)
    if response.status_code != 200 or not found:
        fail("no csrf_token field on the page", response)
    return html.unescape(found.group(1))


def main() -> None:
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    base, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    name = sys.argv[4] if len(sys.argv) == 5 else "schemathesis"
    with requests.Session() as browser:
        form = browser.get(f"{base}/sign-in", timeout=30)
        if "homeward_sign_in" not in browser.cookies:
            fail("GET /sign-in set no homeward_sign_in cookie", form)
        signed_in = browser.post(
            f"{base}/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_of(form), "next": "/"},
            allow_redirects=False,
            timeout=30,
        )
        if "homeward_session" not in browser.cookies:
            fail(f"signing in as {email} set no homeward_session cookie", signed_in)
        tokens_page = browser.get(f"{base}/account/tokens", timeout=30)
        made = browser.post(
            f"{base}/account/tokens",
            data={"name": name, "csrf_token": csrf_of(tokens_page), "current_password": password},
            timeout=30,
        )
        found = SECRET.search(made.text)
        if made.status_code not in (200, 201) or not found:
            fail('no <code id="new-token"> on the answer to POST /account/tokens', made)
        secret = html.unescape(found.group(1)).strip()
    listed = requests.get(
        f"{base}/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )
    if listed.status_code != 200:
        fail("the new token does not work", listed)
    ids = [token["id"] for token in listed.json()["items"] if token["name"] == name]
    if len(ids) != 1:
        fail(f"{len(ids)} tokens are named {name!r}, not one", listed)
    print(secret, ids[0])


if __name__ == "__main__":
    main()
