"""Forms of the business plan: each part of the plan is one form (plus a row table for some).

Forms only clean and convert what was typed; saving is ``coaching.services``.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coaching.amounts import MAX_AMOUNT, AmountError, format_number, parse_amount
from coaching.budgets import LOANS, MONTHS, YEARS
from coaching.models import BusinessPlan

TEXT_MAX = 4000
# A plan needs a handful of fixed assets; more rows than this is a mistake or an attack.
MAX_ROWS = 25
MAX_RATE = Decimal("25")


# --- Fields ---------------------------------------------------------------------------------
class AmountInput(forms.TextInput):
    """A text box for money: the phone shows its number keyboard, saved amounts show Dutch."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control amount"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value)
        return super().format_value(value)


class AmountField(forms.Field):
    """An amount in euros typed the Dutch way (see ``coaching.amounts.parse_amount``)."""

    widget = AmountInput
    maximum = MAX_AMOUNT

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_amount(value, maximum=self.maximum)
        except AmountError as error:
            raise ValidationError(self.message_for(error), code=error.code) from error

    def message_for(self, error: AmountError) -> str:
        return error.message


class RateField(AmountField):
    """An interest rate in percent per year; ``9%`` is read as 9, the way most people write it."""

    maximum = MAX_RATE

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%")
        return super().to_python(value)

    def message_for(self, error):
        if error.code == "too_large":
            return _("Fill in an interest rate of at most 25%.")
        if error.code == "negative":
            return error.message
        # The amount messages speak of cents and euros, which is confusing for a percentage.
        return _("Fill in the interest as a number, for example 7,5.")


def text_field(label, help_text="", rows=4, max_length=TEXT_MAX):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def line_field(label, help_text="", max_length=120):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def year_label(year: int):
    return format_lazy(_("Year {year}"), year=year)


def to_json(value):
    """A cleaned value as ``PlanSection.data`` keeps it (JSON has no Decimal or date)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --- The base of every part -----------------------------------------------------------------
class SectionForm(forms.Form):
    """One part of the plan. ``version`` is the saved version the typing started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    rows_class = None  # a formset for a table of rows, if the part has one
    rows_prefix = ""

    def content(self) -> dict:
        return {
            name: to_json(value) for name, value in self.cleaned_data.items() if name != "version"
        }

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        """Stored data as initial values: amounts back to Decimal, dates back to dates."""
        return {name: _from_json(field, data.get(name)) for name, field in cls.base_fields.items()}

    @classmethod
    def field_names(cls) -> list[str]:
        return [name for name in cls.base_fields if name != "version"]


def _from_json(field, value):
    if value in (None, ""):
        return value
    if isinstance(field, AmountField):
        return Decimal(value)
    if isinstance(field, forms.DateField):
        return datetime.date.fromisoformat(value)
    return value


# --- De ondernemer --------------------------------------------------------------------------
class EntrepreneurForm(SectionForm):
    motivation = text_field(_("Why do you want to start your own business?"))
    education = text_field(
        _("Education and courses"),
        _("Write down schools, diplomas and courses, also short ones."),
    )
    experience = text_field(
        _("Work experience"), _("Where did you work, and what did you do there?")
    )
    strengths = text_field(_("What are you good at?"))
    development_points = text_field(_("What do you still want to learn?"))
    current_income = AmountField(
        label=_("Your income now, per month (€)"),
        help_text=_("For example your wages or benefit."),
    )
    own_capital = AmountField(
        label=_("Money of your own you can put in (€)"),
        help_text=_("Savings, or things you already own, such as tools."),
    )


# --- Het idee en de onderneming -------------------------------------------------------------
class LegalForm:
    CHOICES = [
        ("", _("choose")),
        ("eenmanszaak", _("sole proprietorship (eenmanszaak)")),
        ("vof", _("general partnership (vof)")),
        ("maatschap", _("partnership (maatschap)")),
        ("bv", _("private limited company (bv)")),
        ("stichting", _("foundation (stichting)")),
        ("other", _("other")),
        ("not_sure", _("not decided yet")),
    ]


