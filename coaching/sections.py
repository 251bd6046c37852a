"""The parts of a business plan: title, plain-Dutch explanation, example answer, form, and
what counts towards "how complete is my plan".

The order is the order of the Qredits plan. Slugs are the Dutch URL parts.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from coaching import section_forms as forms
from coaching.budgets import LOANS, MONTHS, YEARS


class SectionKey(models.TextChoices):
    """The parts of a business plan, in the order Qredits asks for them."""

    ENTREPRENEUR = "entrepreneur", _("The entrepreneur")
    BUSINESS = "business", _("The idea and the business")
    MARKETING = "marketing", _("Marketing plan")
    INVESTMENT = "investment", _("Investment budget")
    FINANCING = "financing", _("Financing budget")
    OPERATING = "operating", _("Operating budget")
    CASHFLOW = "cashflow", _("Cash-flow forecast")
    PRIVATE_BUDGET = "private_budget", _("Private budget")


@dataclass(frozen=True)
class AnyOf:
    """A completion item that is filled when any one of these keys is."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str
    slug: str
    kind: str  # "text" or "budget"
    intro: str
    example: str
    form_class: type
    # Each item is a key, a tuple of keys that must all be filled, or AnyOf(keys).
    items: tuple

    @property
    def title(self):
        return SectionKey(self.key).label

    @property
    def is_budget(self) -> bool:
        return self.kind == "budget"

    @property
    def template(self) -> str:
        return f"coaching/sections/{self.key}_form.html" if self.is_budget else ""

    @property
    def read_template(self) -> str:
        return f"coaching/sections/{self.key}_read.html" if self.is_budget else ""

    def completion(self, data: dict) -> tuple[int, int]:
        """(items filled, items in all) for this part's stored data."""
        filled = sum(1 for item in self.items if _item_filled(item, data or {}))
        return filled, len(self.items)

    def state(self, data: dict) -> str:
        filled, total = self.completion(data)
        if filled == 0:
            return "empty"
        return "complete" if filled == total else "started"


def _value_filled(data, key) -> bool:
    if key == "assets":
        return bool(data.get("assets"))
    return data.get(key) not in (None, "")


def _item_filled(item, data) -> bool:
    if isinstance(item, AnyOf):
        return any(_value_filled(data, key) for key in item.keys)
    keys = item if isinstance(item, tuple) else (item,)
    return all(_value_filled(data, key) for key in keys)


def _per_year(row):
    return tuple(f"{row}_{year}" for year in YEARS)


