"""The words of every email, text message and letter, kept here in Welsh and English.

Notify does not translate, so each message has a Notify template per language,
or one bilingual template (Welsh first) when we do not know the recipient's
language. Template ids come from configuration (NOTIFY_TEMPLATE_IDS); embedded
mode seeds the sandbox with these texts under stable ids."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from portal.clock import LONDON

BILINGUAL = "cy+en"
LANGUAGES = ("cy", "en")
BABEL_LOCALES = {"cy": "cy", "en": "en_GB"}


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    channel: str   # email, sms or letter
    language: str  # cy, en or cy+en
    body: str
    subject: str | None = None
    # Whether people may stop this kind of message (a reminder, say), and its emails
    # carry a one-step link to do so. Never a code, a receipt, a change to what was
    # booked, or a warning: those are sent to everyone who should have them.
    may_stop: bool = False

    @property
    def name(self) -> str:
        return f"{self.key}-{self.channel}-{self.language}"


TEMPLATES = [
    MessageTemplate(
        "invitation", "email", BILINGUAL,
        subject="Cod i weithredu ar ran ((person_name)) / Code to act for ((person_name))",
        body=(
            "Mae ((person_name)) wedi eich ychwanegu fel rhywun sy'n gallu gweithredu ar eu "
            "rhan yn y gwasanaeth Eich gofal a chymorth.\n\n"
            "Eich cod yw: ((code))\n\n"
            "Mewngofnodwch, ewch i 'Pobl rydych chi'n eu helpu', dewiswch 'Mae gen i god gan "
            "rywun arall' a rhowch y cod. Mae'n gweithio unwaith ac yn dod i ben ar "
            "((expires_cy)).\n\n"
            "---\n\n"
            "((person_name)) has added you as someone who can act for them in the Your care "
            "and support service.\n\n"
            "Your code is: ((code))\n\n"
            "Sign in, go to 'People you help', choose 'I have a code from someone else' and "
            "enter the code. It works once and expires on ((expires_en))."
        ),
    ),
    MessageTemplate(
        "invitation", "sms", BILINGUAL,
        body=(
            "Mae ((person_name)) wedi eich ychwanegu i weithredu ar eu rhan. Cod: ((code)). "
            "Yn dod i ben ((expires_cy)).\n"
            "((person_name)) has added you to act for them. Code: ((code)). "
            "Expires ((expires_en))."
        ),
    ),
]



def _in_both(key: str, cy: tuple[str, str, str], en: tuple[str, str, str],
             may_stop: bool = False) -> list[MessageTemplate]:
    """A message's email (subject, body) and text message, in Welsh and in English."""
    return [template
            for language, (subject, body, sms) in (("cy", cy), ("en", en))
            for template in (MessageTemplate(key, "email", language, body, subject, may_stop),
                             MessageTemplate(key, "sms", language, sms, may_stop=may_stop))]


