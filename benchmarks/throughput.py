"""Pages a second under gunicorn, configured as the repository configures it
(portal/gunicorn_config.py), with the sandboxes as a process of their own.

    PYTHONPATH=. .venv/bin/python benchmarks/throughput.py [seconds] [at-once]   (make bench)

Gwen signs in; then `at-once` clients (default 32) ask for a page over and over
for `seconds` (default 10). Printed, side by side: the help page's rate signed in
÷ signed out (what being signed in costs a request; goal at least 0.6); the plan
page's rate ÷ the
help page's (which reads nothing from the back office) with the back office
answering at once, warm cache (goal at least 0.7); and the plan page's rate and
p50 with the back office answering in 50 ms. The back office's answers are kept
in Redis when TEST_REDIS_URL (or BENCH_REDIS_URL) names one, else not kept.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import parse_qs, urlsplit

import requests

from benchmarks import stack
from benchmarks.stack import load
from portal.sandbox.identity.identities import IDENTITIES


def sign_in(url: str, who: str, reference: str, birth: tuple[str, str, str]) -> dict[str, str]:
    """The cookies of a browser that signed in (and linked) through the sandbox provider.
    The portal marks its cookie Secure; like a browser on 127.0.0.1, this sends it anyway."""
    browser = requests.Session()

    def get(address: str, **options: object) -> requests.Response:
        answer = browser.get(address, allow_redirects=False, **options)  # type: ignore[arg-type]
        for cookie in browser.cookies:
            cookie.secure = False
        return answer

    authorize = get(f"{url}/sign-in").headers["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(authorize).query).items()}
    sub = next(i.sub for i in IDENTITIES if i.name == who)
    answer = requests.post(authorize.split("?")[0],
                           data={**query, "sub": sub}, allow_redirects=False, timeout=10)
    get(answer.headers["Location"])
    form = get(f"{url}/link-your-record").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if token:
        browser.post(f"{url}/link-your-record", allow_redirects=False, data={
            "csrf_token": token[1], "council_reference": reference, "birth_date-day": birth[0],
            "birth_date-month": birth[1], "birth_date-year": birth[2]})
    cookies = browser.cookies.get_dict()
    check = get(f"{url}/your-care/plan")
    if check.status_code != 200:
        raise SystemExit(f"could not sign in: {check.status_code} {check.headers}")
    return cookies


def main(seconds: float, at_once: int) -> None:
    with stack.running() as running:
        url = running.url
        cookies = sign_in(url, "Gwen Morgan", "C104233", ("14", "3", "1941"))
        faults = f"http://127.0.0.1:{running.ports['backoffice']}/_sandbox/faults"
        print(f"gunicorn as configured; {at_once} clients at once for {seconds:.0f} s each; "
              f"back-office answers kept: {'in Redis' if running.redis_url else 'no'}")
        requests.get(f"{url}/your-care/plan", cookies=cookies, timeout=10)  # warm
        signed_out, signed_out_p50 = load(f"{url}/help", {}, seconds, at_once)
        information, information_p50 = load(f"{url}/help", cookies, seconds, at_once)
        print(f"help signed out {signed_out:.0f}/s (p50 {signed_out_p50:.0f} ms), signed in "
              f"{information:.0f}/s (p50 {information_p50:.0f} ms); signed in ÷ signed out = "
              f"{information / signed_out:.2f} (goal at least 0.6)")
        plan, plan_p50 = load(f"{url}/your-care/plan", cookies, seconds, at_once)
        print(f"back office at 0 ms:  help {information:.0f}/s (p50 {information_p50:.0f} ms)"
              f", plan {plan:.0f}/s (p50 {plan_p50:.0f} ms); plan ÷ help = "
              f"{plan / information:.2f} (goal at least 0.7)")
        requests.put(faults, json={"latency_seconds": 0.05}, timeout=5)
        slow, slow_p50 = load(f"{url}/your-care/plan", cookies, seconds, at_once)
        print(f"back office at 50 ms: plan {slow:.0f}/s, p50 {slow_p50:.0f} ms")

if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2
         else 32)
