"""Demo identities the sandbox provider can sign in as. Each `sub` is shaped like
One Login's pairwise subject identifiers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    sub: str
    name: str
    email: str
    phone_number: str
    description_en: str
    description_cy: str


IDENTITIES = [
    Identity("urn:fdc:gov.uk:2022:gwen-morgan-7Qx2", "Gwen Morgan", "gwen.morgan@example.com",
             "+447700900101", "Draws on home care; prefers Welsh",
             "Yn cael gofal cartref; mae'n well ganddi Gymraeg"),
    Identity("urn:fdc:gov.uk:2022:dafydd-hughes-Lm41", "Dafydd Hughes",
             "dafydd.hughes@example.com", "+447700900102", "Has direct payments",
             "Yn cael taliadau uniongyrchol"),
    Identity("urn:fdc:gov.uk:2022:eleri-price-Za90", "Eleri Price", "eleri.price@example.com",
             "+447700900103", "Had a missed and a late visit this week",
             "Wedi colli ymweliad ac wedi cael ymweliad hwyr yr wythnos hon"),
    Identity("urn:fdc:gov.uk:2022:owen-jenkins-Pp07", "Owen Jenkins", "owen.jenkins@example.com",
             "+447700900104", "Has no care and support plan yet",
             "Heb gynllun gofal a chymorth eto"),
    Identity("urn:fdc:gov.uk:2022:sian-morgan-Hd33", "Siân Morgan", "sian.morgan@example.com",
             "+447700900105", "Unpaid carer for her mother, Gwen Morgan",
             "Gofalwr di-dâl i'w mam, Gwen Morgan"),
    Identity("urn:fdc:gov.uk:2022:rhys-thomas-Ad12", "Rhys Thomas", "rhys.thomas@example.org",
             "+447700900106", "Independent advocate for Eleri Price and Dafydd Hughes",
             "Eiriolwr annibynnol i Eleri Price a Dafydd Hughes"),
    Identity("urn:fdc:gov.uk:2022:huw-hughes-Qe28", "Huw Hughes", "huw.hughes@example.com",
             "+447700900108", "Dafydd's brother; asked the council for a carer's assessment",
             "Brawd Dafydd; wedi gofyn i'r cyngor am asesiad gofalwr"),
    Identity("urn:fdc:gov.uk:2022:nerys-pritchard-Wn63", "Nerys Pritchard",
             "nerys.pritchard@example.com", "+447700900109",
             "Looks after her neighbour, who has no council care; prefers Welsh",
             "Yn gofalu am ei chymydog, sydd heb ofal gan y cyngor; mae'n well ganddi Gymraeg"),
    Identity("urn:fdc:gov.uk:2022:new-person-Xy55", "Alex Smith", "alex.smith@example.com",
             "+447700900107", "Someone with no care record", "Rhywun heb gofnod gofal"),
]

BY_SUB = {identity.sub: identity for identity in IDENTITIES}