# Every review message has: plan_of (whose plan, and which: plan_of()), when, how,
# reference and url.
TEMPLATES += _in_both(
    "review-booked",
    cy=("Adolygiad wedi'i drefnu: ((when))",
        "Mae adolygiad o ((plan_of)) wedi'i drefnu.\n\n"
        "Pryd: ((when))\nSut: ((how))\nCyfeirnod: ((reference))\n\n"
        "I'w ychwanegu at eich calendr, ei symud neu ei ganslo, mewngofnodwch ac ewch i "
        "Eich ceisiadau:\n((url))",
        "Mae adolygiad o ((plan_of)) wedi'i drefnu: ((when)), "
        "((how)). Cyfeirnod ((reference)). I'w newid: ((url))"),
    en=("Review booked: ((when))",
        "The review of ((plan_of)) is booked.\n\n"
        "When: ((when))\nHow: ((how))\nReference: ((reference))\n\n"
        "To add it to your calendar, move it or cancel it, sign in and go to Your requests:"
        "\n((url))",
        "The review of ((plan_of)) is booked: ((when)), ((how)). "
        "Reference ((reference)). To change it: ((url))"),
)
TEMPLATES += _in_both(
    "review-moved",
    cy=("Adolygiad wedi'i symud i ((when_mutated))",
        "Mae adolygiad o ((plan_of)) wedi'i symud.\n\n"
        "Amser newydd: ((when))\nSut: ((how))\nCyfeirnod: ((reference))\n\n"
        "I'w weld neu ei newid, mewngofnodwch ac ewch i Eich ceisiadau:\n((url))",
        "Mae adolygiad o ((plan_of)) wedi'i symud i "
        "((when_mutated)), "
        "((how)). Cyfeirnod ((reference)). I'w newid: ((url))"),
    en=("Review moved to ((when))",
        "The review of ((plan_of)) has moved.\n\n"
        "New time: ((when))\nHow: ((how))\nReference: ((reference))\n\n"
        "To see it or change it, sign in and go to Your requests:\n((url))",
        "The review of ((plan_of)) has moved to ((when)), "
        "((how)). Reference ((reference)). To change it: ((url))"),
)
TEMPLATES += _in_both(
    "review-cancelled",
    cy=("Adolygiad wedi'i ganslo",
        "Mae adolygiad o ((plan_of)) ar ((when_mutated)) wedi'i "
        "ganslo.\n\nCyfeirnod: ((reference))\n\n"
        "Gallwch drefnu adolygiad arall unrhyw bryd:\n((url))",
        "Mae adolygiad o ((plan_of)) ar ((when_mutated)) "
        "wedi'i ganslo. "
        "Cyfeirnod ((reference))."),
    en=("Review cancelled",
        "The review of ((plan_of)) on ((when)) has been "
        "cancelled.\n\nReference: ((reference))\n\n"
        "You can book another review at any time:\n((url))",
        "The review of ((plan_of)) on ((when)) has been "
        "cancelled. Reference ((reference))."),
)
TEMPLATES += _in_both(
    "review-reminder",
    cy=("Nodyn atgoffa: adolygiad yfory, ((when))",
        "Dyma nodyn i'ch atgoffa bod adolygiad o ((plan_of)) "
        "yfory.\n\nPryd: ((when))\nSut: ((how))\nCyfeirnod: ((reference))\n\n"
        "Os oes angen ei symud, mewngofnodwch ac ewch i Eich ceisiadau:\n((url))\n\n"
        "Os nad ydych chi eisiau nodiadau atgoffa fel hyn, gallwch eu stopio yma:\n"
        "((stop_url))",
        "Nodyn atgoffa: mae adolygiad o ((plan_of)) yfory, "
        "((when)), ((how)). Cyfeirnod ((reference))."),
    en=("Reminder: review tomorrow, ((when))",
        "This is a reminder that the review of ((plan_of)) is "
        "tomorrow.\n\nWhen: ((when))\nHow: ((how))\nReference: ((reference))\n\n"
        "If you need to move it, sign in and go to Your requests:\n((url))\n\n"
        "If you do not want reminders like this, you can stop them here:\n((stop_url))",
        "Reminder: the review of ((plan_of)) is tomorrow, "
        "((when)), ((how)). Reference ((reference))."),
    may_stop=True,
)
TEMPLATES += _in_both(
    "review-not-booked",
    cy=("Nid oedd modd trefnu'r adolygiad",
        "Nid oedd modd trefnu adolygiad o ((plan_of)) ar "
        "((when_mutated)): nid yw'r amser hwnnw ar gael mwyach.\n\nCyfeirnod: ((reference))\n\n"
        "Dewiswch amser arall:\n((url))",
        "Nid oedd modd trefnu adolygiad o ((plan_of)) ar "
        "((when_mutated)): nid yw'r amser ar gael mwyach. Dewiswch amser arall: ((url))"),
    en=("We could not book the review",
        "We could not book the review of ((plan_of)) for "
        "((when)): that time is no longer free.\n\nReference: ((reference))\n\n"
        "Please choose another time:\n((url))",
        "We could not book the review of ((plan_of)) for "
        "((when)): that time is no longer free. Choose another: ((url))"),
)
TEMPLATES += _in_both(
    "payment-receipt",
    cy=("Derbynneb: taliad o ((amount)) am anfoneb ((invoice_number))",
        "Diolch. Rydyn ni wedi cael taliad o ((amount)) am anfoneb ((invoice_number)) ar gyfer "
        "gofal a chymorth ((person_name)).\n\nDyddiad: ((paid_on))\n"
        "Cyfeirnod y taliad: ((reference))\n\nI weld y dderbynneb, mewngofnodwch ac ewch i "
        "Eich taliadau:\n((url))",
        "Diolch. Rydyn ni wedi cael ((amount)) am anfoneb ((invoice_number)), gofal "
        "((person_name)). Cyfeirnod y taliad: ((reference))."),
    en=("Receipt: payment of ((amount)) for invoice ((invoice_number))",
        "Thank you. We have received a payment of ((amount)) for invoice ((invoice_number)) "
        "for the care and support of ((person_name)).\n\nDate: ((paid_on))\n"
        "Payment reference: ((reference))\n\nTo see the receipt, sign in and go to Your "
        "charges:\n((url))",
        "Thank you. We have received ((amount)) for invoice ((invoice_number)), care of "
        "((person_name)). Payment reference: ((reference))."),
)

