"""Schemathesis hooks for scripts/api-conformance.sh (loaded through SCHEMATHESIS_HOOKS).

DELETE /api/v1/tokens/{id} revokes any token of the calling account, and Schemathesis feeds it
the ids that GET and POST /api/v1/tokens answer with, among them the id of the token the run signs
with; once that is revoked every later request answers 401 and tests nothing. So a request that
would revoke the run's own token names a token that does not exist instead (answer: 404, which
the document lists). Every other token, such as those the run makes with POST, is fair game.
"""

import os

import schemathesis

PROTECTED_ID = os.environ["HOMEWARD_PROTECTED_TOKEN_ID"]
NO_SUCH_TOKEN = "tok_0000000000000000"


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.method.upper() != "DELETE" or case.path != "/api/v1/tokens/{id}":
        return
    if case.path_parameters and case.path_parameters.get("id") == PROTECTED_ID:
        case.path_parameters["id"] = NO_SUCH_TOKEN
