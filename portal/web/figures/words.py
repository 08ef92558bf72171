"""What each published dataset and column is called and holds, in the page's
language: shown on the page, and in both languages in the CSV on the Web metadata.
Every column of figures.DATASETS has its words here (a test checks)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Each dataset: its title, and one sentence on what it counts.
DATASETS: dict[str, tuple[LazyString, LazyString]] = {
    "care-at-home": (
        _l("People receiving care and support at home"),
        _l("People with a care and support plan in force for care at home at the end of each "
           "week, and how many of them arrange their own care with a direct payment.")),
    "home-care-visits": (
        _l("Home care visits"),
        _l("Home care visits planned to start in each week, and whether the care worker came "
           "on time, came late, did not come (missed), or the visit was cancelled.")),
    "visits-today": (
        _l("Home care visits today so far"),
        _l("Home care visits planned to start today, up to the time these figures were "
           "updated, by how they went: on time, late, missed (the care worker did not come) "
           "or cancelled. A visit still under way is not counted yet. Updated every minute.")),
    "hours-of-care": (
        _l("Hours of home care planned and delivered"),
        _l("The planned length of each week's home care visits, and the time care workers "
           "actually spent at them.")),
    "waiting-for-care": (
        _l("People waiting for care at home"),
        _l("People assessed as needing care at home whose care had not started at the end of "
           "each week, and how many days they had waited (the median).")),
    "waiting-now": (
        _l("How long people have waited for care at home"),
        _l("People waiting now for their care at home to start, by how long they have "
           "waited.")),
    "carers-assessments": (
        _l("Carer's needs assessments"),
        _l("Carer's needs assessments that unpaid carers asked for in each week, online or "
           "otherwise, and assessments done in each week.")),
    "assessment-requests": (
        _l("Assessments of care and support needs asked for online"),
        _l("Assessments of care and support needs asked for through this service in each "
           "week, by people for themselves or for someone else, the requests the council "
           "first contacted the asker about in each week, and how many days that took (the "
           "median).")),
    "financial-assessments": (
        _l("Financial assessments asked for online"),
        _l("Financial assessments of what people pay for care at home, asked for through "
           "this service in each week, those the council decided in each week, and how many "
           "days it took to decide them (the median).")),
    "reviews-online": (
        _l("Reviews asked for online"),
        _l("Reviews of a care and support plan or a carer's support plan asked for through "
           "this service in each week, and how long the council took to confirm them, in "
           "hours.")),
    "payments-online": (
        _l("Payments made online"),
        _l("Payments towards the cost of care started through this service in each week and "
           "finished, and how many went through.")),
    "messages-sent": (
        _l("Emails, text messages and letters sent"),
        _l("Messages this service sent in each week, by how they were sent, and the "
           "percentage of emails and text messages that reached the person. (A letter's "
           "last news is that it was posted.)")),
    "messages-by-language": (
        _l("Messages sent, by language"),
        _l("Messages this service sent in the last week shown, by how they were sent and in "
           "which language.")),
    "welsh-language": (
        _l("People who chose Welsh"),
        _l("People who began to use this service in each week and chose a language, and "
           "how many chose Welsh.")),
    "acting-for-someone": (
        _l("Acting for someone"),
        _l("People who looked at someone else's care in this service in each week, by what "
           "lets them act for that person.")),
}

# Each column: its title, and what it holds. Columns with the same name mean the
# same in every dataset, except where a dataset gives its own.
_WEEK = {
    "week_start": (_l("Week starting"), _l("The Monday the week starts.")),
    "week_end": (_l("Week ending"), _l("The Sunday the week ends.")),
    "week_complete": (_l("Full week"), _l("Always true: only weeks that are over are "
                                          "published.")),
}
_COUNT = _l("Rounded to the nearest 5; <5 means fewer than 5.")
_PERCENT_OF_VISITS = _l("Percentage of visits. Empty when it could show a count under 5.")
# Visits by how they went, in each dataset that counts them.
_BY_OUTCOME = {
    "on_time": (_l("On time"), _COUNT),
    "late": (_l("Late"), _COUNT),
    "missed": (_l("Missed"), _COUNT),
    "cancelled": (_l("Cancelled"), _COUNT),
    "on_time_percent": (_l("On time (%)"), _PERCENT_OF_VISITS),
    "late_percent": (_l("Late (%)"), _PERCENT_OF_VISITS),
    "missed_percent": (_l("Missed (%)"), _PERCENT_OF_VISITS),
    "cancelled_percent": (_l("Cancelled (%)"), _PERCENT_OF_VISITS),
}
COLUMNS: dict[str, dict[str, tuple[LazyString, LazyString]]] = {
    "care-at-home": {
        "people_receiving_care": (_l("People receiving care at home"), _COUNT),
        "direct_payments": (_l("Of whom, through a direct payment"), _COUNT),
    },
    "home-care-visits": {
        "visits": (_l("Visits"), _COUNT),
        **_BY_OUTCOME,
    },
    "visits-today": {
        "day": (_l("Day"), _l("The day counted, up to the time the figures were updated.")),
        "visits": (_l("Visits so far"), _COUNT),
        **_BY_OUTCOME,
    },
    "hours-of-care": {
        "hours_planned": (_l("Hours planned"), _l("Rounded to the nearest 10 hours.")),
        "hours_delivered": (_l("Hours delivered"), _l("Rounded to the nearest 10 hours.")),
        "delivered_percent": (_l("Delivered (%)"), _l("Hours delivered as a percentage of hours "
                                                      "planned.")),
    },
    "waiting-for-care": {
        "people_waiting": (_l("People waiting"), _COUNT),
        "median_days_waited": (_l("Days waited (median)"), _l("Empty when fewer than 10 people "
                                                              "were waiting.")),
    },
    "waiting-now": {
        "waited": (_l("Waited"), _l("under-4-weeks, 4-to-12-weeks or over-12-weeks.")),
        "people_waiting": (_l("People waiting"), _COUNT),
    },
    "carers-assessments": {
        "asked_for": (_l("Asked for"), _COUNT),
        "done": (_l("Done"), _COUNT),
    },
    "assessment-requests": {
        "asked_online": (_l("Asked for online"), _COUNT),
        "first_contacted": (_l("First contacted"), _COUNT),
        "median_days_to_first_contact": (_l("Days to first contact (median)"),
                                         _l("Empty when fewer than 10 were contacted.")),
    },
    "financial-assessments": {
        "asked_online": (_l("Asked for online"), _COUNT),
        "decided": (_l("Decided"), _COUNT),
        "median_days_to_decide": (_l("Days to decide (median)"),
                                  _l("Empty when fewer than 10 were decided.")),
    },
    "reviews-online": {
        "asked_for": (_l("Asked for"), _COUNT),
        "confirmed": (_l("Confirmed"), _COUNT),
        "median_hours_to_confirm": (_l("Hours to confirm (median)"),
                                    _l("Empty when fewer than 10 were confirmed.")),
        "p90_hours_to_confirm": (_l("Hours to confirm (90th percentile)"),
                                 _l("9 in 10 were confirmed within this time. Empty when fewer "
                                    "than 20 were confirmed.")),
    },
    "payments-online": {
        "payments": (_l("Payments"), _COUNT),
        "succeeded": (_l("Went through"), _COUNT),
        "success_percent": (_l("Went through (%)"), _l("Empty when it could show a count "
                                                       "under 5.")),
    },
    "messages-sent": {
        "email": (_l("Emails"), _COUNT),
        "text": (_l("Text messages"), _COUNT),
        "letter": (_l("Letters"), _COUNT),
        "email_delivered_percent": (_l("Emails that reached the person (%)"),
                                    _l("Empty when it could show a count under 5.")),
        "text_delivered_percent": (_l("Text messages that reached the person (%)"),
                                   _l("Empty when it could show a count under 5.")),
    },
    "messages-by-language": {
        "channel": (_l("Sent by"), _l("email, text or letter.")),
        "language": (_l("Language"), _l("cy (Welsh), en (English) or cy+en (both, Welsh "
                                        "first).")),
        "sent": (_l("Sent"), _COUNT),
        "delivered": (_l("Reached the person"), _COUNT),
        "delivered_percent": (_l("Reached the person (%)"), _l("Empty when it could show a "
                                                               "count under 5.")),
    },
    "welsh-language": {
        "people": (_l("People who began and chose a language"), _COUNT),
        "chose_welsh": (_l("Chose Welsh"), _COUNT),
        "welsh_percent": (_l("Chose Welsh (%)"), _l("Empty when it could show a count "
                                                    "under 5.")),
    },
    "acting-for-someone": {
        "given_in_portal": (_l("Access given in this service"), _COUNT),
        "lasting_power_of_attorney": (_l("Lasting power of attorney"), _COUNT),
        "deputyship": (_l("Deputyship"), _COUNT),
        "advocacy": (_l("Advocacy"), _COUNT),
        "best_interests": (_l("Best-interests decision"), _COUNT),
    },
}

# Codes in the data, as the page says them.
CODES: dict[str, LazyString] = {
    "under-4-weeks": _l("Under 4 weeks"),
    "4-to-12-weeks": _l("4 to 12 weeks"),
    "over-12-weeks": _l("Over 12 weeks"),
    "email": _l("Email"),
    "text": _l("Text message"),
    "letter": _l("Letter"),
    "cy": _l("Welsh"),
    "en": _l("English"),
    "cy+en": _l("Welsh and English"),
}


# The area of a council's figures, in every council dataset.
_AREA: dict[str, tuple[LazyString, LazyString]] = {
    "area_code": (_l("Area code"), _l(
        "The GSS code of the council whose figures these are (W06...), or W92000004 for "
        "every council this service serves, together.")),
    "area_name_en": (_l("Area name in English"), _l("The area's name in English.")),
    "area_name_cy": (_l("Area name in Welsh"), _l("The area's name in Welsh.")),
}


def column(dataset: str, name: str) -> tuple[LazyString, LazyString]:
    """A column's title and description."""
    return _WEEK.get(name) or _AREA.get(name) or COLUMNS[dataset][name]