TEMPLATES += _in_both(
    "link-attempt",
    cy=("Mae rhywun wedi ceisio cysylltu â'ch cofnod gofal",
        "Mae rhywun wedi mewngofnodi i'r gwasanaeth Eich gofal a chymorth ac wedi rhoi rhif "
        "cyfeirnod y cyngor a dyddiad geni sy'n cyfateb i'ch rhai chi, er mwyn cysylltu eu "
        "mewngofnodi nhw â'ch cofnod gofal chi.\n\n"
        "Mae eich cofnod wedi'i gysylltu â'ch mewngofnodi chi, felly nid oedd modd iddyn nhw "
        "ei weld.\n\n"
        "Os mai chi oedd hyn, does dim angen i chi wneud dim. Os nad chi oedd hyn, neu os "
        "ydych chi'n poeni, cysylltwch â'r cyngor:\n((url))\n\n"
        "Dim ond unwaith y dydd y byddwn ni'n anfon y neges hon.",
        "Mae rhywun wedi ceisio cysylltu eu mewngofnodi â'ch cofnod gofal. Nid oedd modd "
        "iddyn nhw ei weld. Os nad chi oedd hyn, cysylltwch â'r cyngor: ((url))"),
    en=("Someone tried to link to your care record",
        "Someone signed in to the Your care and support service and entered a council "
        "reference number and date of birth that match yours, to link their sign-in to your "
        "care record.\n\n"
        "Your record is linked to your own sign-in, so they could not see it.\n\n"
        "If this was you, you do not need to do anything. If it was not you, or you are "
        "worried, contact the council:\n((url))\n\n"
        "We send this message at most once a day.",
        "Someone tried to link their sign-in to your care record. They could not see it. "
        "If it was not you, contact the council: ((url))"),
)

# Every carer's assessment message has: cared_for_name, reference and url.
TEMPLATES += _in_both(
    "carer-assessment-received",
    cy=("Mae gan y cyngor eich cais am asesiad o anghenion gofalwr",
        "Mae gan y cyngor eich cais am asesiad o anghenion gofalwr, fel rhywun sy'n gofalu "
        "am ((cared_for_name)).\n\nCyfeirnod: ((reference))\n\n"
        "Bydd rhywun o'r cyngor yn cysylltu â chi i drefnu'r asesiad. Mae'r asesiad am eich "
        "anghenion chi, ac am beth sy'n bwysig i chi.\n\n"
        "Gallwch ddilyn eich cais yma:\n((url))",
        "Mae gan y cyngor eich cais am asesiad o anghenion gofalwr. Cyfeirnod ((reference)). "
        "Bydd rhywun yn cysylltu â chi i'w drefnu."),
    en=("The council has your request for a carer's needs assessment",
        "The council has your request for a carer's needs assessment, as someone who looks "
        "after ((cared_for_name)).\n\nReference: ((reference))\n\n"
        "Someone from the council will contact you to arrange the assessment. It is about "
        "your own needs, and what matters to you.\n\n"
        "You can follow your request here:\n((url))",
        "The council has your request for a carer's needs assessment. Reference "
        "((reference)). Someone will contact you to arrange it."),
)
TEMPLATES += _in_both(
    "carer-assessment-urgent",
    cy=("Brys: mae gan y cyngor eich cais am asesiad o anghenion gofalwr",
        "Fe ddywedoch chi na allwch chi, neu nad ydych chi eisiau, dal ati i ofalu am "
        "((cared_for_name)). Does dim rhaid i chi ddal ati.\n\n"
        "Mae gan y cyngor eich cais am asesiad o anghenion gofalwr, ac mae'n ei drin fel "
        "mater brys: bydd rhywun yn cysylltu â chi o fewn un diwrnod gwaith i sôn am beth "
        "sy'n digwydd nesaf, i chi ac i ((cared_for_name)).\n\n"
        "Cyfeirnod: ((reference))\n\n"
        "Os oes unrhyw un mewn perygl nawr, ffoniwch 999.\n\n"
        "Gallwch ddilyn eich cais yma:\n((url))",
        "Mae gan y cyngor eich cais brys am asesiad o anghenion gofalwr. Cyfeirnod "
        "((reference)). Bydd rhywun yn cysylltu â chi o fewn un diwrnod gwaith."),
    en=("Urgent: the council has your request for a carer's needs assessment",
        "You told us you cannot or do not want to carry on caring for ((cared_for_name)). "
        "You do not have to carry on.\n\n"
        "The council has your request for a carer's needs assessment and is treating it as "
        "urgent: someone will contact you within one working day to talk about what happens "
        "next, for you and for ((cared_for_name)).\n\n"
        "Reference: ((reference))\n\n"
        "If anyone is in danger now, call 999.\n\n"
        "You can follow your request here:\n((url))",
        "The council has your urgent request for a carer's needs assessment. Reference "
        "((reference)). Someone will contact you within one working day."),
)

