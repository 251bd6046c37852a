"""The forms of the plan's parts: each part of the plan is one form (plus a row table for
some), and ``SectionEditor``, which binds a part's form and table to what was typed.

Forms only clean and convert what was typed; saving is ``coaching.services``. Nothing here
imports the models, so ``coaching.sections`` (which the models use) can import it.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coaching.budgets import ANNUITY, BULLET, LINEAR, LOANS, MAX_TERM, MONTHS, YEARS
from coaching.fields import (
    AmountField,
    AmountInput,
    RateField,
    line_field,
    month_label,
    text_field,
    to_json,
    year_label,
)
from ondernemerspunt.http import MAX_VERSION

# A hidden version the page cannot have sent: what was typed is kept as a draft, which a reload
# puts back.
OUT_OF_DATE = _(
    "This page is out of date. Nothing you typed is lost: reload the page, check what you "
    "typed and press Save again."
)
# A plan needs a handful of fixed assets; more rows than this is a mistake or an attack.
MAX_ROWS = 25


# --- The base of every part -----------------------------------------------------------------
class SectionForm(forms.Form):
    """One part of the plan. ``version`` is the saved version the typing started from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=MAX_VERSION,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), OUT_OF_DATE),
    )
    rows_class = None  # a formset for a table of rows, if the part has one
    rows_prefix = ""

    def content(self) -> dict:
        return {
            name: to_json(value) for name, value in self.cleaned_data.items() if name != "version"
        }

    @classmethod
    def with_defaults(cls, data: dict) -> dict:
        """Stored data as it is read today: what older saves left out gets its default."""
        return data

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        """Stored data as initial values: amounts back to Decimal, dates back to dates."""
        data = cls.with_defaults(data)
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
        help_text=_(
            "For example KvK registration, notary, advice, opening. They also count as costs "
            "in year 1 of your operating budget: we put them there for you."
        ),
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


# The financing part explains each kind in a sentence (sections/financing_form.html).
LOAN_KIND_CHOICES = [
    (ANNUITY, _("annuity")),
    (LINEAR, _("linear")),
    (BULLET, _("all at the end")),
]


class FinancingForm(SectionForm):
    own_funds = AmountField(
        label=_("Own funds"),
        help_text=_("Money and things of your own that you put into the business."),
    )
    supplier_credit = AmountField(
        label=_("Supplier credit"), help_text=_("Goods you may pay for later.")
    )

    @classmethod
    def with_defaults(cls, data: dict) -> dict:
        # Plans saved before loans had a kind were computed as annuities: read them so.
        return {**data, **{f"{key}_kind": data.get(f"{key}_kind") or ANNUITY for key in LOANS}}

    def clean(self):
        data = super().clean()
        for key in LOANS:
            self._check_loan(key, data)
        return data

    def _check_loan(self, key, data):
        """A loan with an amount needs a term and a rate (0 is a rate, but it must be typed)
        to be computed; the repayment-free months must leave at least one month to repay."""
        amount, months = data.get(f"{key}_amount"), data.get(f"{key}_months")
        free = data.get(f"{key}_free_months")
        if amount:
            if months is None and f"{key}_months" not in self.errors:
                self.add_error(
                    f"{key}_months", _("Fill in in how many months you repay this loan.")
                )
            if data.get(f"{key}_rate") is None and f"{key}_rate" not in self.errors:
                self.add_error(
                    f"{key}_rate",
                    _("Fill in the interest rate. Is the loan without interest? Fill in 0."),
                )
        if free and months and free >= months:
            self.add_error(
                f"{key}_free_months",
                _("The months without repayment must be fewer than the term of %(months)s months.")
                % {"months": months},
            )


def _kind_clean(key):
    def clean(self):
        # Nothing chosen (an old plan, a browser that sent nothing): the usual annuity.
        return self.cleaned_data.get(f"{key}_kind") or ANNUITY

    return clean


for _loan in LOANS:
    _label = LOAN_LABELS[_loan]
    FinancingForm.base_fields[f"{_loan}_amount"] = AmountField(label=_label)
    FinancingForm.base_fields[f"{_loan}_rate"] = RateField(
        label=format_lazy("{}: {}", _label, _("interest (% per year)"))
    )
    FinancingForm.base_fields[f"{_loan}_months"] = forms.IntegerField(
        label=format_lazy("{}: {}", _label, _("term (months)")),
        required=False,
        min_value=1,
        max_value=MAX_TERM,
        error_messages={
            "invalid": _("Fill in the term as a whole number of months, for example 60."),
            "min_value": _("Fill in a term of at least 1 month."),
            "max_value": _("Fill in a term of at most 240 months (20 years)."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control months"}),
    )
    FinancingForm.base_fields[f"{_loan}_free_months"] = forms.IntegerField(
        label=format_lazy("{}: {}", _label, _("months without repayment at the start")),
        required=False,
        min_value=0,
        max_value=MAX_TERM - 1,
        error_messages={
            "invalid": _(
                "Fill in a whole number of months, for example 6. No such months? Fill in 0."
            ),
            "min_value": _("Fill in 0 or more months."),
            "max_value": _("The months without repayment must be fewer than the term."),
        },
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "class": "form-control months free-months"}
        ),
    )
    FinancingForm.base_fields[f"{_loan}_kind"] = forms.ChoiceField(
        label=format_lazy("{}: {}", _label, _("how you repay")),
        choices=LOAN_KIND_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select loan-kind"}),
    )
    setattr(FinancingForm, f"clean_{_loan}_kind", _kind_clean(_loan))


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


class CashflowForm(SectionForm):
    pass


for _month in MONTHS:
    CashflowForm.base_fields[f"receipts_{_month}"] = AmountField(
        label=format_lazy("{}, {}", _("Receipts"), month_label(_month))
    )
    CashflowForm.base_fields[f"payments_{_month}"] = AmountField(
        label=format_lazy("{}, {}", _("Payments"), month_label(_month)),
        # The explanation above the table: loan payments are not typed here, they are added.
        widget=AmountInput(attrs={"aria-describedby": "payments-help"}),
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
