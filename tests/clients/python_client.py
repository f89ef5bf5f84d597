#!/usr/bin/env python3
"""Walk the Taskwire REST API with the Python standard library only.

Registers a member, logs in, creates a task, lists tasks, moves the task to
another state and has an admin assign it. Prints a JSON summary on success;
exits with status 1 and a message naming the failed step otherwise.

Environment: TASKWIRE_URL (API base URL), TASKWIRE_ADMIN_EMAIL and
TASKWIRE_ADMIN_PASSWORD (an existing admin account, needed to assign).
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ["TASKWIRE_URL"].rstrip("/") + "/api/v1"


class ApiError(Exception):
    def __init__(self, step, status, body):
        super().__init__(f"{step}: HTTP {status}: {json.dumps(body)}")
        self.status = status
        self.body = body


def call(step, method, path, token=None, body=None, headers=None, expected=200):
    """Send one request and return the parsed JSON body, or raise ApiError."""
    request_headers = {"Accept": "application/json"}
    request_headers.update(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        request_headers["Content-Type"] = "application/json"
    if token is not None:
        request_headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(BASE_URL + path, data=data, method=method, headers=request_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    parsed = json.loads(payload) if payload else None
    if status != expected:
        raise ApiError(step, status, parsed)
    return parsed


def main():
    email = f"python-{int(time.time() * 1000)}@example.com"
    password = "correct horse battery staple"

    user = call("register", "POST", "/auth/register", body={"email": email, "password": password, "name": "Python Client"})
    token = call("login", "POST", "/auth/login", body={"email": email, "password": password})["token"]

    key = str(uuid.uuid4())
    task = call("create", "POST", "/tasks", token=token, body={"title": "Filed from Python", "priority": "high"}, headers={"Idempotency-Key": key})
    replay = call("create again with the same Idempotency-Key", "POST", "/tasks", token=token, body={"title": "Filed from Python", "priority": "high"}, headers={"Idempotency-Key": key})

    listing = call("list", "GET", "/tasks?page=1&per_page=5", token=token)
    moved = call("transition", "POST", f"/tasks/{task['id']}/transitions", token=token, body={"to": "in_progress"}, headers={"Idempotency-Key": str(uuid.uuid4())})

    bad_page = call("list with a bad page", "GET", "/tasks?page=abc", token=token, expected=400)

    admin = call(
        "admin login",
        "POST",
        "/auth/login",
        body={"email": os.environ["TASKWIRE_ADMIN_EMAIL"], "password": os.environ["TASKWIRE_ADMIN_PASSWORD"]},
    )
    assigned = call(
        "assign",
        "PUT",
        f"/tasks/{task['id']}/assignee",
        token=admin["token"],
        body={"assigneeId": user["id"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    print(
        json.dumps(
            {
                "userId": user["id"],
                "taskId": task["id"],
                "replayTaskId": replay["id"],
                "listedIds": [item["id"] for item in listing["data"]],
                "meta": listing["meta"],
                "movedState": moved["state"],
                "badPageCode": bad_page["error"]["code"],
                "badPagePaths": [detail["path"] for detail in bad_page["error"]["details"]],
                "assigneeId": assigned["assigneeId"],
                "finalVersion": assigned["version"],
            }
        )
    )


if __name__ == "__main__":
    try:
        main()
    except ApiError as error:
        print(f"python client failed at {error}", file=sys.stderr)
        sys.exit(1)
