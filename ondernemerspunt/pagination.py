"""Pages of a list: the one helper every list view uses, with ``templates/pagination.html``.

The pager's links keep every other GET parameter of the list (search, filters, sorting), so
page 2 of a filtered list is page 2 of the same filtered list. A page number that cannot be
shown (``pagina=abc``, ``0``, ``999`` from an old or mistyped link) shows the nearest page
instead of an error page.
"""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PAGE_PARAMETER = "pagina"


class ListPaginator(Paginator):
    """A paginator that remembers the list's other GET parameters for its pages' links."""

    def __init__(self, items, per_page: int, *, kept_params: QueryDict):
        super().__init__(items, per_page)
        self.kept_params = kept_params

    def _get_page(self, *args, **kwargs):
        return ListPage(*args, **kwargs)


class ListPage(Page):
    def link(self, number: int) -> str:
        params = self.paginator.kept_params.copy()
        params[PAGE_PARAMETER] = number
        return f"?{params.urlencode()}"

    @property
    def previous_link(self) -> str:
        return self.link(self.previous_page_number())

    @property
    def next_link(self) -> str:
        return self.link(self.next_page_number())


def page_number(asked: str | None, num_pages: int) -> int:
    """The page asked for, clamped to the pages there are; anything unreadable is page 1."""
    try:
        number = int(asked)
    except (TypeError, ValueError):  # missing, "abc", "2.5", or thousands of digits
        return 1
    return min(max(number, 1), num_pages)


def paginate(request: HttpRequest, items, *, per_page: int) -> ListPage:
    """The page of ``items`` that ``?pagina=`` asks for, with links that keep the filters."""
    kept_params = request.GET.copy()
    kept_params.pop(PAGE_PARAMETER, None)
    paginator = ListPaginator(items, per_page, kept_params=kept_params)
    return paginator.page(page_number(request.GET.get(PAGE_PARAMETER), paginator.num_pages))
