"""The short references people read out on the phone: RV-7KQM-2XPD for a review,
PY-H4TN-9BWC for a payment, CA-3MRT-8QWX for a carer's needs assessment, VR- for a
report about a visit, CH- for a change told to the council, AS- for a request
for an assessment of care and support needs, EP- for a carer's emergency plan, FA-
for a financial assessment, CR- for asking the council to look at its decision again,
DP- for a direct payment return.
No 0/O, 1/I/L: nothing to mishear or mistype."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REVIEW = "RV"
PAYMENT = "PY"
CARER_ASSESSMENT = "CA"
VISIT_REPORT = "VR"
CHANGE = "CH"
FINANCIAL_ASSESSMENT = "FA"
CHARGING_REVIEW = "CR"
DIRECT_PAYMENT_RETURN = "DP"
ASSESSMENT_REQUEST = "AS"
EMERGENCY_PLAN = "EP"


def new(prefix: str) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{code[:4]}-{code[4:]}"
