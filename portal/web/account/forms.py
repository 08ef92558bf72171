from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from portal.web.forms import PortalForm


class LanguageForm(PortalForm):
    # Each language names itself, in either language.
    language = RadioField(
        _l("Which language should we use for your pages, emails and text messages?"),
        choices=[SelectChoice("cy", "Cymraeg"), SelectChoice("en", "English")],
        # Our own message for a value that is not offered, not WTForms' English one.
        validate_choice=False,
        validators=[InputRequired(_l("Select the language we should use")),
                    AnyOf(["cy", "en"], message=_l("Select the language we should use"))],
    )