# Every message about a request for an assessment of care and support needs has:
# person_name (who needs help), reference and url. It goes to whoever asked, by the
# way and in the language they chose, signed in or not.
TEMPLATES += _in_both(
    "assessment-request-received",
    cy=("Mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth",
        "Mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth ar gyfer "
        "((person_name)).\n\nCyfeirnod: ((reference))\n\n"
        "Bydd rhywun o'r cyngor yn cysylltu â chi i sôn am beth sy'n bwysig, ac i drefnu "
        "asesiad os oes angen un. Rhowch y cyfeirnod os byddwch chi'n ffonio'r cyngor.\n\n"
        "Os gwnaethoch chi fewngofnodi i ofyn, gallwch ddilyn y cais yma:\n((url))",
        "Mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth ar gyfer "
        "((person_name)). Cyfeirnod ((reference)). Bydd rhywun yn cysylltu â chi."),
    en=("The council has the request for an assessment of care and support needs",
        "The council has the request for an assessment of care and support needs for "
        "((person_name)).\n\nReference: ((reference))\n\n"
        "Someone from the council will contact you to talk about what matters, and to "
        "arrange an assessment if one is needed. Give the reference if you phone the "
        "council.\n\n"
        "If you signed in to ask, you can follow the request here:\n((url))",
        "The council has the request for an assessment of care and support needs for "
        "((person_name)). Reference ((reference)). Someone will contact you."),
)
TEMPLATES += _in_both(
    "assessment-request-urgent",
    cy=("Brys: mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth",
        "Mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth ar gyfer "
        "((person_name)), ac mae'n ei drin fel mater brys: bydd rhywun yn cysylltu â chi "
        "o fewn un diwrnod gwaith.\n\nCyfeirnod: ((reference))\n\n"
        "Os oes unrhyw un mewn perygl nawr, ffoniwch 999. Os oes angen help ar rywun cyn "
        "i'r cyngor gysylltu, ffoniwch linell y cyngor y tu allan i oriau.\n\n"
        "Os gwnaethoch chi fewngofnodi i ofyn, gallwch ddilyn y cais yma:\n((url))",
        "Mae gan y cyngor y cais brys am asesiad ar gyfer ((person_name)). Cyfeirnod "
        "((reference)). Bydd rhywun yn cysylltu o fewn un diwrnod gwaith. Mewn perygl "
        "nawr? Ffoniwch 999."),
    en=("Urgent: the council has the request for an assessment of care and support needs",
        "The council has the request for an assessment of care and support needs for "
        "((person_name)) and is treating it as urgent: someone will contact you within "
        "one working day.\n\nReference: ((reference))\n\n"
        "If anyone is in danger now, phone 999. If someone needs help before the council "
        "contacts you, phone the council's out-of-hours line.\n\n"
        "If you signed in to ask, you can follow the request here:\n((url))",
        "The council has the urgent request for an assessment for ((person_name)). "
        "Reference ((reference)). Someone will contact you within one working day. In "
        "danger now? Phone 999."),
)

# Every message about a carer asking for access has: person_name, carer_name,
# relationship and url.
TEMPLATES += _in_both(
    "access-asked",
    cy=("Mae ((carer_name)) wedi gofyn am gael gweithredu ar eich rhan",
        "Mae ((carer_name)) wedi gofyn am gael gweithredu ar eich rhan yn y gwasanaeth Eich "
        "gofal a chymorth.\n\nSut maen nhw'n eich adnabod chi, yn eu geiriau nhw: "
        "((relationship))\n\n"
        "Chi sy'n penderfynu. Gallwch chi ddewis beth gallan nhw ei wneud, neu ddweud na. "
        "Fyddan nhw ddim yn gallu gweld dim nes i chi ddweud ie.\n\n"
        "Mewngofnodwch ac ewch i Pwy sy'n gallu gweithredu ar eich rhan:\n((url))\n\n"
        "Os nad ydych chi'n adnabod ((carer_name)), dywedwch na, a chysylltwch â'r cyngor.",
        "Mae ((carer_name)) wedi gofyn am gael gweithredu ar eich rhan. Chi sy'n penderfynu: "
        "((url))"),
    en=("((carer_name)) has asked to act for you",
        "((carer_name)) has asked to act for you in the Your care and support service.\n\n"
        "How they know you, in their words: ((relationship))\n\n"
        "It is your decision. You can choose what they can do, or say no. They cannot see "
        "anything until you say yes.\n\n"
        "Sign in and go to Who can act for you:\n((url))\n\n"
        "If you do not know ((carer_name)), say no, and contact the council.",
        "((carer_name)) has asked to act for you. It is your decision: ((url))"),
)
TEMPLATES += _in_both(
    "access-accepted",
    cy=("Mae ((person_name)) wedi dweud y cewch chi weithredu ar eu rhan",
        "Mae ((person_name)) wedi dweud ie i'ch cais i weithredu ar eu rhan.\n\n"
        "I weld beth gallwch chi ei wneud, mewngofnodwch ac ewch i Pobl rydych chi'n eu "
        "helpu:\n((url))",
        "Mae ((person_name)) wedi dweud y cewch chi weithredu ar eu rhan. Gweld beth gallwch "
        "chi ei wneud: ((url))"),
    en=("((person_name)) has let you act for them",
        "((person_name)) has said yes to your request to act for them.\n\n"
        "To see what you can do, sign in and go to People you help:\n((url))",
        "((person_name)) has let you act for them. See what you can do: ((url))"),
)
TEMPLATES += _in_both(
    "access-declined",
    cy=("Ymateb ((person_name)) i'ch cais",
        "Mae ((person_name)) wedi penderfynu peidio â gadael i chi weithredu ar eu rhan yn "
        "y gwasanaeth hwn.\n\n"
        "Os ydych chi'n dal i ofalu amdanyn nhw, mae gennych chi hawliau eich hun fel "
        "gofalwr. Gallwch chi ofyn am asesiad o anghenion gofalwr:\n((url))",
        "Mae ((person_name)) wedi penderfynu peidio â gadael i chi weithredu ar eu rhan."),
    en=("((person_name))'s answer to your request",
        "((person_name)) has decided not to let you act for them in this service.\n\n"
        "If you still look after them, you have rights of your own as a carer. You can ask "
        "for a carer's needs assessment:\n((url))",
        "((person_name)) has decided not to let you act for them."),
)

