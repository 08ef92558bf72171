"""Words for the back office's codes, in the page's language. One place, so two
pages that show a visit's status say it the same way. Every table here (an
upper-case name) is a template global by that name.

Where one English word needs different Welsh by what it describes, it has a
message context (_lp): an invoice (anfoneb, feminine) is "wedi'i thalu", a visit
or a review (masculine) "wedi'i ganslo"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

VISIT_STATUS = {
    "booked": (_l("Booked"), "govuk-tag--grey"),
    "due": (_l("Due now"), "govuk-tag--light-blue"),
    "on-the-way": (_l("On the way"), "govuk-tag--light-blue"),
    "in-progress": (_l("Happening now"), "govuk-tag--blue"),
    "completed": (_l("Completed"), "govuk-tag--green"),
    "late": (_l("Late"), "govuk-tag--yellow"),
    "missed": (_l("Missed"), "govuk-tag--red"),
    "cancelled": (_lp("visit", "Cancelled"), "govuk-tag--grey"),
    "moved": (_lp("visit", "Moved"), "govuk-tag--purple"),
}

# A prompt to take a medicine, as the care worker recorded it.
MEDICINE_OUTCOMES = {
    "given": _l("Given"),
    "taken": _l("Taken"),
    "refused": _l("Refused"),
}

OUTCOME_RATING = {
    "in-progress": _l("Working towards it"),
    "improving": _l("Getting better"),
    "worsening": _l("Getting worse"),
    "no-change": _l("No change"),
    "achieved": _l("Achieved"),
    "sustaining": _l("Keeping it up"),
    "not-achieved": _l("Not achieved"),
    "no-progress": _l("No progress yet"),
    "not-attainable": _l("Not possible at the moment"),
}

PAYMENT_FREQUENCY = {
    "weekly": _l("%(amount)s a week"),
    "four-weekly": _l("%(amount)s every 4 weeks"),
    "monthly": _l("%(amount)s a month"),
}

# The messages people may do without and stop (portal.messages.STOPPABLE), as a
# choice is labelled, and as they read in a sentence.
STOPPABLE_NAMES = {
    "review-reminder": (_l("Reminders the day before a review"),
                        _l("reminders the day before a review")),
    "visit-late": (_l("Alerts when a visit has not started on time, and when it starts"),
                   _l("alerts when a visit has not started on time")),
    "visit-missed": (_l("Alerts when a visit is missed"), _l("alerts when a visit is missed")),
    "visit-changed": (_l("Alerts when a visit today is cancelled or moved"),
                      _l("alerts when a visit today is cancelled or moved")),
}

SCOPE_NAMES = {
    "plan": _l("See the care and support plan and visits"),
    "reviews": _l("Book and change reviews"),
    "money": _l("See and pay care charges"),
    "notifications": _l("Get emails or texts about the care"),
    "messages": _l("Read and send messages to the care team"),
}

# What an audit event records, keyed by the page's endpoint.
# Every page about a person's care, and (with ":changed") every form sent on one.
AUDIT_ACTIONS = {
    "care.home": _l("Looked at the summary of your care"),
    "care.plan": _l("Looked at your care and support plan"),
    "care.visits": _l("Looked at your visits"),
    "care.visit": _l("Looked at one of your visits and what was done"),
    "reviews.reason": _l("Started booking a review"),
    "reviews.reason:changed": _l("Answered a question about booking a review"),
    "reviews.mode": _l("Started booking a review"),
    "reviews.mode:changed": _l("Answered a question about booking a review"),
    "reviews.when": _l("Looked at the times free for a review"),
    "reviews.when:changed": _l("Answered a question about booking a review"),
    "reviews.anything_else": _l("Started booking a review"),
    "reviews.anything_else:changed": _l("Answered a question about booking a review"),
    "reviews.check": _l("Checked the answers for booking a review"),
    "reviews.check:changed": _l("Booked a review"),
    "reviews.requests": _l("Looked at your requests"),
    "reviews.detail": _l("Looked at a review"),
    "reviews.confirmation": _l("Looked at a review"),
    "reviews.calendar": _l("Added a review to a calendar"),
    "reviews.move": _l("Looked at the times free for a review"),
    "reviews.move:changed": _l("Chose a new time for a review"),
    "reviews.move_check": _l("Looked at moving a review"),
    "reviews.move_check:changed": _l("Moved a review"),
    "reviews.cancel": _l("Looked at cancelling a review"),
    "reviews.cancel:changed": _l("Cancelled a review"),
    "charges.charges_page": _l("Looked at your charges"),
    "charges.invoice": _l("Looked at an invoice"),
    "charges.pay:changed": _l("Started paying an invoice"),
    "charges.returned": _l("Came back from paying an invoice"),
    "charges.receipt": _l("Looked at a payment receipt"),
    "financial_assessment.start": _l("Started asking for a financial assessment"),
    "financial_assessment.carry_over:changed": _l("Started asking for a financial assessment"),
    "financial_assessment.home": _l("Started asking for a financial assessment"),
    "financial_assessment.home:changed": _l("Answered a question for a financial assessment"),
    "financial_assessment.check": _l("Checked a request for a financial assessment"),
    "financial_assessment.check:changed": _l("Asked for a financial assessment"),
    "financial_assessment.detail": _l("Looked at a request for a financial assessment"),
    "financial_assessment.look_again": _l("Started asking the council to look again at a "
                                          "financial assessment"),
    "financial_assessment.look_again:changed": _l("Asked the council to look again at a "
                                                  "financial assessment"),
    "direct_payments.account": _l("Looked at the direct payment account"),
    "direct_payments.send_return": _l("Started a direct payment return"),
    "direct_payments.send_return:changed": _l("Sent a direct payment return"),
    "direct_payments.detail": _l("Looked at a direct payment return"),
    "visit_reports.what": _l("Started reporting a visit"),
    "visit_reports.what:changed": _l("Answered a question about reporting a visit"),
    "visit_reports.risk": _l("Started reporting a visit"),
    "visit_reports.risk:changed": _l("Answered a question about reporting a visit"),
    "visit_reports.details": _l("Started reporting a visit"),
    "visit_reports.details:changed": _l("Answered a question about reporting a visit"),
    "visit_reports.check": _l("Checked a report about a visit"),
    "visit_reports.check:changed": _l("Reported a visit"),
    "visit_reports.detail": _l("Looked at a report about a visit"),
    "changes.start": _l("Started telling the council about a change"),
    "changes.start:changed": _l("Started telling the council about a change"),
    "changes.question": _l("Started telling the council about a change"),
    "changes.question:changed": _l("Answered a question about a change"),
    "changes.check": _l("Checked a change before telling the council"),
    "changes.check:changed": _l("Told the council about a change"),
    "changes.detail": _l("Looked at a change told to the council"),
    "documents.letters": _l("Looked at letters and documents"),
    "documents.download": _l("Downloaded a letter or document"),
    "conversations.inbox": _l("Looked at messages with the care team"),
    "conversations.new": _l("Started a message to the care team"),
    "conversations.new:changed": _l("Sent a message to the care team"),
    "conversations.conversation": _l("Read messages with the care team"),
    "conversations.conversation:changed": _l("Sent a message to the care team"),
    "conversations.attachment": _l("Downloaded a file from a message"),
}

# Each legal power, as the person it is about reads it on their own page.
AUTHORITY_TYPES = {
    "lpa-health-welfare": _l("Lasting power of attorney for health and welfare"),
    "lpa-property-financial": _l("Lasting power of attorney for property and financial affairs"),
    "deputyship-health-welfare": _l("Deputy for health and welfare, appointed by the court"),
    "deputyship-property-financial": _l(
        "Deputy for property and financial affairs, appointed by the court"),
    "advocacy": _l("Advocate"),
    "best-interests": _l("Carer, by a decision the council made in your best interests"),
}

# Why someone may act for a person, as "People you help" lists it.
BASIS_NAMES = {
    "code": _l("Access they gave you with a code"),
    "lpa-health-welfare": _l("Lasting power of attorney for health and welfare"),
    "lpa-property-financial": _l("Lasting power of attorney for property and financial affairs"),
    "deputyship-health-welfare": _l("Deputyship for health and welfare, from the court"),
    "deputyship-property-financial": _l(
        "Deputyship for property and financial affairs, from the court"),
    "advocacy": _l("Advocacy arrangement"),
    "best-interests": _l("A decision the council made in their best interests"),
}

# What a page refused says, by the basis the actor holds: each basis covers only part.
NOT_COVERED = {
    "code": _l("%(name)s has not given you access to this part of their care."),
    "lpa-health-welfare": _l("The lasting power of attorney for health and welfare that you "
                             "hold for %(name)s does not cover this part of their care."),
    "lpa-property-financial": _l("The lasting power of attorney for property and financial "
                                 "affairs that you hold for %(name)s does not cover this part "
                                 "of their care."),
    "deputyship-health-welfare": _l("The court order that makes you deputy for the health and "
                                    "welfare of %(name)s does not cover this part of their care."),
    "deputyship-property-financial": _l("The court order that makes you deputy for the property "
                                        "and financial affairs of %(name)s does not cover this "
                                        "part of their care."),
    "advocacy": _l("Your advocacy arrangement for %(name)s does not cover this part of their "
                   "care."),
    "best-interests": _l("The decision the council made in the best interests of %(name)s "
                         "does not cover this part of their care."),
}

# Who someone acting for a person is, as the access log says it.
ACTOR_ROLES = {
    "carer": _l("Someone you chose"),
    "attorney": _l("Attorney"),
    "deputy": _l("Deputy"),
    "advocate": _l("Advocate"),
    "best-interests": _l("Carer, by a best-interests decision"),
}

REASON_NAMES = {
    "plan-due": _l("The plan is due for review"),
    "changed": _l("Something has changed"),
    "other": _l("Another reason"),
}

REVIEW_MODES = {
    "home": _l("At home"),
    "phone": _l("By phone"),
    "video": _l("By video call"),
    "office": _l("At a council office"),
}

LANGUAGE_SUPPORT_NAMES = {
    "none": _l("No"),
    "welsh-speaker": _l("A Welsh-speaking worker"),
    "interpreter": _l("An interpreter"),
}

REQUEST_STATUS = {
    "requested": (_l("Requested"), "govuk-tag--blue"),
    "booked": (_l("Confirmed"), "govuk-tag--green"),
    "move-requested": (_l("Move requested"), "govuk-tag--blue"),
    "cancel-requested": (_l("Cancellation requested"), "govuk-tag--blue"),
    "cancelled": (_lp("review", "Cancelled"), "govuk-tag--grey"),
    "not-booked": (_l("Not booked"), "govuk-tag--red"),
    "done": (_l("Done"), "govuk-tag--grey"),
}

TIMELINE_STEPS = {
    "requested": _l("Requested"),
    "confirmed": _l("Confirmed by the council"),
    "move-requested": _l("Asked to move"),
    "moved": _l("Moved"),
    "not-moved": _l("Could not move: the time was taken"),
    "cancel-requested": _l("Asked to cancel"),
    "cancelled": _lp("review", "Cancelled"),
    "not-booked": _l("Could not book: the time was taken"),
    "done": _l("Review done"),
}

INVOICE_KINDS = {
    "home-care": _l("Home care"),
    "direct-payment-contribution": _l("Contribution to direct payments"),
}

INVOICE_STANDING = {
    "overdue": (_l("Overdue"), "govuk-tag--red"),
    "due": (_l("Due"), "govuk-tag--yellow"),
    "paid": (_lp("invoice", "Paid"), "govuk-tag--green"),
    "cancelled": (_lp("invoice", "Cancelled"), "govuk-tag--grey"),
}

# A carer's needs assessment: the answers a carer can give, as the pages show them.
# Welsh answers yes and no with the question's verb: "Ydw" (I am), "Ydyn" (they are).
LIVE_TOGETHER_NAMES = {
    "yes": _lp("I do", "Yes"),
    "no": _lp("I do", "No"),
}

COUNCIL_CARE_NAMES = {
    "yes": _lp("they do", "Yes"),
    "no": _lp("they do", "No"),
    "not-sure": _l("I'm not sure"),
}

CARING_TASKS = {
    "personal-care": _l("Personal care, like washing, dressing or going to the toilet"),
    "medicines": _l("Medicines"),
    "meals": _l("Cooking and meals"),
    "housework": _l("Housework and laundry"),
    "shopping": _l("Shopping and errands"),
    "getting-about": _l("Getting about, including to appointments"),
    "emotional-support": _l("Company and emotional support"),
    "watching-over": _l("Keeping them safe, including at night"),
    "money-and-paperwork": _l("Money, bills and paperwork"),
    "other": _l("Other"),
}

CARING_HOURS = {
    "under-20": _l("Under 20 hours"),
    "20-34": _l("20 to 34 hours"),
    "35-49": _l("35 to 49 hours"),
    "50-or-more": _l("50 hours or more"),
}

CARRY_ON_NAMES = {
    "yes": _lp("I am", "Yes"),
    "with-more-support": _l("Yes, but only with more support"),
    "no": _l("No, I cannot or do not want to carry on caring"),
}

WHAT_MATTERS_NAMES = {
    "work": _l("Work, or getting back to work"),
    "learning": _l("Learning or training"),
    "health": _l("My own health"),
    "sleep": _l("Sleep"),
    "time-for-myself": _l("Time for myself, friends and family"),
    "other": _l("Other"),
}

CARER_CONTACT_BY = {
    "email": _l("By email"),
    "phone": _l("By phone"),
}

# Each language names itself.
LANGUAGE_NAMES = {"cy": "Cymraeg", "en": "English"}

CARER_REQUEST_STATUS = {
    "requested": (_l("Sending to the council"), "govuk-tag--blue"),
    "received": (_l("Received by the council"), "govuk-tag--blue"),
    "contacted": (_l("The council has been in touch"), "govuk-tag--blue"),
    "assessment-booked": (_l("Assessment booked"), "govuk-tag--green"),
    "assessed": (_l("Assessed"), "govuk-tag--green"),
    "plan-agreed": (_l("Support plan agreed"), "govuk-tag--green"),
    "closed": (_l("Closed"), "govuk-tag--grey"),
}

CARER_REQUEST_STEPS = {
    "requested": _l("You asked for an assessment"),
    "received": _l("The council received your request"),
    "contacted": _l("The council got in touch with you"),
    "assessment-booked": _l("Your assessment was booked"),
    "assessed": _l("You were assessed"),
    "plan-agreed": _l("Your support plan was agreed"),
    "closed": _l("The request was closed"),
}

# Asking for an assessment of care and support needs.
URGENCY_NAMES = {
    "at-risk-now": _l("Yes, someone is in danger or at risk of harm now"),
    "soon": _l("No, but help is needed in the next few days"),
    "not-urgent": _l("No, it is not urgent"),
}
RELATION_NAMES = {
    "self": _l("I do"),
    "someone-else": _l("Someone else: a relative, friend or neighbour"),
    "advocate": _l("Someone I am an advocate for"),
}
AGREEMENT_NAMES = {
    "agreed": _l("Yes, they agree"),
    "lacks-capacity": _l("They cannot decide this for themselves"),
    "at-risk": _l("They do not agree, but I think they are at risk of abuse or neglect"),
    "does-not-agree": _l("They do not want help"),
}
ADVOCATE_NAMES = {
    "wanted": _l("Yes, an advocate would help"),
    "not-wanted": _l("No, an advocate is not needed"),
    "not-sure": _l("Not sure"),
}
ASSESSMENT_REQUEST_STATUS = {
    "sent": (_l("Sending to the council"), "govuk-tag--blue"),
    "received": (_l("Received by the council"), "govuk-tag--blue"),
    "contacted": (_l("The council has been in touch"), "govuk-tag--blue"),
    "assessment-booked": (_l("Assessment booked"), "govuk-tag--green"),
    "assessed": (_l("Assessed"), "govuk-tag--green"),
    "closed": (_l("Closed"), "govuk-tag--grey"),
}
ASSESSMENT_REQUEST_STEPS = {
    "sent": _l("You asked for an assessment"),
    "received": _l("The council received the request"),
    "contacted": _l("The council got in touch"),
    "assessment-booked": _l("The assessment was booked"),
    "assessed": _l("The assessment took place"),
    "closed": _l("The request was closed"),
}

# Reporting a missed or late visit.
VISIT_PROBLEM_NAMES = {
    "nobody-came": _l("Nobody came"),
    "came-late": _l("They came late"),
    "left-early": _l("They left early"),
    "someone-unexpected": _l("Someone we did not expect came"),
}

AT_RISK_NAMES = {
    "yes": _lp("there is", "Yes"),
    "no": _lp("there is", "No"),
}

# How far the council has got with a report or a change told to it here.
PROGRESS_STATUS = {
    "sent": (_l("Sending to the council"), "govuk-tag--blue"),
    "received": (_l("Received by the council"), "govuk-tag--blue"),
    "in-progress": (_l("The council is looking into it"), "govuk-tag--blue"),
    "completed": (_l("The council has answered"), "govuk-tag--green"),
}

# The council's steps; the first, sent from here, is named by what was sent.
PROGRESS_STEPS = {
    "received": _l("The council received it"),
    "in-progress": _l("The council started looking into it"),
    "completed": _l("The council answered"),
}

# Telling the council about a change.
CHANGE_KIND_NAMES = {
    "going-into-hospital": _l("Going into hospital"),
    "home-from-hospital": _l("Coming home from hospital"),
    "new-address": _l("A new address"),
    "new-phone": _l("A new phone number"),
    "needs-changed": _l("Needs have changed"),
    "carer-stopping": _l("A carer can no longer help"),
}

CHANGED_NEEDS = {
    "health": _l("Health, or a new illness"),
    "getting-about": _l("Getting about, or falls"),
    "memory": _l("Memory, or confusion"),
    "mood": _l("Mood or mental health"),
    "daily-living": _l("Managing at home: washing, dressing or meals"),
    "other": _l("Something else"),
}

# Letters and documents from the council.
DOCUMENT_TYPES = {
    "letter": _l("Letter"),
    "assessment": _l("Assessment"),
    "care-plan": _l("Care and support plan"),
    "charging-letter": _l("Charging letter"),
}

# The figures of the charging rules (portal.charging_rules), as "Where the figures
# come from" names them.
CHARGING_FIGURES = {
    "weekly_maximum": _l("The most anyone pays a week"),
    "capital_limit": _l("Savings above which you pay the full cost"),
    "minimum_income_buffer": _l("Added to your basic entitlement to make the minimum income"),
    "pension_age_basic": _l("Basic entitlement at State Pension age (Pension Credit)"),
    "working_age_basic": _l("Basic entitlement under State Pension age (Income Support)"),
    "disability_premium": _l("Disability premium, under State Pension age"),
    "attendance_allowance_higher": _l("Attendance Allowance, higher rate"),
    "attendance_allowance_lower": _l("Attendance Allowance, lower rate"),
    "pip_daily_living_enhanced": _l("Personal Independence Payment daily living, enhanced rate"),
    "pip_daily_living_standard": _l("Personal Independence Payment daily living, standard rate"),
    "disability_benefits_counted": _l("How much of a disability benefit counts"),
    "night_part_counted_without_night_care": _l(
        "How much of Attendance Allowance's night-time part counts without care at night"),
    "earnings_counted": _l("How much of your earnings counts"),
    "pensions_counted": _l("How much of your pensions and Pension Credit counts"),
    "other_benefits_counted": _l("How much of Universal Credit counts"),
    "other_income_counted": _l("How much of other income counts"),
    "housing_costs_allowed": _l("How much of your housing costs is taken off"),
    "disability_costs_allowed": _l("How much of your extra costs of illness or disability is "
                                   "taken off"),
}

# The disability benefits "What will I pay" asks about, by answer.
DISABILITY_BENEFIT_NAMES = {
    "attendance-allowance-higher": _l("Attendance Allowance, higher rate"),
    "attendance-allowance-lower": _l("Attendance Allowance, lower rate"),
    "pip-enhanced": _l("Personal Independence Payment daily living, enhanced rate"),
    "pip-standard": _l("Personal Independence Payment daily living, standard rate"),
    "none": _l("No, neither of these"),
}

# What decided an estimate's weekly charge.
LIMITED_BY = {
    "afford": _l("What you can afford, as it is less than the most anyone pays"),
    "maximum": _l("The most anyone pays, as you can afford more"),
    "cost": _l("The cost of your care, as it is less than you can afford"),
    "capital": _l("The full cost of your care, up to the most anyone pays, because of your "
                  "savings"),
}

# Each kind of income on "What will I pay", by its answer.
INCOME_NAMES = {
    "disability_benefit": _l("Disability benefit"),
    "state_pension": _l("State Pension"),
    "pension_credit": _l("Pension Credit"),
    "universal_credit": _l("Universal Credit"),
    "other_pensions": _l("Other pensions"),
    "earnings": _l("Earnings from work"),
    "other_income": _l("Any other income"),
}

# What a direct payment was spent on, in a return.
SPENDING_NAMES = {
    "personal_assistants": _l("Personal assistants"),
    "agency_care": _l("Care from an agency"),
    "equipment": _l("Equipment"),
    "other": _l("Anything else"),
}