class BusinessForm(SectionForm):
    description = text_field(_("What will your business do?"))
    products = text_field(_("Products or services"), _("What do you sell, and for what price?"))
    business_name = line_field(_("Name of the business"))
    location = text_field(
        _("Location"),
        _("Where will you work: a shop, at home, at customers'?"),
        rows=2,
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        help_text=_(
            "Most starters choose a sole proprietorship (eenmanszaak). Ask your coach if you "
            "are not sure."
        ),
        choices=LegalForm.CHOICES,
        required=False,
    )
    permits = text_field(
        _("Permits"), _("Which permits do you need, and do you have them?"), rows=2
    )
    insurances = text_field(
        _("Insurances"), _("For example liability, inventory, disability."), rows=2
    )
    bookkeeping = text_field(_("Bookkeeping"), _("Who keeps the books, and how?"), rows=2)
    start_date = forms.DateField(
        label=_("Planned start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    kvk_number = forms.CharField(
        label=_("KvK number (if you are registered already)"),
        help_text=_("8 digits."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value and not (1990 <= value.year <= 2100):
            raise ValidationError(_("Check the year."), code="year")
        return value

    def clean_kvk_number(self):
        number = re.sub(r"[\s.]", "", self.cleaned_data["kvk_number"])
        if number and not re.fullmatch(r"\d{8}", number):
            raise ValidationError(
                _("A KvK number has 8 digits. Leave it empty if you are not registered yet."),
                code="kvk",
            )
        return number


# --- Marketingplan --------------------------------------------------------------------------
class MarketingForm(SectionForm):
    research = text_field(
        _("Market research: what did you find out, and how?"),
        _("For example: people you asked, figures from the KvK, visits to competitors."),
        rows=5,
    )
    target_group = text_field(_("Target group: who are your customers?"))
    competitors = text_field(
        _("Competitors"),
        _("Who sells the same nearby? What do you do better or differently?"),
    )
    strengths = text_field(_("Strengths (of you and your business)"), rows=3)
    weaknesses = text_field(_("Weaknesses"), rows=3)
    opportunities = text_field(_("Opportunities (outside: what can help you?)"), rows=3)
    threats = text_field(_("Threats (outside: what can go wrong?)"), rows=3)
    product = text_field(_("Product: what exactly do you offer?"), rows=3)
    price = text_field(_("Price: what do you charge, and why?"), rows=3)
    place = text_field(_("Place: where and when can customers find you?"), rows=3)
    promotion = text_field(_("Promotion: how do customers get to know you?"), rows=3)
    personnel = text_field(_("Personnel: who works in the business?"), rows=3)


# --- a. Investeringsbegroting ---------------------------------------------------------------
class AssetForm(forms.Form):
    """One fixed asset: what it is, what it costs, in how many years it is written off."""

    description = line_field(_("Description"))
    amount = AmountField(label=_("Amount (€)"))
    years = forms.IntegerField(
        label=_("Years"),
        required=False,
        min_value=1,
        max_value=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control years"}),
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) not in (None, "") for name in ("description", "amount", "years")):
            return data  # an empty row is simply ignored
        if not data.get("description") and "description" not in self.errors:
            self.add_error("description", _("Fill in a description too."))
        if data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Fill in the amount too."))
        if data.get("years") is None and "years" not in self.errors:
            self.add_error("years", _("Fill in in how many years it wears out (often 5)."))
        return data


class RowFormSet(forms.BaseFormSet):
    """A table of rows where any row may be left empty; at most ``max_num`` filled rows."""

    default_error_messages = {
        "too_many_forms": _(
            "You can fill in at most %(num)d rows. Put small things together in one row."
        ),
        "too_few_forms": _("Fill in at least %(num)d rows."),
        "missing_management_form": _(
            "Some of the table was not sent. Reload the page and try again."
        ),
    }

    def initial_form_count(self):
        # Stored rows are not database objects: every row is an extra, optional form.
        return 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return len(self.initial or []) + 1  # the stored rows and one empty row to type in

    def rows(self) -> list[dict]:
        return [
            {name: to_json(value) for name, value in form.cleaned_data.items()}
            for form in self.forms
            if form.cleaned_data and any(v not in (None, "") for v in form.cleaned_data.values())
        ]


AssetFormSet = forms.formset_factory(
    AssetForm, formset=RowFormSet, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=200
)


class InvestmentForm(SectionForm):
    rows_class = AssetFormSet
    rows_prefix = "assets"

    stock = AmountField(label=_("Stock"), help_text=_("The goods you buy before you open."))
    startup_costs = AmountField(
        label=_("Start-up costs"),
        help_text=_("For example KvK registration, notary, advice, opening."),
    )
    vat = AmountField(
        label=_("VAT to pay in advance"),
        help_text=_(
            "You pay VAT on your purchases first and get it back later from the tax office."
        ),
    )
    contingency = AmountField(
        label=_("Contingencies"), help_text=_("A buffer for costs you did not think of.")
    )
    cash = AmountField(
        label=_("Cash (money in the bank at the start)"),
        help_text=_("This is also the opening balance of your cash-flow forecast."),
    )


# --- b. Financieringsbegroting --------------------------------------------------------------
LOAN_LABELS = {
    "qredits": _("Loan from Qredits"),
    "bank": _("Bank loan"),
    "family": _("Loan from family or friends"),
    "other": _("Other loan"),
}


class FinancingForm(SectionForm):
    own_funds = AmountField(
        label=_("Own funds"),
        help_text=_("Money and things of your own that you put into the business."),
    )
    supplier_credit = AmountField(
        label=_("Supplier credit"), help_text=_("Goods you may pay for later.")
    )


for _loan in LOANS:
    FinancingForm.base_fields[f"{_loan}_amount"] = AmountField(label=LOAN_LABELS[_loan])
    FinancingForm.base_fields[f"{_loan}_rate"] = RateField(
        label=format_lazy("{}: {}", LOAN_LABELS[_loan], _("interest (% per year)")),
        widget=AmountInput(attrs={"class": "form-control amount rate"}),
    )
    FinancingForm.base_fields[f"{_loan}_months"] = forms.IntegerField(
        label=format_lazy("{}: {}", LOAN_LABELS[_loan], _("term (months)")),
        required=False,
        min_value=1,
        max_value=240,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control months"}),
    )


# --- c. Exploitatiebegroting ----------------------------------------------------------------
OPERATING_LABELS = {
    "turnover": _("Turnover"),
    "purchases": _("Purchases"),
    "rent": _("Rent"),
    "car": _("Car and transport"),
    "marketing": _("Marketing and advertising"),
    "insurance": _("Insurance"),
    "other_costs": _("Other costs"),
    "tax": _("Tax estimate"),
}


class OperatingForm(SectionForm):
    turnover_explanation = text_field(
        _("How did you estimate your turnover?"),
        _("Write down your calculation: customers, prices, days."),
    )


for _row, _label in OPERATING_LABELS.items():
    for _year in YEARS:
        OperatingForm.base_fields[f"{_row}_{_year}"] = AmountField(
            label=format_lazy("{}, {}", _label, year_label(_year))
        )


# --- d. Liquiditeitsbegroting ---------------------------------------------------------------
def month_label(month: int):
    return format_lazy(_("Month {month}"), month=month)


class CashflowForm(SectionForm):
    pass


for _month in MONTHS:
    CashflowForm.base_fields[f"receipts_{_month}"] = AmountField(
        label=format_lazy("{}, {}", _("Receipts"), month_label(_month))
    )
    CashflowForm.base_fields[f"payments_{_month}"] = AmountField(
        label=format_lazy("{}, {}", _("Payments"), month_label(_month))
    )


# --- e. Privébegroting ----------------------------------------------------------------------
class PrivateBudgetForm(SectionForm):
    housing = AmountField(label=_("Rent or mortgage"))
    energy = AmountField(label=_("Energy and water"))
    health_insurance = AmountField(label=_("Insurance (health and other)"))
    living = AmountField(label=_("Food, clothing, household"))
    transport = AmountField(label=_("Transport"))
    other_costs = AmountField(label=_("Other costs"))
    partner_income = AmountField(label=_("Income of your partner"))
    allowances = AmountField(label=_("Allowances (toeslagen) and child benefit"))
    other_income = AmountField(label=_("Other income"))


# --- Around the plan ------------------------------------------------------------------------
class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the resident"),
        help_text=_("The resident reads this with their plan. Write in plain words."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # When the feedback this coach started from was saved: a save based on an older one is
    # refused, so two coaches cannot silently overwrite each other.
    # ISO format with microseconds: the exact value is the version.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_revision(cls, revision, data=None):
        seen = revision.feedback_at.isoformat() if revision.feedback_at else ""
        return cls(data, initial={"feedback": revision.feedback, "seen": seen})

    def clean_seen(self):
        try:
            return datetime.datetime.fromisoformat(self.cleaned_data["seen"])
        except ValueError:
            return None  # never seen any feedback (or a mangled value: then the save is refused)


class CompareForm(forms.Form):
    """Which two revisions to compare (``?van=1&naar=2``)."""

    van = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    naar = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, n) for n in numbers]
        self.fields["van"].choices = choices
        self.fields["naar"].choices = choices


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all plans")), *BusinessPlan.Status.choices],
    )

    def filter_qs(self, queryset):
        if self.is_valid() and self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