# A report about a visit: person_name, when and when_mutated (the visit's time),
# reference and url.
TEMPLATES += _in_both(
    "visit-report-received",
    cy=("Mae gan y cyngor eich adroddiad am ymweliad",
        "Mae gan y cyngor yr adroddiad am ymweliad gofal cartref ((person_name)) ar "
        "((when_mutated)).\n\nCyfeirnod: ((reference))\n\n"
        "Bydd y cyngor yn edrych arno ac yn ateb. Gallwch chi weld ei ateb yn Eich "
        "ceisiadau:\n((url))\n\nOs oes unrhyw un mewn perygl nawr, ffoniwch 999.",
        "Mae gan y cyngor yr adroddiad am ymweliad ((person_name)). Cyfeirnod ((reference)). "
        "Gweld ei ateb: ((url))"),
    en=("The council has your report about a visit",
        "The council has the report about ((person_name))'s home care visit on ((when))."
        "\n\nReference: ((reference))\n\n"
        "The council will look into it and answer. You can see its answer in Your "
        "requests:\n((url))\n\nIf anyone is in danger now, call 999.",
        "The council has the report about ((person_name))'s visit. Reference ((reference)). "
        "See its answer: ((url))"),
)

# A change told to the council: person_name, what (CHANGE_KINDS), reference and url.
TEMPLATES += _in_both(
    "change-received",
    cy=("Mae'r cyngor wedi cael y newid y dywedoch chi wrtho amdano",
        "Mae'r cyngor wedi cael yr hyn a ddywedoch chi wrtho ar gyfer ((person_name)): "
        "((what)).\n\nCyfeirnod: ((reference))\n\n"
        "Gallwch chi weld beth mae'r cyngor yn ei wneud amdano yn Eich ceisiadau:\n((url))"
        "\n\nOs oes unrhyw un mewn perygl nawr, ffoniwch 999.",
        "Mae'r cyngor wedi cael yr hyn a ddywedoch chi wrtho ar gyfer ((person_name)): "
        "((what)). Cyfeirnod ((reference)). Ei ddilyn: ((url))"),
    en=("The council has received the change you told it about",
        "The council has received what you told it for ((person_name)): ((what))."
        "\n\nReference: ((reference))\n\n"
        "You can see what the council does about it in Your requests:\n((url))"
        "\n\nIf anyone is in danger now, call 999.",
        "The council has received what you told it for ((person_name)): ((what)). "
        "Reference ((reference)). Follow it: ((url))"),
)

# A request for a financial assessment the council has: person_name, reference and url.
TEMPLATES += _in_both(
    "financial-assessment-received",
    cy=("Mae gan y cyngor eich cais am asesiad ariannol",
        "Mae gan y cyngor y cais am asesiad ariannol ar gyfer ((person_name)), gyda'r "
        "dystiolaeth a anfonwyd.\n\nCyfeirnod: ((reference))\n\n"
        "Bydd y cyngor yn penderfynu beth fydd ((person_name)) yn ei dalu bob wythnos ac yn "
        "dweud pam. Gallwch chi weld ei benderfyniad yn Eich ceisiadau:\n((url))",
        "Mae gan y cyngor y cais am asesiad ariannol ar gyfer ((person_name)). Cyfeirnod "
        "((reference)). Ei ddilyn: ((url))"),
    en=("The council has your request for a financial assessment",
        "The council has the request for a financial assessment for ((person_name)), with "
        "the evidence sent.\n\nReference: ((reference))\n\n"
        "The council will decide what ((person_name)) pays a week and say why. You can see "
        "its decision in Your requests:\n((url))",
        "The council has the request for a financial assessment for ((person_name)). "
        "Reference ((reference)). Follow it: ((url))"),
)