SECTIONS = (
    Section(
        key=SectionKey.ENTREPRENEUR,
        slug="ondernemer",
        kind="text",
        intro=_(
            "Here you tell who you are. Why do you want your own business? What are you good "
            "at? What have you learned and done? The lender wants to know if you can run this "
            "business."
        ),
        example=_(
            "I am Sara, 34 years old. I worked as a baker for 10 years at a bakery in town. I "
            "have the Baker diploma, level 3. I am good at baking bread and I get on well with "
            "customers. I want my own bakery because I want to decide myself what I bake. I "
            "still need to learn how to keep the books; for that I am taking a course at the KvK."
        ),
        form_class=forms.EntrepreneurForm,
        items=(
            "motivation",
            "education",
            "experience",
            "strengths",
            "development_points",
            "current_income",
            "own_capital",
        ),
    ),
    Section(
        key=SectionKey.BUSINESS,
        slug="onderneming",
        kind="text",
        intro=_(
            "Here you describe your business. What will you sell or do? Where will you be? "
            "Which rules apply to you? Write it so that someone who does not know you "
            "understands it."
        ),
        example=_(
            "Bakkerij Sara sells bread, biscuits and cakes. I rent a shop on the Korreweg. I "
            "start as a sole proprietorship (eenmanszaak). I have business liability insurance. "
            "A bookkeeper does my tax return. I want to start on 1 September."
        ),
        form_class=forms.BusinessForm,
        items=(
            "description",
            "products",
            "business_name",
            "location",
            "legal_form",
            "permits",
            "insurances",
            "bookkeeping",
            "start_date",
        ),
    ),
    Section(
        key=SectionKey.MARKETING,
        slug="marketing",
        kind="text",
        intro=_(
            "Here you show that there are customers for your business. Who are your customers? "
            "Who are your competitors? What makes you different? Also write down how you found "
            "this out."
        ),
        example=_(
            "I asked 40 people in the neighbourhood where they buy bread. 25 said: at the "
            "supermarket, but they would rather have fresh bread close by. There is no real "
            "baker in the Korrewegwijk. The supermarket is cheaper, but my bread is fresh and I "
            "also bake Turkish bread. I advertise with leaflets and in the neighbourhood paper."
        ),
        form_class=forms.MarketingForm,
        items=(
            "research",
            "target_group",
            "competitors",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "product",
            "price",
            "place",
            "promotion",
            "personnel",
        ),
    ),
    Section(
        key=SectionKey.INVESTMENT,
        slug="investeringen",
        kind="budget",
        intro=_(
            "What do you have to buy or pay before you can start? Think of furnishing, "
            "equipment, a first stock and the costs of starting. For each machine or piece of "
            "furniture, fill in in how many years it wears out: that is the depreciation."
        ),
        example=_(
            "A baker buys an oven of € 6.000 that lasts 5 years. Depreciation: € 6.000 / 5 = "
            "€ 1.200 a year. Besides that: a stock of flour and sugar € 800, registration and "
            "advice € 500, VAT you pay first yourself € 1.140, contingencies € 500 and cash in "
            "hand € 1.000."
        ),
        form_class=forms.InvestmentForm,
        items=("assets", "stock", "startup_costs", "vat", "contingency", "cash"),
    ),
    Section(
        key=SectionKey.FINANCING,
        slug="financiering",
        kind="budget",
        intro=_(
            "How do you pay for the investment? With your own money, with loans and sometimes "
            "with credit from a supplier. The total must be the same as your investment."
        ),
        example=_(
            "Investment € 15.000. Own money € 4.500 (30%). Loan from Qredits € 10.000, 9 "
            "percent interest, 60 months. Loan from an uncle € 500 without interest. Total "
            "€ 15.000."
        ),
        form_class=forms.FinancingForm,
        items=(
            "own_funds",
            AnyOf(tuple(f"{loan}_amount" for loan in LOANS)),
            "supplier_credit",
        ),
    ),
    Section(
        key=SectionKey.OPERATING,
        slug="exploitatie",
        kind="budget",
        intro=_(
            "What do you earn per year? You estimate your turnover and take off purchases and "
            "costs. What is left is your profit. Do this for the first three years. We "
            "calculate the depreciation and the interest for you."
        ),
        example=_(
            "Turnover year 1: 40 customers a day × € 3 × 300 days = € 36.000. Purchases: 30 "
            "percent of turnover = € 10.800. Gross margin € 25.200. Costs together € 15.000. "
            "Result € 10.200."
        ),
        form_class=forms.OperatingForm,
        items=(
            _per_year("turnover"),
            "turnover_explanation",
            _per_year("purchases"),
            _per_year("rent"),
            _per_year("car"),
            _per_year("marketing"),
            _per_year("insurance"),
            _per_year("other_costs"),
            _per_year("tax"),
        ),
    ),
    Section(
        key=SectionKey.CASHFLOW,
        slug="liquiditeit",
        kind="budget",
        intro=_(
            "Do you have enough money in the bank every month? Fill in per month what comes in "
            "and what goes out. The balance must never go below zero. Month 1 starts with the "
            "cash from your investment budget."
        ),
        example=_(
            "Month 1: opening balance € 1.000. Receipts € 2.500 (sales). Payments € 2.800 "
            "(rent, purchases, private). The loan € 200 (interest and repayment, we add it "
            "from the financing budget). Closing balance: € 1.000 + € 2.500 - € 2.800 - "
            "€ 200 = € 500."
        ),
        form_class=forms.CashflowForm,
        items=(
            tuple(f"receipts_{month}" for month in MONTHS),
            tuple(f"payments_{month}" for month in MONTHS),
        ),
    ),
    Section(
        key=SectionKey.PRIVATE_BUDGET,
        slug="privebegroting",
        kind="budget",
        intro=_(
            "What does your household need every month? Add up your fixed costs and your costs "
            "for food and clothing. Take off other income, for example from your partner. What "
            "is left, your business has to earn."
        ),
        example=_(
            "Rent € 450, energy € 120, health insurance € 100, food and clothing € 500, "
            "transport € 50, other € 80: together € 1.300. Allowances € 200. The business must "
            "bring in € 1.100 a month: € 13.200 a year."
        ),
        form_class=forms.PrivateBudgetForm,
        items=(
            "housing",
            "energy",
            "health_insurance",
            "living",
            "transport",
            "other_costs",
            AnyOf(("partner_income", "allowances", "other_income")),
        ),
    ),
)

BY_KEY = {section.key: section for section in SECTIONS}
BY_SLUG = {section.slug: section for section in SECTIONS}


def plan_completion(sections_data: dict) -> int:
    """Percentage of all items of all parts that are filled in (0-100, rounded down)."""
    filled = total = 0
    for section in SECTIONS:
        done, count = section.completion(sections_data.get(section.key) or {})
        filled += done
        total += count
    return filled * 100 // total


def next_section(section: Section) -> Section | None:
    index = SECTIONS.index(section)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