class ChoosePasswordForm(SetPasswordForm):
    """The resident chooses a password with the invitation link (Django's rules apply).

    Django's own list of rules addresses the reader formally ("Uw wachtwoord ...") in long
    sentences; this is often a resident's first page, so it says the same in plain words.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least %(min_length)d characters. Not only digits, and not your name or "
            "e-mail address."
        ) % {"min_length": _minimum_password_length()}


def _minimum_password_length() -> int:
    from django.contrib.auth.password_validation import get_default_password_validators

    lengths = [getattr(v, "min_length", 0) for v in get_default_password_validators()]
    return max(lengths, default=0) or 8


# --- One part of the plan in the browser: its form and, for some, its table of rows ----------
class SectionEditor:
    """The form of one part plus its row table, bound to what was typed or showing what is
    stored. ``content()`` is what ``services.save_section`` stores."""

    def __init__(self, section, stored, data=None):
        self.section = section
        form_class = section.form_class
        self.bound = data is not None
        if data is None:
            initial = form_class.initial_from(stored.data)
            initial["version"] = stored.version
            self.form = form_class(initial=initial)
        else:
            self.form = form_class(data)
        self.rows = None
        if form_class.rows_class is not None:
            prefix = form_class.rows_prefix
            if data is None:
                row_initial = [_asset_initial(row) for row in stored.data.get(prefix) or []]
                self.rows = form_class.rows_class(initial=row_initial, prefix=prefix)
            else:
                self.rows = form_class.rows_class(data, prefix=prefix)

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        rows_ok = self.rows is None or self.rows.is_valid()
        return form_ok and rows_ok

    @property
    def has_errors(self) -> bool:
        return self.bound and not self.is_valid()

    def version(self) -> int:
        return self.form.cleaned_data.get("version") or 0

    def content(self) -> dict:
        """The cleaned values; after a failed validation, only the values that were valid."""
        if self.bound:
            self.is_valid()
            content = {
                name: to_json(value)
                for name, value in self.form.cleaned_data.items()
                if name != "version"
            }
            if self.rows is not None:
                content[self.form.rows_prefix] = [
                    {name: to_json(value) for name, value in form.cleaned_data.items()}
                    for form in self.rows.forms
                    if getattr(form, "cleaned_data", None)
                    and any(v not in (None, "") for v in form.cleaned_data.values())
                    and form.is_valid()
                ]
            return content
        return {}

    def allowed_names(self) -> set[str]:
        return set(self.form.base_fields)


def _asset_initial(row: dict) -> dict:
    return {
        "description": row.get("description", ""),
        "amount": Decimal(row["amount"]) if row.get("amount") not in (None, "") else None,
        "years": row.get("years"),
    }