# Asking the council to look again at its decision on a financial assessment, which the
# council has: person_name, reference and url.
TEMPLATES += _in_both(
    "charging-review-received",
    cy=("Mae'r cyngor wedi cael eich cais iddo edrych eto ar ei benderfyniad",
        "Mae'r cyngor wedi cael y cais iddo edrych eto ar ei benderfyniad am yr hyn y bydd "
        "((person_name)) yn ei dalu am ofal a chymorth, a'r rhesymau a roddwyd.\n\n"
        "Cyfeirnod: ((reference))\n\n"
        "Bydd y cyngor yn edrych ar y penderfyniad eto ac yn dweud beth mae'n ei benderfynu, "
        "a pham. Gallwch chi ei weld yn Eich ceisiadau:\n((url))",
        "Mae'r cyngor wedi cael y cais iddo edrych eto ar ei benderfyniad am yr hyn y bydd "
        "((person_name)) yn ei dalu. Cyfeirnod ((reference)). Ei ddilyn: ((url))"),
    en=("The council has your request to look at its decision again",
        "The council has the request to look again at its decision on what ((person_name)) "
        "pays for care and support, with the reasons given.\n\nReference: ((reference))\n\n"
        "The council will look at the decision again and say what it decides, and why. You "
        "can see it in Your requests:\n((url))",
        "The council has the request to look again at its decision on what "
        "((person_name)) pays. Reference ((reference)). Follow it: ((url))"),
)

# A direct payment's return the council has: person_name, reference and url.
TEMPLATES += _in_both(
    "direct-payment-return-received",
    cy=("Mae gan y cyngor eich ffurflen wariant taliadau uniongyrchol",
        "Mae gan y cyngor y ffurflen wariant taliadau uniongyrchol ar gyfer ((person_name)), "
        "gyda'r derbynebau a anfonwyd.\n\nCyfeirnod: ((reference))\n\n"
        "Gallwch chi weld ei ateb yn Eich ceisiadau:\n((url))",
        "Mae gan y cyngor y ffurflen wariant taliadau uniongyrchol ar gyfer ((person_name)). "
        "Cyfeirnod ((reference)). Ei dilyn: ((url))"),
    en=("The council has your direct payment return",
        "The council has the direct payment return for ((person_name)), with the receipts "
        "sent.\n\nReference: ((reference))\n\n"
        "You can see its answer in Your requests:\n((url))",
        "The council has the direct payment return for ((person_name)). Reference "
        "((reference)). Follow it: ((url))"),
)

# A message from the care team has come: url only. Never what it says, nor whose care
# it is about (it may be read on a locked phone).
TEMPLATES += _in_both(
    "message-arrived",
    cy=("Neges newydd gan y tîm gofal",
        "Mae gennych chi neges newydd gan y tîm gofal.\n\nMewngofnodwch i'w darllen:\n((url))",
        "Mae gennych chi neges newydd gan y tîm gofal. Mewngofnodwch i'w darllen: ((url))"),
    en=("New message from the care team",
        "You have a new message from the care team.\n\nSign in to read it:\n((url))",
        "You have a new message from the care team. Sign in to read it: ((url))"),
)

# The council would not take a message sent from the portal: url only, as above.
TEMPLATES += _in_both(
    "message-not-taken",
    cy=("Doedd y tîm gofal ddim yn gallu cymryd eich neges",
        "Doedd y tîm gofal ddim yn gallu cymryd neges a anfonoch chi. Gallwch ei gweld o "
        "hyd, a'i hanfon eto fel neges newydd.\n\nMewngofnodwch i'w gweld:\n((url))",
        "Doedd y tîm gofal ddim yn gallu cymryd neges a anfonoch chi. Mewngofnodwch i'w "
        "gweld a'i hanfon eto: ((url))"),
    en=("The care team could not take your message",
        "The care team could not take a message you sent. You can still see it, and send "
        "it again as a new message.\n\nSign in to see it:\n((url))",
        "The care team could not take a message you sent. Sign in to see it and send it "
        "again: ((url))"),
)

# Each kind of change, in each language, for messages.
CHANGE_KINDS = {
    "cy": {"going-into-hospital": "mynd i'r ysbyty",
           "home-from-hospital": "dod adref o'r ysbyty",
           "new-address": "cyfeiriad newydd", "new-phone": "rhif ffôn newydd",
           "needs-changed": "anghenion sydd wedi newid",
           "carer-stopping": "gofalwr nad yw'n gallu helpu mwyach"},
    "en": {"going-into-hospital": "going into hospital",
           "home-from-hospital": "coming home from hospital",
           "new-address": "a new address", "new-phone": "a new phone number",
           "needs-changed": "needs that have changed",
           "carer-stopping": "a carer who can no longer help"},
}

# How a review happens, in each language, for messages.
REVIEW_MODES = {
    "cy": {"home": "gartref", "phone": "dros y ffôn", "video": "drwy alwad fideo",
           "office": "yn swyddfa'r cyngor"},
    "en": {"home": "at home", "phone": "by phone", "video": "by video call",
           "office": "at a council office"},
}



def _letters(emails: list[MessageTemplate]) -> list[MessageTemplate]:
    """Each email as a letter, for people who chose post: in Welsh, in English, and in
    both (Welsh first) for someone whose language we do not know."""
    letters = [MessageTemplate(t.key, "letter", t.language, t.body, t.subject, t.may_stop)
               for t in emails]
    by_language = {(t.key, t.language): t for t in emails}
    for key in dict.fromkeys(t.key for t in emails):
        cy, en = by_language.get((key, "cy")), by_language.get((key, "en"))
        if cy and en and (key, BILINGUAL) not in by_language:
            letters.append(MessageTemplate(
                key, "letter", BILINGUAL,
                f"{_each_in(cy.body, 'cy')}\n\n---\n\n{_each_in(en.body, 'en')}",
                f"{_each_in(cy.subject or '', 'cy')} / {_each_in(en.subject or '', 'en')}",
                cy.may_stop))
    return letters


def _each_in(text: str, language: str) -> str:
    """A template's placeholders as in_language names them for this language."""
    return re.sub(r"\(\(([^)]+)\)\)", lambda m: f"(({m.group(1)}_{language}))", text)


def in_language(language: str, values: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """A message's personalisation in its language; in both for a message in both (a
    letter to someone whose language we do not know), each value as name_cy and name_en."""
    if language != BILINGUAL:
        return values(language)
    return {f"{name}_{each}": value for each in ("cy", "en")
            for name, value in values(each).items()}


# Visits as they happen, on the day: each has visit (cy: "eich ymweliad 8am heddiw",
# "ymweliad 8am Gwen Morgan heddiw"), visit_start (en, to begin a sentence: "Your 8am
# visit today") and url; never the notes, never a care worker's full name. People
# choose to have each (VISIT_ALERTS), and may stop each in one step.
TEMPLATES += _in_both(
    "visit-late",
    cy=("Nid yw ymweliad wedi dechrau",
        "Nid yw ((visit)) wedi dechrau. Mae'r tîm gofal yn gwybod. ((expected))\n\n"
        "Byddwn yn rhoi gwybod i chi pan fydd yn dechrau.\n\n"
        "Gweld yr ymweliadau:\n((url))",
        "Nid yw ((visit)) wedi dechrau. Mae'r tîm gofal yn gwybod. ((expected))"
        "Byddwn yn rhoi gwybod i chi pan fydd yn dechrau."),
    en=("A visit has not started",
        "((visit_start)) has not started. The care team has been told. ((expected))\n\n"
        "We will tell you when it starts.\n\n"
        "See the visits:\n((url))",
        "((visit_start)) has not started. The care team has been told. ((expected))"
        "We will tell you when it starts."),
    may_stop=True,
)
TEMPLATES += _in_both(
    "visit-missed",
    cy=("Ymweliad wedi'i fethu",
        "Methwyd ((visit)): ni ddaeth y gweithiwr gofal. Mae'r tîm gofal yn gwybod.\n\n"
        "Os oes angen help arnoch nawr, ffoniwch y cyngor ar ((phone)). Os oes rhywun "
        "mewn perygl, ffoniwch 999.\n\n"
        "Gweld yr ymweliadau:\n((url))",
        "Methwyd ((visit)): ni ddaeth y gweithiwr gofal. Mae'r tîm gofal yn gwybod. "
        "Angen help nawr? Ffoniwch ((phone))."),
    en=("A visit was missed",
        "((visit_start)) was missed: the care worker did not come. The care team has been "
        "told.\n\n"
        "If you need help now, phone the council on ((phone)). If someone is in danger, "
        "phone 999.\n\n"
        "See the visits:\n((url))",
        "((visit_start)) was missed: the care worker did not come. The care team has been "
        "told. Need help now? Phone ((phone))."),
    may_stop=True,
)
TEMPLATES += _in_both(
    "visit-changed",
    cy=("Ymweliad wedi newid",
        "Mae ((visit)) ((change)).\n\nGweld yr ymweliadau:\n((url))",
        "Mae ((visit)) ((change))."),
    en=("A visit has changed",
        "((visit_start)) ((change)).\n\nSee the visits:\n((url))",
        "((visit_start)) ((change))."),
    may_stop=True,
)
# The second message about a late visit: it has started, or the council settled it.
TEMPLATES += _in_both(
    "visit-started",
    cy=("Mae'r ymweliad wedi dechrau",
        "Mae ((visit)) wedi dechrau: cyrhaeddodd y gweithiwr gofal am ((arrived)).\n\n"
        "Gweld yr ymweliadau:\n((url))",
        "Mae ((visit)) wedi dechrau: cyrhaeddodd y gweithiwr gofal am ((arrived))."),
    en=("The visit has started",
        "((visit_start)) has started: the care worker arrived at ((arrived)).\n\n"
        "See the visits:\n((url))",
        "((visit_start)) has started: the care worker arrived at ((arrived))."),
)
# The alerts people may choose to have: none is sent to anyone who has not.
VISIT_ALERTS = ("visit-late", "visit-missed", "visit-changed")
# By email or text only: an alert that came by post would come too late to help.
NOT_BY_POST = (*VISIT_ALERTS, "visit-started")


def visit_words(planned_start: datetime, person_name: str | None, language: str
                ) -> dict[str, str]:
    """How a visit today is named in a message: the person's own ("your 8am visit
    today"), or someone else's ("Gwen Morgan's 8am visit today")."""
    at = time_of_day(planned_start, language)
    if language == "cy":
        visit = f"ymweliad {at} {person_name} heddiw" if person_name \
            else f"eich ymweliad {at} heddiw"
        return {"visit": visit, "visit_start": visit[0].upper() + visit[1:]}
    visit = f"{person_name}'s {at} visit today" if person_name else f"your {at} visit today"
    return {"visit": visit, "visit_start": visit[0].upper() + visit[1:]}


TEMPLATES += _letters([t for t in TEMPLATES if t.channel == "email"
                       and t.key not in NOT_BY_POST])
BY_NAME = {t.name: t for t in TEMPLATES}
# The kinds of message people may stop, by key.
STOPPABLE = tuple(dict.fromkeys(t.key for t in TEMPLATES if t.may_stop))


# Times of day as the GOV.UK style guide writes them: 9am, 5:30pm, midday, midnight.
# Welsh keeps "am" and "pm", as LLYW.CYMRU does, with "hanner dydd" and "hanner nos"
# (no preposition mutates them: "am hanner dydd", "i hanner nos").
TIME_WORDS = {"cy": {0: "hanner nos", 12: "hanner dydd"}, "en": {0: "midnight", 12: "midday"}}


def time_of_day(moment: datetime, language: str) -> str:
    """9am, 5:30pm, midday, midnight (Welsh: hanner dydd, hanner nos), in Wales."""
    local = moment.astimezone(LONDON)
    if local.minute == 0 and local.hour in TIME_WORDS[language]:
        return TIME_WORDS[language][local.hour]
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when(moment: datetime, language: str, after_preposition: bool = False) -> str:
    """dydd Llun 30 Tachwedd 2026 am 10am / Monday 30 November 2026 at 10am.

    after_preposition: the Welsh as it reads after "i", "ar", "o" or "tan", whose
    soft mutation turns "dydd" into "ddydd" ("wedi'i symud i ddydd Gwener")."""
    said = format_datetime(moment, "EEEE d MMMM yyyy", tzinfo=LONDON,
                           locale=BABEL_LOCALES[language])
    said = f"{said} {'am' if language == 'cy' else 'at'} {time_of_day(moment, language)}"
    return in_sentence(said, language, after_preposition)


def in_sentence(said: str, language: str, after_preposition: bool = False) -> str:
    """A phrase that begins with a day name, as it reads mid-sentence.

    Welsh day names are lower case there ("dydd Llun", never "Dydd Llun"), and take
    the soft mutation after "i", "ar", "o" or "tan" ("i ddydd Gwener")."""
    if language != "cy":
        return said
    said = said[0].lower() + said[1:]
    return "d" + said if after_preposition and said.startswith("dydd ") else said


# Which plan a review is of, as the review messages name it. Welsh reads after "o"
# ("adolygiad o gynllun ..."), so takes the soft mutation.
PLANS_OF = {
    "cy": {"care": "gynllun gofal a chymorth {name}",
           "carer": "gynllun cymorth {name} fel gofalwr"},
    "en": {"care": "{name}'s care and support plan", "carer": "{name}'s support plan as a carer"},
}


def plan_of(plan: str, person_name: str, language: str) -> str:
    """gynllun gofal a chymorth Gwen Morgan / Gwen Morgan's care and support plan."""
    return PLANS_OF[language][plan].format(name=person_name)


def sandbox_template_ids() -> dict[str, str]:
    """Stable ids for the sandbox's copy of each template."""
    return {t.name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"care-portal/{t.name}"))
            for t in TEMPLATES}



def day(value: date | datetime, language: str) -> str:
    """30 Tachwedd 2026 / 30 November 2026."""
    return str(format_date(value, "d MMMM yyyy", locale=BABEL_LOCALES[language]))


def money(pence: int, language: str) -> str:
    """£24.10."""
    return str(format_currency(pence / 100, "GBP", locale=BABEL_LOCALES[language]))
